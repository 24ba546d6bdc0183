package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchboard/testsupport"
)

func TestOwnerManagesUsers(t *testing.T) {
	srv := startIdentity(t, testsupport.SQLiteURL(t))
	testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	c := srv.NewClient(t)
	c.Login("owner@acme.test", testsupport.Password)
	tok := c.CSRF("/users")

	_, link := invite(t, c, "new@acme.test", "staff")
	newbie := srv.NewClient(t)
	if r := newbie.PostForm(link+"/register", url.Values{"_csrf": {newbie.CSRF(link)}, "name": {"Nia"},
		"password": {"newbie-password-1"}, "password_confirm": {"newbie-password-1"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("accepting the invitation = %d", r.StatusCode)
	}
	newbie.Login("new@acme.test", "newbie-password-1")
	if r := newbie.Get("/users"); r.StatusCode != 403 {
		t.Fatalf("new staff user opened /users: %d", r.StatusCode)
	}

	if r := c.PostForm("/users", url.Values{"_csrf": {tok}, "email": {"new@acme.test"}, "role": {"staff"}}); r.StatusCode != 422 || !strings.Contains(r.Body, "already a member") {
		t.Fatalf("adding a member twice = %d", r.StatusCode)
	}

	u, _ := srv.App.Store.UserByEmail(t.Context(), "new@acme.test")
	if r := c.PostForm(fmt.Sprintf("/users/%d/role", u.ID), url.Values{"_csrf": {tok}, "role": {"admin"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("role change = %d", r.StatusCode)
	}
	if r := newbie.Get("/audit"); r.StatusCode != 200 {
		t.Fatalf("promoted admin cannot open /audit: %d", r.StatusCode)
	}
	if r := c.PostForm(fmt.Sprintf("/users/%d/remove", u.ID), url.Values{"_csrf": {tok}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove = %d", r.StatusCode)
	}
	if r := newbie.Get("/"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("removed user still signed in: %d", r.StatusCode)
	}

	owner, _ := srv.App.Store.UserByEmail(t.Context(), "owner@acme.test")
	r := c.PostForm(fmt.Sprintf("/users/%d/role", owner.ID), url.Values{"_csrf": {tok}, "role": {"staff"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("demoting the last owner = %d", r.StatusCode)
	}
	if page := c.Get("/users"); !strings.Contains(page.Body, "at least one owner") {
		t.Fatal("no flash explains that the last owner stays")
	}

	audit := c.Get("/audit?action=role_changed")
	if !strings.Contains(audit.Body, "role_changed") || !strings.Contains(audit.Body, "new@acme.test") {
		t.Fatalf("audit log lacks the role change:\n%.3000s", audit.Body)
	}
	for _, action := range []string{"invitation_sent", "invitation_accepted", "user_removed", "login"} {
		if r := c.Get("/audit?action=" + action); !strings.Contains(r.Body, `data-testid="audit-row"`) {
			t.Errorf("audit log has no %s entry", action)
		}
	}
	if r := c.Get("/audit?actor=nobody-such"); strings.Contains(r.Body, `data-testid="audit-row"`) {
		t.Error("the actor filter does not filter")
	}
}

func TestOrganizationSwitcher(t *testing.T) {
	srv := startIdentity(t, testsupport.SQLiteURL(t))
	testsupport.Seed(t, srv.App.Store, "acme", "pat@both.test", "owner")
	globex, _ := testsupport.Seed(t, srv.App.Store, "globex", "pat@both.test", "staff")
	c := srv.NewClient(t)
	c.Login("pat@both.test", testsupport.Password)
	home := c.Get("/")
	if !strings.Contains(home.Body, `data-testid="org-switcher"`) {
		t.Fatal("no organization switcher for a user of two organizations")
	}
	tok := c.CSRF("/")
	if r := c.PostForm("/orgs/switch", url.Values{"_csrf": {tok}, "org_id": {fmt.Sprint(globex.ID)}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("switch = %d", r.StatusCode)
	}
	if r := c.Get("/users"); r.StatusCode != 403 {
		t.Fatalf("as staff of globex /users = %d, want 403", r.StatusCode)
	}
	if r := c.Get("/"); !strings.Contains(r.Body, "Globex") {
		t.Fatal("dashboard does not show the switched organization")
	}
}
