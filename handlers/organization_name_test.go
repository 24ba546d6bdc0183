package handlers_test

import (
	"strings"
	"testing"

	"switchboard/testsupport"
)

// TestOrganizationNameNeedsText: an organization name of only spaces (or
// holding a control character, or too long) is refused with 422 naming
// the field name, and the name in force is kept.
func TestOrganizationNameNeedsText(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv := startIdentity(t, dbURL)
		org, _ := testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
		admin := srv.KeyClient(t, org.ID, "admin")
		for _, name := range []string{"   ", " \t ", "Acme\x1b[31m", strings.Repeat("a", 201)} {
			r := admin.SendJSON("PUT", "/api/admin/organization", map[string]any{"name": name})
			if r.StatusCode != 422 || !strings.Contains(r.Body, `"field":"name"`) {
				t.Errorf("name %q = %d %s", name, r.StatusCode, r.Body)
			}
		}
		var got struct {
			Name string `json:"name"`
		}
		admin.Get("/api/admin/organization").JSON(t, &got)
		if got.Name != org.Name {
			t.Fatalf("the name is now %q, want %q kept", got.Name, org.Name)
		}
		if r := admin.SendJSON("PUT", "/api/admin/organization", map[string]any{"name": "Acme Dental"}); r.StatusCode != 200 {
			t.Fatalf("a real name = %d %s", r.StatusCode, r.Body)
		}
	})
}
