package testsupport

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// FakeOAuth is a loopback OAuth 2.0 authorization server with PKCE and
// refresh-token rotation, and a bearer-protected API (/api/...): the
// consent page (/authorize) shows an "Allow" link back to the redirect
// URI; /token answers the code exchange (checking the verifier against
// the challenge) and refreshes (a used refresh token is retired, an
// unknown one answers invalid_grant); /revoke retires a token.
type FakeOAuth struct {
	URL          string
	ClientID     string
	ClientSecret string
	Email        string

	mu       sync.Mutex
	codes    map[string]fakeCode
	refresh  map[string]bool
	access   map[string]bool
	n        int
	Revoked  []string
	Refreshs int
	// API answers the bearer-protected /api/ requests (nil: {"items": []}).
	API http.HandlerFunc
}

type fakeCode struct{ challenge, redirect string }

// NewFakeOAuth starts the server until t ends.
func NewFakeOAuth(t testing.TB) *FakeOAuth {
	f := &FakeOAuth{ClientID: "client-123", ClientSecret: "client-secret-xyz", Email: "ada@practice.test",
		codes: map[string]fakeCode{}, refresh: map[string]bool{}, access: map[string]bool{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /authorize", f.authorize)
	mux.HandleFunc("POST /token", f.token)
	mux.HandleFunc("POST /revoke", f.revoke)
	mux.HandleFunc("/api/", f.api)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

func (f *FakeOAuth) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != f.ClientID || q.Get("response_type") != "code" || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" {
		http.Error(w, "bad authorization request", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.n++
	code := fmt.Sprintf("code-%d", f.n)
	f.codes[code] = fakeCode{challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri")}
	f.mu.Unlock()
	back := q.Get("redirect_uri") + "?" + url.Values{"code": {code}, "state": {q.Get("state")}}.Encode()
	fmt.Fprintf(w, `<!doctype html><title>Consent</title><h1>Allow Switchboard to see your calendar?</h1><a id="allow" href="%s">Allow</a>`, html.EscapeString(back))
}

// AllowLink is the href of the consent page's Allow link.
func AllowLink(page string) string {
	_, rest, _ := strings.Cut(page, `id="allow" href="`)
	link, _, _ := strings.Cut(rest, `"`)
	return html.UnescapeString(link)
}

func (f *FakeOAuth) token(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	if r.PostForm.Get("client_id") != f.ClientID || r.PostForm.Get("client_secret") != f.ClientSecret {
		f.fail(w, "invalid_client")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		c, ok := f.codes[r.PostForm.Get("code")]
		delete(f.codes, r.PostForm.Get("code"))
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		if !ok || c.redirect != r.PostForm.Get("redirect_uri") || base64.RawURLEncoding.EncodeToString(sum[:]) != c.challenge {
			f.fail(w, "invalid_grant")
			return
		}
	case "refresh_token":
		rt := r.PostForm.Get("refresh_token")
		if !f.refresh[rt] {
			f.fail(w, "invalid_grant")
			return
		}
		delete(f.refresh, rt) // rotation: a refresh token is used once
		f.Refreshs++
	default:
		f.fail(w, "unsupported_grant_type")
		return
	}
	f.n++
	at, rt := fmt.Sprintf("access-%d", f.n), fmt.Sprintf("refresh-%d", f.n)
	f.access[at], f.refresh[rt] = true, true
	claims, _ := json.Marshal(map[string]string{"email": f.Email, "sub": "42"})
	idToken := "e30." + base64.RawURLEncoding.EncodeToString(claims) + ".sig"
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"access_token": at, "refresh_token": rt, "expires_in": 3600, "token_type": "Bearer", "id_token": idToken})
}

func (f *FakeOAuth) fail(w http.ResponseWriter, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	json.NewEncoder(w).Encode(map[string]string{"error": code})
}

func (f *FakeOAuth) revoke(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f.mu.Lock()
	defer f.mu.Unlock()
	tok := r.PostForm.Get("token")
	f.Revoked = append(f.Revoked, tok)
	delete(f.refresh, tok)
	delete(f.access, tok)
}

// RetireAll makes every issued token invalid (the account revoked the
// app's access elsewhere).
func (f *FakeOAuth) RetireAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refresh, f.access = map[string]bool{}, map[string]bool{}
}

func (f *FakeOAuth) api(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	ok := f.access[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	api := f.API
	f.mu.Unlock()
	if !ok {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if api != nil {
		api(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`{"items": []}`))
}

// Counts returns the refreshes served and the tokens revoked so far.
func (f *FakeOAuth) Counts() (refreshes int, revoked []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.Refreshs, append([]string(nil), f.Revoked...)
}

// Definition is an oauth2_authorization_code integration over the fake.
func (f *FakeOAuth) Definition(slug string) map[string]any {
	return map[string]any{
		"slug": slug, "name": "Fake Calendar", "base_url": map[string]string{"production": f.URL + "/api"},
		"auth": map[string]any{"type": "oauth2_authorization_code", "authorize_url": f.URL + "/authorize", "token_url": f.URL + "/token",
			"revoke_url": f.URL + "/revoke", "scopes": []string{"calendar", "email"}},
		"credential_fields": []any{map[string]any{"name": "client_id", "label": "Client ID", "secret": false}, "client_secret"},
		"test_function":     "ListCalendars",
		"endpoints":         []map[string]any{{"function": "ListCalendars", "method": "GET", "path": "/calendarList"}},
	}
}
