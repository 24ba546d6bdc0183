package handlers_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"switchboard/apperr"
	"switchboard/models"
	"switchboard/testsupport"
)

var inviteLink = regexp.MustCompile(`id="invite-link"[^>]*>https?://[^/<]+(/invitations/[A-Za-z0-9_-]+)<`)

// invite sends the owner's invitation form and returns the answer and the
// path of the accept link it shows.
func invite(t *testing.T, c *testsupport.Client, email, role string) (*testsupport.Response, string) {
	t.Helper()
	r := c.PostForm("/users", url.Values{"_csrf": {c.CSRF("/users")}, "email": {email}, "role": {role}})
	m := inviteLink.FindStringSubmatch(r.Body)
	if r.StatusCode != 200 || m == nil {
		t.Fatalf("invite %s = %d, no accept link shown:\n%.2000s", email, r.StatusCode, r.Body)
	}
	return r, m[1]
}

// sameShape blanks what must differ between two invitation answers: the
// token, the invited email in the notice, timestamps and invitation ids.
func sameShape(body string) string {
	for _, re := range []struct{ pattern, with string }{
		{`/invitations/[A-Za-z0-9_-]+<`, `/invitations/TOKEN<`},
		{`Invitation sent to [^.<]+\.`, `Invitation sent to EMAIL.`},
		{`\d{4}-\d\d-\d\d \d\d:\d\d UTC`, `TIME`},
		{`/users/invitations/\d+/revoke`, `/users/invitations/N/revoke`},
	} {
		body = regexp.MustCompile(re.pattern).ReplaceAllString(body, re.with)
	}
	return body
}

func isMember(t *testing.T, srv *testsupport.Server, org *models.Organization, email string) bool {
	t.Helper()
	u, err := srv.App.Store.UserByEmail(t.Context(), email)
	if apperr.IsNotFound(err) {
		return false
	}
	_, err = srv.App.Store.Tenant(org.ID).Member(t.Context(), u.ID)
	return err == nil
}

func TestInvitationsGrantNothingUntilAccepted(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv := startIdentity(t, dbURL)
		testsupport.Seed(t, srv.App.Store, "acme", "alice@acme.test", "owner")
		globex, _ := testsupport.Seed(t, srv.App.Store, "globex", "bob@globex.test", "owner")
		bob := srv.NewClient(t)
		bob.Login("bob@globex.test", testsupport.Password)

		invite(t, bob, "newbie@nowhere.test", "staff")
		known, knownLink := invite(t, bob, "alice@acme.test", "admin")
		unknown, unknownLink := invite(t, bob, "newbie@nowhere.test", "staff") // replaces the first link
		t.Run("KnownAndUnknownEmailsGetTheSameAnswer", func(t *testing.T) {
			if known.StatusCode != unknown.StatusCode || known.Header.Get("Content-Type") != unknown.Header.Get("Content-Type") {
				t.Fatalf("status %d vs %d", known.StatusCode, unknown.StatusCode)
			}
			if a, b := sameShape(known.Body), sameShape(unknown.Body); a != b {
				t.Errorf("the answers differ beyond email and token:\n%s\n----\n%s", a, b)
			}
			if !strings.Contains(known.Body, "Invitation sent to alice@acme.test.") || strings.Contains(known.Body, "now has access") {
				t.Errorf("the known email's answer is not an invitation")
			}
		})
		t.Run("NothingIsGrantedBeforeAcceptance", func(t *testing.T) {
			if isMember(t, srv, globex, "alice@acme.test") {
				t.Error("alice joined globex without accepting")
			}
			if _, err := srv.App.Store.UserByEmail(t.Context(), "newbie@nowhere.test"); !apperr.IsNotFound(err) {
				t.Errorf("an account was created before acceptance: %v", err)
			}
			if page := bob.Get("/users"); !strings.Contains(page.Body, `data-testid="invitation-alice@acme.test"`) {
				t.Error("the pending invitation is not listed")
			}
		})
		t.Run("TheExistingAccountMustSignInToAccept", func(t *testing.T) {
			anon := srv.NewClient(t)
			r := anon.PostForm(knownLink+"/register", url.Values{"_csrf": {anon.CSRF(knownLink)},
				"password": {"another-password-1"}, "password_confirm": {"another-password-1"}})
			if r.StatusCode != http.StatusConflict || isMember(t, srv, globex, "alice@acme.test") {
				t.Fatalf("choosing a password for an existing account = %d", r.StatusCode)
			}
			other := srv.NewClient(t)
			other.Login("bob@globex.test", testsupport.Password)
			if r := other.PostForm(knownLink+"/accept", url.Values{"_csrf": {other.CSRF(knownLink)}}); r.StatusCode != http.StatusForbidden {
				t.Fatalf("accepting as another user = %d", r.StatusCode)
			}
			alice := srv.NewClient(t)
			alice.Login("alice@acme.test", testsupport.Password)
			page := alice.Get(knownLink)
			if !strings.Contains(page.Body, `data-testid="accept-form"`) || isMember(t, srv, globex, "alice@acme.test") {
				t.Fatalf("alice's invitation page = %d:\n%.1500s", page.StatusCode, page.Body)
			}
			if r := alice.PostForm(knownLink+"/accept", url.Values{"_csrf": {alice.CSRF(knownLink)}}); r.StatusCode != http.StatusSeeOther {
				t.Fatalf("accept = %d %.500s", r.StatusCode, r.Body)
			}
			if !isMember(t, srv, globex, "alice@acme.test") {
				t.Fatal("alice is not a member after accepting")
			}
			if r := alice.Get(knownLink); r.StatusCode != http.StatusNotFound {
				t.Errorf("a used link = %d, want 404", r.StatusCode)
			}
		})
		t.Run("AnUnknownEmailSetsAPasswordAndJoins", func(t *testing.T) {
			anon := srv.NewClient(t)
			tok := anon.CSRF(unknownLink)
			r := anon.PostForm(unknownLink+"/register", url.Values{"_csrf": {tok}, "name": {"Nia"},
				"password": {"newbie-password-1"}, "password_confirm": {"newbie-password-1"}})
			if r.StatusCode != http.StatusSeeOther {
				t.Fatalf("register = %d %.1000s", r.StatusCode, r.Body)
			}
			newbie := srv.NewClient(t)
			newbie.Login("newbie@nowhere.test", "newbie-password-1")
			if !isMember(t, srv, globex, "newbie@nowhere.test") {
				t.Fatal("the new account is not a member")
			}
		})
		t.Run("InvitationsAreAudited", func(t *testing.T) {
			for _, action := range []string{"invitation_sent", "invitation_accepted"} {
				if r := bob.Get("/audit?action=" + action); !strings.Contains(r.Body, `data-testid="audit-row"`) {
					t.Errorf("audit log has no %s entry", action)
				}
			}
		})
	})
}

func TestRevokedAndExpiredInvitationsAreRefused(t *testing.T) {
	srv := startIdentity(t, testsupport.SQLiteURL(t))
	globex, _ := testsupport.Seed(t, srv.App.Store, "globex", "bob@globex.test", "owner")
	bob := srv.NewClient(t)
	bob.Login("bob@globex.test", testsupport.Password)
	_, revoked := invite(t, bob, "carol@nowhere.test", "staff")
	_, expired := invite(t, bob, "dave@nowhere.test", "staff")
	invs, err := srv.App.Store.Tenant(globex.ID).Invitations(t.Context())
	if err != nil || len(invs) != 2 {
		t.Fatalf("invitations = %v, %v", invs, err)
	}
	for _, inv := range invs {
		if inv.Email == "carol@nowhere.test" {
			r := bob.PostForm("/users/invitations/"+itoa(inv.ID)+"/revoke", url.Values{"_csrf": {bob.CSRF("/users")}})
			if r.StatusCode != http.StatusSeeOther {
				t.Fatalf("revoke = %d", r.StatusCode)
			}
		}
	}
	if _, err := srv.App.DB.NewUpdate().Table("invitations").Set("expires_at = ?", time.Now().Add(-time.Minute)).
		Where("email = ?", "dave@nowhere.test").Exec(t.Context()); err != nil {
		t.Fatal(err)
	}
	for name, link := range map[string]string{"Revoked": revoked, "Expired": expired} {
		t.Run(name, func(t *testing.T) {
			anon := srv.NewClient(t)
			if r := anon.Get(link); r.StatusCode != http.StatusNotFound {
				t.Errorf("GET = %d, want 404", r.StatusCode)
			}
			r := anon.PostForm(link+"/register", url.Values{"_csrf": {anon.CSRF("/login")},
				"password": {"late-password-1"}, "password_confirm": {"late-password-1"}})
			if r.StatusCode != http.StatusNotFound {
				t.Errorf("register = %d, want 404", r.StatusCode)
			}
		})
	}
	for _, email := range []string{"carol@nowhere.test", "dave@nowhere.test"} {
		if _, err := srv.App.Store.UserByEmail(t.Context(), email); !apperr.IsNotFound(err) {
			t.Errorf("%s got an account: %v", email, err)
		}
	}
	if r := bob.Get("/audit?action=invitation_revoked"); !strings.Contains(r.Body, `data-testid="audit-row"`) {
		t.Error("audit log has no invitation_revoked entry")
	}
}
