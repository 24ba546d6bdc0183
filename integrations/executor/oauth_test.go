package executor

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/integrations/definition"
)

// tokenServer is an OAuth2 token endpoint that issues numbered tokens.
type tokenServer struct {
	*upstream
	issued    atomic.Int64
	expiresIn int
	// rotate makes each answer carry a new refresh token.
	rotate bool
	// formOnly refuses HTTP Basic client authentication.
	formOnly bool
	mu       sync.Mutex
	forms    []url.Values
	basic    []string
}

func newTokenServer(t *testing.T, expiresIn int) *tokenServer {
	ts := &tokenServer{expiresIn: expiresIn}
	ts.upstream = newUpstream(t, func(w http.ResponseWriter, r *http.Request, body string) {
		form, _ := url.ParseQuery(body)
		user, _, hasBasic := r.BasicAuth()
		ts.mu.Lock()
		ts.forms = append(ts.forms, form)
		ts.basic = append(ts.basic, user)
		ts.mu.Unlock()
		if ts.formOnly && hasBasic {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"error":"invalid_client"}`))
			return
		}
		time.Sleep(20 * time.Millisecond) // let concurrent callers pile up
		n := ts.issued.Add(1)
		answer := fmt.Sprintf(`{"access_token":"tok-%d","token_type":"Bearer","expires_in":%d`, n, ts.expiresIn)
		if ts.rotate {
			answer += fmt.Sprintf(`,"refresh_token":"refresh-%d"`, n)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(answer + "}"))
	})
	return ts
}

// lastForm returns the last token request's form.
func (ts *tokenServer) lastForm() url.Values {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.forms[len(ts.forms)-1]
}

// bearerUpstream answers 200 and records each Authorization header;
// refuse lists tokens answered with 401.
func bearerUpstream(t *testing.T, refuse ...string) (*upstream, func() []string) {
	var mu sync.Mutex
	var seen []string
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request, _ string) {
		auth := r.Header.Get("Authorization")
		mu.Lock()
		seen = append(seen, auth)
		mu.Unlock()
		for _, bad := range refuse {
			if auth == "Bearer "+bad {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
		}
		jsonAnswer(200, `{"ok":true}`)(w, r, "")
	})
	return up, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

func oauthDoc(base, tokenURL, typ string) *definition.Document {
	doc := newDoc(base, get("Ping", "/ping"), definition.Endpoint{Function: "Create", Method: "POST", Path: "/things", Writes: true})
	doc.Auth = definition.Auth{Type: typ, TokenURL: tokenURL, Scopes: []string{"read", "write"}}
	doc.CredentialFields = definition.Fields("client_id", "client_secret")
	if typ == definition.AuthOAuth2RefreshToken {
		doc.CredentialFields = append(doc.CredentialFields, definition.CredentialField{Name: "refresh_token"})
	}
	return doc
}

func TestClientCredentialsFetchOneTokenForConcurrentCalls(t *testing.T) {
	h := newHarness(t)
	// A frozen clock: only Advance moves it, so a slow machine cannot add
	// the seconds that decide whether the token is still fresh.
	h.clock.Set(time.Now())
	ts := newTokenServer(t, 120)
	up, seen := bearerUpstream(t)
	slug := h.add(oauthDoc(up.URL, ts.URL+"/token", definition.AuthOAuth2ClientCredentials))
	h.creds.set("production", map[string]string{"client_id": "app", "client_secret": "s3cret"})

	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Go(func() {
			if _, err := h.run(slug, "Ping", nil); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("concurrent call: %v", err)
	}
	if got := ts.hits.Load(); got != 1 {
		t.Fatalf("token endpoint hits = %d, want 1 for 20 concurrent calls", got)
	}
	for _, auth := range seen() {
		if auth != "Bearer tok-1" {
			t.Fatalf("upstream saw Authorization %q, want Bearer tok-1", auth)
		}
	}
	form := ts.lastForm()
	if form.Get("grant_type") != "client_credentials" || form.Get("scope") != "read write" {
		t.Errorf("token form = %v, want client_credentials with scope \"read write\"", form)
	}
	if ts.basic[0] != "app" || form.Get("client_secret") != "" {
		t.Errorf("client authenticated with basic user %q and form secret %q, want HTTP Basic only", ts.basic[0], form.Get("client_secret"))
	}

	t.Run("the token is kept until a minute before it expires", func(t *testing.T) {
		h.clock.Advance(59 * time.Second)
		ok(t)(h.run(slug, "Ping", nil))
		if got := ts.hits.Load(); got != 1 {
			t.Fatalf("token hits after 59s = %d, want 1", got)
		}
		h.clock.Advance(2 * time.Second)
		ok(t)(h.run(slug, "Ping", nil))
		if got := ts.hits.Load(); got != 2 {
			t.Fatalf("token hits after 61s of a 120s token = %d, want 2", got)
		}
		if s := seen(); s[len(s)-1] != "Bearer tok-2" {
			t.Errorf("last Authorization = %q, want the new token", s[len(s)-1])
		}
	})
	t.Run("Forget drops the token", func(t *testing.T) {
		h.exec.Forget(h.org, slug)
		ok(t)(h.run(slug, "Ping", nil))
		if got := ts.hits.Load(); got != 3 {
			t.Fatalf("token hits after Forget = %d, want 3", got)
		}
	})
}

func TestClientCredentialsFallBackToFormAuthentication(t *testing.T) {
	h := newHarness(t)
	ts := newTokenServer(t, 3600)
	ts.formOnly = true
	up, _ := bearerUpstream(t)
	slug := h.add(oauthDoc(up.URL, ts.URL+"/token", definition.AuthOAuth2ClientCredentials))
	h.creds.set("production", map[string]string{"client_id": "app", "client_secret": "s3cret"})
	ok(t)(h.run(slug, "Ping", nil))
	form := ts.lastForm()
	if form.Get("client_id") != "app" || form.Get("client_secret") != "s3cret" {
		t.Errorf("token form = %v, want the client credentials in the form", form)
	}
}

func TestUnauthorizedAnswerRefetchesTheTokenOnce(t *testing.T) {
	h := newHarness(t)
	ts := newTokenServer(t, 3600)
	up, seen := bearerUpstream(t, "tok-1")
	slug := h.add(oauthDoc(up.URL, ts.URL+"/token", definition.AuthOAuth2ClientCredentials))
	h.creds.set("production", map[string]string{"client_id": "app", "client_secret": "s3cret"})

	res := ok(t)(h.run(slug, "Create", nil)) // a write: a 401 retry is still safe
	if got := ts.hits.Load(); got != 2 {
		t.Errorf("token hits = %d, want 2 (the refused token replaced once)", got)
	}
	if got := strings.Join(seen(), ","); got != "Bearer tok-1,Bearer tok-2" {
		t.Errorf("upstream saw %s, want tok-1 then tok-2", got)
	}
	if res.Attempts != 2 {
		t.Errorf("attempts = %d, want 2", res.Attempts)
	}

	t.Run("a token refused twice fails", func(t *testing.T) {
		up2, _ := bearerUpstream(t, "tok-3", "tok-4")
		slug2 := h.add(oauthDoc(up2.URL, ts.URL+"/token", definition.AuthOAuth2ClientCredentials))
		res, err := h.run(slug2, "Ping", nil)
		e := wantCode(t, err, "upstream_error")
		if e.Extra["upstream_status"] != 401 || res == nil || res.UpstreamStatus != 401 {
			t.Errorf("extra = %v, result = %+v, want upstream status 401", e.Extra, res)
		}
	})
}

func TestRefreshTokenGrantSavesRotatedTokens(t *testing.T) {
	h := newHarness(t)
	ts := newTokenServer(t, 3600)
	ts.rotate = true
	up, seen := bearerUpstream(t)
	slug := h.add(oauthDoc(up.URL, ts.URL+"/token", definition.AuthOAuth2RefreshToken))
	h.creds.set("production", map[string]string{"client_id": "app", "client_secret": "s3cret", "refresh_token": "refresh-0"})

	ok(t)(h.run(slug, "Ping", nil))
	form := ts.lastForm()
	for k, want := range map[string]string{"grant_type": "refresh_token", "refresh_token": "refresh-0", "client_id": "app", "client_secret": "s3cret"} {
		if got := form.Get(k); got != want {
			t.Errorf("token form %s = %q, want %q", k, got, want)
		}
	}
	if got := seen()[0]; got != "Bearer tok-1" {
		t.Errorf("Authorization = %q, want Bearer tok-1", got)
	}
	h.creds.mu.Lock()
	saves := append([]map[string]string(nil), h.creds.saves...)
	h.creds.mu.Unlock()
	if len(saves) != 1 || saves[0]["refresh_token"] != "refresh-1" || len(saves[0]) != 1 {
		t.Fatalf("saves = %v, want one save of refresh_token refresh-1", saves)
	}

	t.Run("the next refresh sends the rotated token", func(t *testing.T) {
		h.clock.Advance(time.Hour)
		ok(t)(h.run(slug, "Ping", nil))
		if got := ts.lastForm().Get("refresh_token"); got != "refresh-1" {
			t.Errorf("refresh_token sent = %q, want the rotated refresh-1", got)
		}
	})
	t.Run("Test Connection with unsaved fields saves nothing and shares no token", func(t *testing.T) {
		hits := ts.hits.Load()
		ok(t)(h.exec.Execute(context.Background(), Request{OrgID: h.org, Provider: slug, Function: "Ping",
			Fields: map[string]string{"client_id": "app", "client_secret": "s3cret", "refresh_token": "typed-in"}}))
		if ts.hits.Load() != hits+1 || ts.lastForm().Get("refresh_token") != "typed-in" {
			t.Errorf("token hits %d → %d with refresh_token %q, want one fetch with the typed-in token", hits, ts.hits.Load(), ts.lastForm().Get("refresh_token"))
		}
		h.creds.mu.Lock()
		n := len(h.creds.saves)
		h.creds.mu.Unlock()
		if n != 2 {
			t.Errorf("saves = %d, want 2 (none for unsaved fields)", n)
		}
	})
}

func TestRefreshTokenThenRetryRule(t *testing.T) {
	h := newHarness(t)
	ts := newTokenServer(t, 3600)
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request, _ string) {
		if r.Header.Get("Authorization") == "Bearer tok-1" {
			jsonAnswer(200, `{"error":"token_expired"}`)(w, r, "")
			return
		}
		jsonAnswer(200, `{"ok":true}`)(w, r, "")
	})
	doc := oauthDoc(up.URL, ts.URL+"/token", definition.AuthOAuth2ClientCredentials)
	doc.ErrorRules = []definition.ErrorRule{{When: definition.When{Path: "error", Equals: "token_expired"}, Action: "refresh_token_then_retry"}}
	slug := h.add(doc)
	h.creds.set("production", map[string]string{"client_id": "app", "client_secret": "s3cret"})
	res := ok(t)(h.run(slug, "Ping", nil))
	if ts.hits.Load() != 2 || res.Attempts != 2 || up.seen().Header.Get("Authorization") != "Bearer tok-2" {
		t.Errorf("token hits %d, attempts %d, last auth %q; want 2, 2, tok-2", ts.hits.Load(), res.Attempts, up.seen().Header.Get("Authorization"))
	}
}
