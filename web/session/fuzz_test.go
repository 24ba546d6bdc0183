package session

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzSafeNext checks the login's next parameter: whatever it is given, the
// redirect it keeps is a path of this site, also as a browser reads it (a
// browser drops tabs and line breaks from a URL and reads \ as /).
func FuzzSafeNext(f *testing.F) {
	for _, seed := range []string{"", "/", "/integrations/3?tab=logs", "//evil.example", "/\\evil.example", "/\t/evil.example", "/\n/evil.example",
		"https://evil.example", "javascript:alert(1)", "/%2F/evil.example", " /x", "/ /evil.example"} {
		f.Add(seed)
	}
	base, _ := url.Parse("https://switchboard.example/login")
	f.Fuzz(func(t *testing.T, next string) {
		got := SafeNext(next)
		if got != "/" && got != next {
			t.Fatalf("SafeNext(%q) = %q, neither the input nor /", next, got)
		}
		browser := strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(got)
		if !strings.HasPrefix(browser, "/") || strings.HasPrefix(browser, "//") {
			t.Fatalf("SafeNext(%q) = %q, which a browser reads as %q: not a local path", next, got, browser)
		}
		if u, err := base.Parse(browser); err == nil && u.Host != base.Host {
			t.Fatalf("SafeNext(%q) = %q leads to host %q", next, got, u.Host)
		}
	})
}

// FuzzBearerToken checks the Authorization header parser: the token it
// finds is the header's rest after "Bearer ", trimmed, and a header that
// is not a bearer one gives none.
func FuzzBearerToken(f *testing.F) {
	for _, seed := range []string{"Bearer sbk_0123456789abcdef", "bearer  sbk_x ", "BEARER\tx", "Basic dTpw", "Bearer", "Bearer ", "Bearersbk_x", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, h string) {
		r := httptest.NewRequest(http.MethodGet, "/api/x", nil)
		r.Header["Authorization"] = []string{h}
		got := BearerToken(r)
		if got != strings.TrimSpace(got) {
			t.Fatalf("BearerToken(%q) = %q, not trimmed", h, got)
		}
		isBearer := len(h) > 7 && strings.EqualFold(h[:7], "bearer ")
		if !isBearer && got != "" {
			t.Fatalf("BearerToken(%q) = %q from a header that is not a bearer one", h, got)
		}
		if isBearer && got != strings.TrimSpace(h[7:]) {
			t.Fatalf("BearerToken(%q) = %q, want %q", h, got, strings.TrimSpace(h[7:]))
		}
	})
}
