package executor

import (
	"encoding/base64"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"switchboard/integrations/definition"
)

// hopServer is a loopback server on an address of its own that records
// what each request carried.
type hopServer struct {
	*httptest.Server
	mu   sync.Mutex
	seen []hopRequest
}

// hopRequest is what a hop saw: the raw request URI and the headers.
type hopRequest struct {
	URI    string
	Header http.Header
}

// newHopServer listens on addr ("127.0.0.3:0") and answers with handler
// after recording.
func newHopServer(t *testing.T, addr string, handler http.HandlerFunc) *hopServer {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen %s: %v", addr, err)
	}
	h := &hopServer{}
	h.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.mu.Lock()
		h.seen = append(h.seen, hopRequest{URI: r.RequestURI, Header: r.Header.Clone()})
		h.mu.Unlock()
		handler(w, r)
	}))
	h.Listener.Close()
	h.Listener = l
	h.Start()
	t.Cleanup(h.Close)
	return h
}

// last returns the last request the hop saw.
func (h *hopServer) last(t *testing.T) hopRequest {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.seen) == 0 {
		t.Fatal("the redirect target saw no request")
	}
	return h.seen[len(h.seen)-1]
}

func landed(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"landed":true}`))
}

// redirectAuths are the auth types whose credentials ride in headers or
// the query, with the text each puts on the wire.
var redirectAuths = []struct {
	name    string
	auth    definition.Auth
	headers map[string]string
	creds   map[string]string
	onWire  []string
}{
	{name: "api_key header", auth: definition.Auth{Type: "api_key", Header: "X-Api-Key", Template: "{{api_key}}"},
		creds: map[string]string{"api_key": "hdr-key-SECRET"}, onWire: []string{"hdr-key-SECRET"}},
	{name: "api_key query parameter", auth: definition.Auth{Type: "api_key", QueryParam: "key", Template: "{{api_key}}"},
		creds: map[string]string{"api_key": "query-key-SECRET"}, onWire: []string{"query-key-SECRET"}},
	{name: "bearer", auth: definition.Auth{Type: "bearer"},
		creds: map[string]string{"token": "bearer-tok-SECRET"}, onWire: []string{"bearer-tok-SECRET"}},
	{name: "basic", auth: definition.Auth{Type: "basic", Username: "{{user}}", Password: "{{pass}}"},
		creds:  map[string]string{"user": "AC-user", "pass": "basic-pw-SECRET"},
		onWire: []string{base64.StdEncoding.EncodeToString([]byte("AC-user:basic-pw-SECRET"))}},
	{name: "credential in a definition header", auth: definition.Auth{Type: "none"},
		headers: map[string]string{"X-Account-Token": "acct {{credentials.account}}"},
		creds:   map[string]string{"account": "acct-tok-SECRET"}, onWire: []string{"acct-tok-SECRET"}},
}

func TestCredentialsStayBehindOnARedirectToAnotherOrigin(t *testing.T) {
	h := newHarness(t)
	otherHost := newHopServer(t, "127.0.0.4:0", landed)
	otherPort := newHopServer(t, "127.0.0.3:0", landed)
	var targetURL string
	var mu sync.Mutex
	first := newHopServer(t, "127.0.0.3:0", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/ping" {
			landed(w, r)
			return
		}
		mu.Lock()
		to := targetURL
		mu.Unlock()
		// The query goes along, as a server rewriting its path does.
		http.Redirect(w, r, to+"/landing?"+r.URL.RawQuery, http.StatusFound)
	})
	for _, dest := range []struct {
		name string
		url  string
		srv  *hopServer
	}{
		{"another host", otherHost.URL, otherHost},
		{"the same host on another port", otherPort.URL, otherPort},
	} {
		for _, a := range redirectAuths {
			t.Run(a.name+" to "+dest.name, func(t *testing.T) {
				mu.Lock()
				targetURL = dest.url
				mu.Unlock()
				slug := h.add(redirectDoc(first.URL, a.auth, a.headers, a.creds))
				h.creds.set("production", a.creds)
				ok(t)(h.run(slug, "Ping", nil))
				got := dest.srv.last(t)
				if !strings.HasPrefix(got.URI, "/landing") {
					t.Fatalf("the redirect target saw %s, want /landing", got.URI)
				}
				for _, secret := range a.onWire {
					if where := carries(got, secret); where != "" {
						t.Errorf("the next hop received the credential in %s", where)
					}
				}
				if ref := got.Header.Get("Referer"); ref != "" {
					t.Errorf("Referer = %q, want none", ref)
				}
			})
		}
	}
}

func TestCredentialsFollowARedirectWithinTheOrigin(t *testing.T) {
	h := newHarness(t)
	first := newHopServer(t, "127.0.0.3:0", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/ping" {
			landed(w, r)
			return
		}
		http.Redirect(w, r, "/landing?"+r.URL.RawQuery, http.StatusFound)
	})
	for _, a := range redirectAuths {
		t.Run(a.name, func(t *testing.T) {
			slug := h.add(redirectDoc(first.URL, a.auth, a.headers, a.creds))
			h.creds.set("production", a.creds)
			ok(t)(h.run(slug, "Ping", nil))
			got := first.last(t)
			if !strings.HasPrefix(got.URI, "/landing") {
				t.Fatalf("the last request was %s, want /landing", got.URI)
			}
			for _, secret := range a.onWire {
				if carries(got, secret) == "" {
					t.Errorf("the same-origin hop lost the credential (saw %s %v)", got.URI, got.Header)
				}
			}
			if ref := got.Header.Get("Referer"); ref != "" {
				t.Errorf("Referer = %q, want none", ref)
			}
		})
	}
}

// redirectDoc is an integration over base whose Ping follows a redirect.
func redirectDoc(base string, auth definition.Auth, headers, creds map[string]string) *definition.Document {
	doc := newDoc(base, get("Ping", "/ping"))
	doc.Auth, doc.Headers = auth, headers
	for name := range creds {
		doc.CredentialFields = append(doc.CredentialFields, definition.CredentialField{Name: name})
	}
	if auth.Type == "bearer" {
		doc.CredentialFields = definition.Fields("token")
	}
	return doc
}

// carries names where a request holds secret: the URI or a header.
func carries(r hopRequest, secret string) string {
	if strings.Contains(r.URI, secret) {
		return "the request URI " + r.URI
	}
	for name, vs := range r.Header {
		for _, v := range vs {
			if strings.Contains(v, secret) {
				return "the header " + name
			}
		}
	}
	return ""
}
