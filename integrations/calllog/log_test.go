package calllog

import (
	"testing"

	"switchboard/models"
)

// TestCallersAreNamedForPeople: a key by its name, a user by their name
// (their e-mail when they have none), Switchboard's own callers in words.
func TestCallersAreNamedForPeople(t *testing.T) {
	names := map[string]string{"olive@acme.test": "Olive Owner"}
	cases := []struct{ caller, name, kind string }{
		{"api key front desk bot (sb_ab12…)", "front desk bot", CallerAPIKey},
		{"Olive@Acme.test", "Olive Owner", CallerUser},
		{"nameless@acme.test", "nameless@acme.test", CallerUser},
		{"sync", "Sync delivery", CallerSystem},
		{"reference lists", "Reference lists", CallerSystem},
	}
	for _, tc := range cases {
		t.Run(tc.caller, func(t *testing.T) {
			e := entry(models.APICall{Caller: tc.caller}, names)
			if e.CallerName != tc.name || e.CallerKind != tc.kind {
				t.Errorf("entry(%q) = %q %q, want %q %q", tc.caller, e.CallerName, e.CallerKind, tc.name, tc.kind)
			}
		})
	}
}
