package outbound

import (
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"testing"
)

// listenOn starts a server on addr ("[::1]:0", "127.0.0.1:0").
func listenOn(t *testing.T, addr string) *httptest.Server {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen %s: %v", addr, err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("reached")) }))
	srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

func TestDisguisedLoopbackIsRefusedLikeThePlainForm(t *testing.T) {
	v6 := listenOn(t, "[::1]:0")
	v4 := listenOn(t, "127.0.0.1:0")
	port6 := v6.Listener.Addr().(*net.TCPAddr).Port
	port4 := v4.Listener.Addr().(*net.TCPAddr).Port
	hosts := []struct{ name, host string }{
		{"plain IPv6 loopback", "[::1]"},
		{"zone lo", "[::1%25lo]"},
		{"zone x", "[::1%25x]"},
		{"zone eth0", "[::1%25eth0]"},
		{"numeric zone", "[::1%251]"},
		{"plain IPv4 loopback", "127.0.0.1"},
		{"IPv4-mapped loopback", "[::ffff:127.0.0.1]"},
	}
	for _, p := range []struct {
		name   string
		policy func() *Policy
	}{
		{"default policy", func() *Policy { return mustPolicy(t, nil) }},
		{"policy allowing another port only", func() *Policy {
			p := mustPolicy(t, nil)
			p.AllowAddrPort(netip.MustParseAddrPort("[::1]:1"))
			p.AllowAddrPort(netip.MustParseAddrPort("127.0.0.1:1"))
			return p
		}},
	} {
		c := NewClient(p.policy())
		for _, h := range hosts {
			t.Run(p.name+"/"+h.name, func(t *testing.T) {
				port := port6
				if !strings.HasPrefix(h.host, "[::1") {
					port = port4
				}
				u := "http://" + h.host + ":" + strconv.Itoa(port) + "/"
				resp, err := c.Get(u)
				if err == nil {
					resp.Body.Close()
					t.Fatalf("GET %s reached the loopback server (%d), want a blocked destination", u, resp.StatusCode)
				}
				if !IsBlocked(err) {
					t.Fatalf("GET %s: err = %v, want a blocked destination", u, err)
				}
			})
		}
	}
}

func TestAllowedAddrPortAcceptsItsZonedSpelling(t *testing.T) {
	srv := listenOn(t, "[::1]:0")
	p := mustPolicy(t, nil)
	p.AllowAddrPort(netip.MustParseAddrPort(srv.Listener.Addr().String()))
	c := NewClient(p)
	port := strconv.Itoa(srv.Listener.Addr().(*net.TCPAddr).Port)
	for _, u := range []string{"http://[::1]:" + port + "/", "http://[::1%25lo]:" + port + "/"} {
		resp, err := c.Get(u)
		if err != nil {
			t.Fatalf("GET %s of the allowed address: %v", u, err)
		}
		resp.Body.Close()
	}
}

// The forms below are judged without dialling: on today's network they
// would leave the machine if the policy let them through.
func TestPolicyJudgesTheAddressAnEmbeddingReaches(t *testing.T) {
	p := mustPolicy(t, nil)
	refused := []string{
		"::1%lo", "fe80::1%eth0", "::ffff:10.0.0.1", "::ffff:169.254.169.254",
		"64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b::a9fe:a9fe", "64:ff9b:1::a00:1",
		"::127.0.0.1", "::10.0.0.1", "::169.254.169.254", "::", "::1",
	}
	for _, s := range refused {
		if p.Allowed("x", netip.MustParseAddr(s)) {
			t.Errorf("%s allowed by the default policy", s)
		}
	}
	for _, s := range []string{"64:ff9b::808:808", "2606:4700::1111%eth0"} {
		if !p.Allowed("x", netip.MustParseAddr(s)) {
			t.Errorf("%s (a public address) refused", s)
		}
	}
	loop := mustPolicy(t, []string{"127.0.0.0/8", "::ffff:10.9.9.9"})
	if loop.Allowed("x", netip.MustParseAddr("64:ff9b::7f00:1")) {
		t.Error("an allowed 127.0.0.0/8 let a NAT64 address through (it reaches the gateway, not loopback)")
	}
	if !loop.Allowed("x", netip.MustParseAddr("10.9.9.9")) {
		t.Error("an allow entry written IPv4-mapped did not allow its IPv4 address")
	}
}
