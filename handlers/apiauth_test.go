package handlers_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"switchboard/testsupport"
	"switchboard/urls"
)

var pathParam = regexp.MustCompile(`:[A-Za-z]+|\*`)

// TestAPIWithoutCredentialsAnswers401ForEveryMethod walks every /api route
// the router has and calls it with neither an API key nor a session
// cookie: each answers a 401 unauthorized problem document, unsafe methods
// included (no CSRF verdict for a caller who is nobody).
func TestAPIWithoutCredentialsAnswers401ForEveryMethod(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv := startIdentity(t, dbURL)
		testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
		seen := 0
		for _, rt := range srv.App.Router.Routes() {
			// The OpenAPI document is public, for discovery.
			if !strings.HasPrefix(rt.Path, "/api/") || !isHTTPMethod(rt.Method) || rt.Name == urls.APIOpenAPIShow {
				continue
			}
			seen++
			path := pathParam.ReplaceAllString(rt.Path, "1")
			h := http.Header{"Accept": {"application/json"}, "Content-Type": {"application/json"}}
			r := srv.NewClient(t).Do(rt.Method, path, strings.NewReader(`{}`), h)
			if r.StatusCode != http.StatusUnauthorized || !strings.Contains(r.Body, `"code":"unauthorized"`) {
				t.Errorf("%s %s without credentials = %d %.200s, want 401 unauthorized", rt.Method, path, r.StatusCode, r.Body)
				continue
			}
			if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("%s %s: Content-Type %q, want application/problem+json", rt.Method, path, ct)
			}
		}
		if seen < 40 {
			t.Fatalf("walked %d /api routes, want every one of them (40 or more)", seen)
		}
	})
}

func isHTTPMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}

// TestAPICSRFOnlyForCookieSessions: a signed-in cookie session must send
// the CSRF token on unsafe /api requests; an API key never needs one; a bad
// key is 401 even with a signed-in cookie beside it.
func TestAPICSRFOnlyForCookieSessions(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv := startIdentity(t, dbURL)
		org, _ := testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
		patient := map[string]any{"first_name": "Ada", "last_name": "Lovelace"}

		browser := srv.NewClient(t)
		browser.Login("owner@acme.test", testsupport.Password)
		tok := browser.CSRF("/profile")
		if r := browser.SendJSON("POST", "/api/patients", patient); r.StatusCode != http.StatusForbidden || !strings.Contains(r.Body, `"code":"csrf_failed"`) {
			t.Errorf("cookie session POST without CSRF token = %d %.200s, want 403 csrf_failed", r.StatusCode, r.Body)
		}
		browser.Header.Set("X-CSRF-Token", tok)
		if r := browser.SendJSON("POST", "/api/patients", patient); r.StatusCode != http.StatusCreated {
			t.Errorf("cookie session POST with CSRF token = %d %.200s, want 201", r.StatusCode, r.Body)
		}
		browser.Header.Set("Authorization", "Bearer sb_not-a-key")
		if r := browser.SendJSON("GET", "/api/me", nil); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("bad key beside a signed-in cookie = %d %.200s, want 401", r.StatusCode, r.Body)
		}

		agent := srv.KeyClient(t, org.ID, "admin")
		if r := agent.SendJSON("POST", "/api/patients", patient); r.StatusCode != http.StatusCreated {
			t.Errorf("API key POST without CSRF token = %d %.200s, want 201", r.StatusCode, r.Body)
		}
		if r := agent.SendJSON("DELETE", "/api/admin/integrations/999999", nil); r.StatusCode != http.StatusNotFound {
			t.Errorf("API key DELETE without CSRF token = %d %.200s, want 404 (past authentication)", r.StatusCode, r.Body)
		}

		visitor := srv.NewClient(t)
		visitor.CSRF("/login") // a session cookie, but nobody signed in
		if r := visitor.SendJSON("POST", "/api/patients", patient); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("signed-out cookie POST = %d %.200s, want 401", r.StatusCode, r.Body)
		}
	})
}
