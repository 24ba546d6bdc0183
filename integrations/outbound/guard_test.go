package outbound

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestPolicyBlocksPrivateRanges(t *testing.T) {
	p, err := NewPolicy(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254", "100.64.0.1", "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "0.0.0.0"} {
		if p.Allowed("x", netip.MustParseAddr(s)) {
			t.Errorf("%s allowed by the default policy", s)
		}
	}
	for _, s := range []string{"8.8.8.8", "1.1.1.1", "2606:4700::1111"} {
		if !p.Allowed("x", netip.MustParseAddr(s)) {
			t.Errorf("public %s refused", s)
		}
	}
}

func TestPolicyAllowList(t *testing.T) {
	p, err := NewPolicy([]string{"127.0.0.0/8", "10.9.9.9", "sandbox.internal"})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Allowed("x", netip.MustParseAddr("127.0.0.5")) || !p.Allowed("x", netip.MustParseAddr("10.9.9.9")) {
		t.Error("allowed ranges refused")
	}
	if p.Allowed("x", netip.MustParseAddr("10.9.9.8")) {
		t.Error("a neighbour of an allowed address passed")
	}
	if !p.Allowed("sandbox.internal", netip.MustParseAddr("192.168.4.4")) {
		t.Error("an allowed host name was refused")
	}
	if _, err := NewPolicy([]string{"10.0.0.0/40"}); err == nil {
		t.Error("a bad CIDR was accepted")
	}
}

func TestClientRefusesLoopbackAtConnectTime(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	defer srv.Close()
	blocked := NewClient(mustPolicy(t, nil))
	req, _ := http.NewRequestWithContext(context.Background(), "GET", srv.URL, nil)
	if _, err := blocked.Do(req); !IsBlocked(err) {
		t.Fatalf("loopback upstream: err = %v, want a blocked destination", err)
	}
	allowed := NewClient(mustPolicy(t, []string{"127.0.0.0/8"}))
	resp, err := allowed.Do(req.Clone(context.Background()))
	if err != nil {
		t.Fatalf("allowed loopback: %v", err)
	}
	resp.Body.Close()
}

func TestRedirectToBlockedAddressIsRefused(t *testing.T) {
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("secret")) }))
	defer target.Close()
	// The first hop is allowed by host name ("localhost"), the redirect
	// goes to 127.0.0.1 by address, which the policy does not allow.
	hop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL, http.StatusFound)
	}))
	defer hop.Close()
	c := NewClient(mustPolicy(t, []string{"localhost"}))
	u := "http://localhost:" + hop.URL[len("http://127.0.0.1:"):]
	_, err := c.Get(u)
	if !IsBlocked(err) {
		t.Fatalf("redirect to a blocked address: err = %v, want blocked", err)
	}
}

func mustPolicy(t *testing.T, allow []string) *Policy {
	p, err := NewPolicy(allow)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAllowAddrPortLetsOnlyThatPortThrough(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	defer srv.Close()
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("other")) }))
	defer other.Close()
	p := mustPolicy(t, nil)
	p.AllowAddrPort(netip.MustParseAddrPort(srv.Listener.Addr().String()))
	c := NewClient(p)
	resp, err := c.Get(srv.URL)
	if err != nil {
		t.Fatalf("allowed address and port: %v", err)
	}
	resp.Body.Close()
	if _, err := c.Get(other.URL); !IsBlocked(err) {
		t.Fatalf("another port on loopback: err = %v, want blocked", err)
	}
}
