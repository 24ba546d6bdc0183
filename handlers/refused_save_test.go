package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchboard/testsupport"
)

// TestRefusedSaveShowsEveryError: with Cloud9 patient sync on, saving a
// patient edit is refused on fields the form does not have (Cloud9's
// providerGUID and locationGUID); the page says so in a summary at the
// top instead of showing nothing.
func TestRefusedSaveShowsEveryError(t *testing.T) {
	srv, _ := testsupport.StartDemo(t)
	org := srv.DemoOrg(t)
	admin := srv.KeyClient(t, org.ID, "admin")
	if r := admin.SendJSON("POST", "/api/admin/integration-settings", map[string]any{"integration": "cloud9", "enabled": true,
		"direction": "dual_write", "entities": []string{"patient"}}); r.StatusCode != http.StatusCreated {
		t.Fatalf("Cloud9 patient sync = %d %s", r.StatusCode, r.Body)
	}
	staff, tok := loginDemoStaff(t, srv)
	r := staff.PostForm("/patients/1", url.Values{"_csrf": {tok}, "first_name": {"Ada"}, "last_name": {"Lovelace"}, "city": {"Paris"}})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `data-testid="error-summary"`) ||
		!strings.Contains(r.Body, "providerGUID: cloud9: is required") || !strings.Contains(r.Body, "locationGUID: cloud9: is required") {
		t.Fatalf("a refused patient save = %d %.3000s", r.StatusCode, r.Body)
	}
}
