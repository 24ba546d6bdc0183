package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchboard/testsupport"
)

// TestLoginNextAcceptsOnlyCleanLocalPaths signs in through the real login
// form with hostile next values: each one lands on the dashboard, and clean
// local paths are kept as given.
func TestLoginNextAcceptsOnlyCleanLocalPaths(t *testing.T) {
	srv := startIdentity(t, testsupport.SQLiteURL(t))
	testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	cases := []struct {
		name, next, want string
	}{
		{"TabAfterSlash", "/\t/127.0.0.2/phish", "/"},
		{"NewlineAfterSlash", "/\n/127.0.0.2/phish", "/"},
		{"CRLFHeaderSplit", "/\r\nLocation: http://127.0.0.2/", "/"},
		{"DoubleSlash", "//127.0.0.2/phish", "/"},
		{"SlashBackslash", "/\\127.0.0.2/phish", "/"},
		{"BackslashLater", "/a\\..\\\\127.0.0.2", "/"},
		{"Backslashes", "\\\\127.0.0.2/phish", "/"},
		{"AbsoluteURL", "http://127.0.0.2/phish", "/"},
		{"SchemeWithoutSlashes", "https:127.0.0.2", "/"},
		{"JavaScript", "javascript:alert(1)", "/"},
		{"EncodedDoubleSlash", "/%2F%2F127.0.0.2/phish", "/"},
		{"DeleteCharacter", "/profile\x7f", "/"},
		{"LineSeparator", "/\u2028/127.0.0.2", "/"},
		{"InvalidUTF8", "/profile\xff", "/"},
		{"Relative", "127.0.0.2/phish", "/"},
		{"Empty", "", "/"},
		{"CleanPath", "/appointments?status=pending", "/appointments?status=pending"},
		{"CleanPathWithFragment", "/patients/3#sync", "/patients/3#sync"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := srv.NewClient(t)
			tok := c.CSRF("/login")
			r := c.PostForm("/login", url.Values{"_csrf": {tok}, "email": {"owner@acme.test"},
				"password": {testsupport.Password}, "next": {tc.next}})
			if r.StatusCode != http.StatusSeeOther {
				t.Fatalf("login = %d %.300s", r.StatusCode, r.Body)
			}
			if got := r.Header.Get("Location"); got != tc.want {
				t.Fatalf("next %q redirected to %q, want %q", tc.next, got, tc.want)
			}
		})
	}
}

// TestCSRFTokenOnlyFromHeaderOrFormBody: a valid token in the query string
// proves nothing; in the X-CSRF-Token header or the form body it passes.
func TestCSRFTokenOnlyFromHeaderOrFormBody(t *testing.T) {
	srv := startIdentity(t, testsupport.SQLiteURL(t))
	testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	c := srv.NewClient(t)
	c.Login("owner@acme.test", testsupport.Password)
	tok := c.CSRF("/profile")
	form := "application/x-www-form-urlencoded"
	cases := []struct {
		name, path, contentType, body string
		header                        http.Header
		refused                       bool
	}{
		{"FormRouteQueryTokenRefused", "/orgs/switch?_csrf=" + url.QueryEscape(tok), form, "org_id=0", nil, true},
		{"JSONRouteQueryTokenRefused", "/api/patients?_csrf=" + url.QueryEscape(tok), "application/json", `{"first_name":"Ada","last_name":"Lovelace"}`, nil, true},
		{"FormRouteHeaderTokenAccepted", "/orgs/switch", form, "org_id=0", http.Header{"X-CSRF-Token": {tok}}, false},
		{"FormRouteBodyTokenAccepted", "/orgs/switch", form, "org_id=0&_csrf=" + url.QueryEscape(tok), nil, false},
		{"JSONRouteHeaderTokenAccepted", "/api/patients", "application/json", `{"first_name":"Ada","last_name":"Lovelace"}`, http.Header{"X-CSRF-Token": {tok}}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{"Content-Type": {tc.contentType}, "Accept": {"application/json"}}
			for k, v := range tc.header {
				h[k] = v
			}
			r := c.Do("POST", tc.path, strings.NewReader(tc.body), h)
			csrfRefused := r.StatusCode == http.StatusForbidden && strings.Contains(r.Body, `"code":"csrf_failed"`)
			if tc.refused && !csrfRefused {
				t.Fatalf("= %d %.300s, want 403 csrf_failed", r.StatusCode, r.Body)
			}
			// Past the check the route answers on its own terms (404 for the
			// unknown organization 0, 201 for the patient), never csrf_failed.
			if !tc.refused && (strings.Contains(r.Body, "csrf_failed") || r.StatusCode >= 500) {
				t.Fatalf("= %d %.300s, want the CSRF check passed", r.StatusCode, r.Body)
			}
			if !tc.refused && r.StatusCode != http.StatusNotFound && r.StatusCode != http.StatusCreated {
				t.Fatalf("= %d %.300s, want 404 (organization 0) or 201 (patient)", r.StatusCode, r.Body)
			}
		})
	}
}
