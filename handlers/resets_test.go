package handlers_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"switchboard/testsupport"
)

// TestPasswordResetLink: an owner issues a one-time password-reset link
// from /users (shown once, audited); its page sets a new password (the
// policy checked), which then signs in; the link does not work twice.
func TestPasswordResetLink(t *testing.T) {
	srv := startIdentity(t, testsupport.SQLiteURL(t))
	testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	_, staff := testsupport.Seed(t, srv.App.Store, "acme", "staff@acme.test", "staff")
	owner := srv.NewClient(t)
	owner.Login("owner@acme.test", testsupport.Password)
	users := owner.Get("/users")
	if !strings.Contains(users.Body, `data-testid="reset-staff@acme.test"`) {
		t.Fatal("/users offers no password-reset link for the staff member")
	}
	r := owner.PostForm("/users/"+itoa(staff.ID)+"/reset-link", url.Values{"_csrf": {owner.CSRF("/users")}})
	m := regexp.MustCompile(`http://[^<"]+/password-reset/([A-Za-z0-9_-]+)`).FindStringSubmatch(r.Body)
	if r.StatusCode != 200 || m == nil {
		t.Fatalf("reset link = %d, no link shown", r.StatusCode)
	}
	if strings.Contains(owner.Get("/users").Body, m[1]) {
		t.Fatal("the link is shown again")
	}
	if !strings.Contains(owner.Get("/audit?action=password_reset_issued").Body, "staff@acme.test") {
		t.Error("issuing the link is not audited")
	}
	path := "/password-reset/" + m[1]
	visitor := srv.NewClient(t)
	if page := visitor.Get(path); page.StatusCode != 200 || !strings.Contains(page.Body, "staff@acme.test") {
		t.Fatalf("reset page = %d", page.StatusCode)
	}
	if short := visitor.PostForm(path, url.Values{"_csrf": {visitor.CSRF(path)}, "password": {"short"}}); short.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a short password = %d, want 422", short.StatusCode)
	}
	set := visitor.PostForm(path, url.Values{"_csrf": {visitor.CSRF(path)}, "password": {"a-brand-new-password"}})
	if set.StatusCode != http.StatusSeeOther {
		t.Fatalf("set password = %d %.300s", set.StatusCode, set.Body)
	}
	srv.NewClient(t).Login("staff@acme.test", "a-brand-new-password")
	if again := visitor.Get(path); again.StatusCode != http.StatusNotFound {
		t.Fatalf("the used link answers %d, want 404", again.StatusCode)
	}
}
