package outbound

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// recorder is a loopback server that keeps the requests it saw.
type recorder struct {
	*httptest.Server
	mu   sync.Mutex
	seen []*http.Request
	body []string
}

func newRecorder(t *testing.T, handler http.HandlerFunc) *recorder {
	t.Helper()
	rec := &recorder{}
	rec.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.seen = append(rec.seen, r.Clone(context.Background()))
		rec.body = append(rec.body, string(b))
		rec.mu.Unlock()
		handler(w, r)
	}))
	t.Cleanup(rec.Close)
	return rec
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.seen)
}

func TestRedirectPolicyWithoutCredentialsNamed(t *testing.T) {
	other := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {})
	first := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/next", http.StatusFound)
	})
	c := NewClient(mustPolicy(t, []string{"127.0.0.0/8"}))
	req, _ := http.NewRequest("GET", first.URL+"/start", nil)
	req.Header.Set("Authorization", "Bearer plain-SECRET")
	req.Header.Set("Cookie", "session=SECRET")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	got := other.seen[0]
	// Same host, another port: Go's client would keep both headers.
	for _, h := range []string{"Authorization", "Cookie", "Referer"} {
		if v := got.Header.Get(h); v != "" {
			t.Errorf("%s = %q on the other origin, want none", h, v)
		}
	}
}

func TestCredentialsStayBehindOnceARedirectLeftTheOrigin(t *testing.T) {
	var firstURL string
	other := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, firstURL+"/back", http.StatusFound)
	})
	first := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/start" {
			http.Redirect(w, r, other.URL+"/away", http.StatusFound)
		}
	})
	firstURL = first.URL
	c := NewClient(mustPolicy(t, []string{"127.0.0.0/8"}))
	ctx := WithCredentials(context.Background(), Credentials{Headers: []string{"X-Key"}})
	req, _ := http.NewRequestWithContext(ctx, "GET", first.URL+"/start", nil)
	req.Header.Set("X-Key", "key-SECRET")
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if n := first.count(); n != 2 {
		t.Fatalf("the first origin saw %d requests, want 2", n)
	}
	if v := first.seen[1].Header.Get("X-Key"); v != "" {
		t.Errorf("X-Key = %q back on the first origin after another one chose the URL, want none", v)
	}
}

func TestABodyHoldingCredentialsIsNotSentToAnotherOrigin(t *testing.T) {
	other := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {})
	first := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/token", http.StatusTemporaryRedirect)
	})
	c := NewClient(mustPolicy(t, []string{"127.0.0.0/8"}))
	ctx := WithCredentials(context.Background(), Credentials{Body: true})
	req, _ := http.NewRequestWithContext(ctx, "POST", first.URL+"/token", strings.NewReader("client_secret=SECRET"))
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTemporaryRedirect || other.count() != 0 {
		t.Fatalf("status %d, other origin saw %d requests; want the 307 itself and nothing sent on", resp.StatusCode, other.count())
	}
}
