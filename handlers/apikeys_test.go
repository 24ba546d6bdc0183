package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"switchboard/testsupport"
)

func bearer(key string) http.Header { return http.Header{"Authorization": {"Bearer " + key}} }

func TestAPIKeyAuthentication(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv := startIdentity(t, dbURL)
		org, _ := testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
		key, k := testsupport.SeedKey(t, srv.App.Store, org.ID, "agent")
		c := srv.NewClient(t)

		r := c.Do("GET", "/api/me", nil, bearer(key))
		if r.StatusCode != 200 || !strings.Contains(r.Body, `"slug":"acme"`) || !strings.Contains(r.Body, `"role":"agent"`) {
			t.Fatalf("valid key: %d %s", r.StatusCode, r.Body)
		}
		for name, h := range map[string]http.Header{
			"Missing":   nil,
			"Wrong":     bearer("sbk_000000000000000000000000000000000000000000000000"),
			"NotBearer": {"Authorization": {"Basic dXNlcjpwYXNz"}},
		} {
			r := c.Do("GET", "/api/me", nil, h)
			if r.StatusCode != 401 || r.Header.Get("Content-Type") != "application/problem+json" || !strings.Contains(r.Body, `"code":"unauthorized"`) {
				t.Errorf("%s key: %d %s, want a 401 problem", name, r.StatusCode, r.Body)
			}
		}

		// Revoked through the page: refused at once, despite the cache.
		owner := srv.NewClient(t)
		owner.Login("owner@acme.test", testsupport.Password)
		tok := owner.CSRF("/api-keys")
		if r := owner.PostForm(fmt.Sprintf("/api-keys/%d/revoke", k.ID), url.Values{"_csrf": {tok}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("revoke = %d", r.StatusCode)
		}
		r = c.Do("GET", "/api/me", nil, bearer(key))
		if r.StatusCode != 401 || !strings.Contains(r.Body, "revoked") {
			t.Fatalf("revoked key: %d %s, want 401", r.StatusCode, r.Body)
		}
	})
}

func TestAPIKeyLastUsedIsRecordedInTheBackground(t *testing.T) {
	srv := startIdentity(t, testsupport.SQLiteURL(t))
	org, _ := testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	key, k := testsupport.SeedKey(t, srv.App.Store, org.ID, "agent")
	if r := srv.NewClient(t).Do("GET", "/api/me", nil, bearer(key)); r.StatusCode != 200 {
		t.Fatal(r.Body)
	}
	srv.App.Keys.Flush(t.Context())
	got, err := srv.App.Store.Tenant(org.ID).APIKey(t.Context(), k.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.LastUsedAt == nil || time.Since(*got.LastUsedAt) > time.Minute {
		t.Fatalf("last_used_at = %v", got.LastUsedAt)
	}
}

func TestAPIKeyPageShowsKeyOnceAndStoresOnlyHash(t *testing.T) {
	srv := startIdentity(t, testsupport.SQLiteURL(t))
	testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	c := srv.NewClient(t)
	c.Login("owner@acme.test", testsupport.Password)
	tok := c.CSRF("/api-keys")
	if r := c.PostForm("/api-keys", url.Values{"_csrf": {tok}, "name": {""}, "role": {"root"}}); r.StatusCode != 422 ||
		!strings.Contains(r.Body, `data-testid="error-name"`) || !strings.Contains(r.Body, `data-testid="error-role"`) {
		t.Fatalf("invalid key form = %d", r.StatusCode)
	}
	r := c.PostForm("/api-keys", url.Values{"_csrf": {tok}, "name": {"Retell agent"}, "role": {"agent"}})
	key := regexp.MustCompile(`sbk_[0-9a-f]{48}`).FindString(r.Body)
	if r.StatusCode != http.StatusCreated || key == "" {
		t.Fatalf("create = %d, key %q", r.StatusCode, key)
	}
	if list := c.Get("/api-keys"); strings.Contains(list.Body, key) || !strings.Contains(list.Body, key[:12]) {
		t.Fatal("the list shows the whole key again, or not its prefix")
	}
	var stored int
	if err := srv.App.DB.NewRaw("SELECT COUNT(*) FROM api_keys WHERE key_hash = ? OR prefix = ?", key, key).Scan(t.Context(), &stored); err != nil || stored != 0 {
		t.Fatalf("the plain key is stored (%d rows, %v)", stored, err)
	}
	if r := srv.NewClient(t).Do("GET", "/api/me", nil, bearer(key)); r.StatusCode != 200 {
		t.Fatalf("the new key does not authenticate: %d", r.StatusCode)
	}
}

// TestOtherOrganizationsIDsAnswer404 signs in as acme's admin and aims at
// globex's records: every one answers 404 and nothing changes.
func TestOtherOrganizationsIDsAnswer404(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv := startIdentity(t, dbURL)
		testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
		globex, globexOwner := testsupport.Seed(t, srv.App.Store, "globex", "owner@globex.test", "owner")
		_, globexStaff := testsupport.Seed(t, srv.App.Store, "globex", "staff@globex.test", "staff")
		gkey, gk := testsupport.SeedKey(t, srv.App.Store, globex.ID, "agent")

		c := srv.NewClient(t)
		c.Login("owner@acme.test", testsupport.Password)
		tok := c.CSRF("/")
		for _, tc := range []struct{ path string }{
			{fmt.Sprintf("/api-keys/%d/revoke", gk.ID)},
			{fmt.Sprintf("/users/%d/role", globexStaff.ID)},
			{fmt.Sprintf("/users/%d/remove", globexOwner.ID)},
			{"/orgs/switch"},
		} {
			r := c.PostForm(tc.path, url.Values{"_csrf": {tok}, "role": {"owner"}, "org_id": {fmt.Sprint(globex.ID)}})
			if r.StatusCode != http.StatusNotFound {
				t.Errorf("POST %s = %d, want 404", tc.path, r.StatusCode)
			}
		}
		if r := srv.NewClient(t).Do("GET", "/api/me", nil, bearer(gkey)); r.StatusCode != 200 {
			t.Fatal("globex's key was revoked by acme")
		}
		m, err := srv.App.Store.Tenant(globex.ID).Member(t.Context(), globexStaff.ID)
		if err != nil || m.Role != "staff" {
			t.Fatalf("globex staff changed: %v %v", m, err)
		}
	})
}
