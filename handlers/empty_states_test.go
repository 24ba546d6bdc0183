package handlers_test

import (
	"regexp"
	"strings"
	"testing"

	"switchboard/testsupport"
)

// emptyAction is an empty state's button and where it goes.
var emptyAction = regexp.MustCompile(`<a href="([^"]+)"[^>]*data-testid="empty-action">([^<]+)</a>`)

// TestEmptyStatesSayWhatToDoNext: on a new practice's pages every empty
// list offers its next step as a button, and a button that points into
// the page points at something that is there.
func TestEmptyStatesSayWhatToDoNext(t *testing.T) {
	srv := startIdentity(t, testsupport.SQLiteURL(t))
	testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	owner := srv.NewClient(t)
	owner.Login("owner@acme.test", testsupport.Password)
	for path, label := range map[string]string{
		"/": "Add your practice system", "/integrations": "Choose from the catalog", "/sync-settings": "Add your practice system",
		"/patients": "Create a patient", "/appointments": "Book an appointment", "/api-keys": "Create a key", "/calls": "Create an agent key",
	} {
		r := owner.Get(path)
		if r.StatusCode != 200 || !strings.Contains(r.Body, `data-testid="empty-state"`) {
			t.Errorf("GET %s = %d, no empty state", path, r.StatusCode)
			continue
		}
		m := emptyAction.FindStringSubmatch(r.Body)
		if m == nil || m[2] != label {
			t.Errorf("GET %s: the empty state's button = %v, want %q", path, m, label)
			continue
		}
		if i := strings.Index(m[1], "#"); i >= 0 {
			body, anchor := r.Body, m[1][i+1:]
			if i > 0 {
				body = owner.Get(m[1][:i]).Body
			}
			if !strings.Contains(body, `id="`+anchor+`"`) {
				t.Errorf("GET %s: the button goes to %s, which is not on the page", path, m[1])
			}
		}
	}
}
