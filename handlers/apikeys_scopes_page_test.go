package handlers_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"switchboard/testsupport"
)

// TestAPIKeyPageScopes: the /api-keys form stores the ticked scopes and
// the integrations on the key, which then refuses what it lacks; the list
// shows every key's scopes and integrations.
func TestAPIKeyPageScopes(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv := startIdentity(t, dbURL)
		testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
		owner := srv.NewClient(t)
		owner.Login("owner@acme.test", testsupport.Password)
		r := owner.PostForm("/api-keys", url.Values{"_csrf": {owner.CSRF("/api-keys")}, "name": {"Reader"}, "role": {"agent"},
			"scopes": {"records:read"}, "integrations": {"cloud9"}})
		key := regexp.MustCompile(`sbk_[A-Za-z0-9]+`).FindString(r.Body)
		if r.StatusCode != 201 || key == "" {
			t.Fatalf("create = %d %s", r.StatusCode, r.Body)
		}
		page := owner.Get("/api-keys").Body
		if !regexp.MustCompile(`data-testid="scopes">records:read<`).MatchString(page) ||
			!regexp.MustCompile(`data-testid="integrations">cloud9<`).MatchString(page) {
			t.Fatalf("the list does not show the scopes: %s", page)
		}
		c := srv.NewClient(t)
		if r := c.Do("GET", "/api/patients", nil, bearer(key)); r.StatusCode != 200 {
			t.Fatalf("records:read key listing patients = %d %s", r.StatusCode, r.Body)
		}
		if r := c.Do("POST", "/api/patients", strings.NewReader(`{"first_name":"A","last_name":"B"}`),
			withJSON(bearer(key))); r.StatusCode != 403 || !strings.Contains(r.Body, "this key lacks the scope records:write") {
			t.Fatalf("records:read key creating a patient = %d %s", r.StatusCode, r.Body)
		}
		if r := owner.PostForm("/api-keys", url.Values{"_csrf": {owner.CSRF("/api-keys")}, "name": {"Bad"}, "role": {"agent"},
			"scopes": {"records:delete"}}); r.StatusCode != 422 {
			t.Fatalf("an unknown scope = %d", r.StatusCode)
		}
	})
}

func withJSON(h map[string][]string) map[string][]string {
	h["Content-Type"] = []string{"application/json"}
	return h
}
