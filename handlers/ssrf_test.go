package handlers_test

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"switchboard/testsupport"
)

// ssrfRig is an app that allows one upstream address:port and nothing
// else private, with loopback servers it must never reach.
type ssrfRig struct {
	c       *testsupport.Client
	allowed string // the allowed upstream's URL
	v4Port  string // a refused server on 127.0.0.1
	v6Port  string // a refused server on [::1]
	reached atomic.Int64
	slugs   int
}

func newSSRFRig(t *testing.T, dbURL string) *ssrfRig {
	cfg := testsupport.Config(t, dbURL)
	cfg.AllowDestinations = nil
	s := testsupport.StartServer(t, cfg)
	org, _ := testsupport.Seed(t, s.App.Store, "acme", "owner@acme.test", "owner")
	rig := &ssrfRig{c: s.KeyClient(t, org.ID, "admin")}
	forbidden := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rig.reached.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"access_token":"stolen","token_type":"bearer"}`))
	})
	rig.v4Port = portOf(listenTest(t, "127.0.0.1:0", forbidden))
	rig.v6Port = portOf(listenTest(t, "[::1]:0", forbidden))
	up := listenTest(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if to := r.URL.Query().Get("to"); to != "" {
			http.Redirect(w, r, to, http.StatusFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ok":true,"access_token":"tok","token_type":"bearer"}`))
	}))
	s.App.Policy.AllowAddrPort(netip.MustParseAddrPort(up.Listener.Addr().String()))
	rig.allowed = up.URL
	return rig
}

func listenTest(t *testing.T, addr string, h http.Handler) *httptest.Server {
	t.Helper()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("listen %s: %v", addr, err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

func portOf(s *httptest.Server) string { return strconv.Itoa(s.Listener.Addr().(*net.TCPAddr).Port) }

// save creates an integration whose Ping is its test function.
func (r *ssrfRig) save(base, tokenURL string) (string, *testsupport.Response) {
	r.slugs++
	slug := fmt.Sprintf("ssrf%d", r.slugs)
	doc := map[string]any{"slug": slug, "name": "SSRF " + slug, "base_url": map[string]string{"production": base},
		"test_function": "Ping", "endpoints": []map[string]any{{"function": "Ping", "method": "GET", "path": "/ping"}}}
	if tokenURL != "" {
		doc["auth"] = map[string]any{"type": "oauth2_client_credentials", "token_url": tokenURL}
		doc["credential_fields"] = []string{"client_id", "client_secret"}
	}
	b, _ := json.Marshal(doc)
	return slug, r.c.Do("POST", "/api/admin/integrations", strings.NewReader(string(b)), http.Header{"Content-Type": {"application/json"}})
}

// via is a URL on the allowed upstream that redirects to target.
func (r *ssrfRig) via(target string) string {
	return r.allowed + "/hop?to=" + url.QueryEscape(target)
}

// TestSSRFMatrix runs every spelling of a refused destination through the
// real router: saved URLs with an IPv6 zone are refused at save naming the
// field; every other one saves, and both the execute API (403
// destination_blocked) and Test Connection refuse it before dialling.
// The private and metadata addresses are never dialled: the guard refuses
// them before connect, so no traffic leaves the machine.
func TestSSRFMatrix(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		rig := newSSRFRig(t, dbURL)
		v4 := func(host string) string { return "http://" + host + ":" + rig.v4Port }
		v6 := func(host string) string { return "http://" + host + ":" + rig.v6Port }
		cases := []struct {
			name, base, tokenURL string
			saveField            string // the field a refused save names
		}{
			{name: "plain IPv4 loopback", base: v4("127.0.0.1")},
			{name: "plain IPv6 loopback", base: v6("[::1]")},
			{name: "zone %25lo", base: v6("[::1%25lo]"), saveField: "base_url.production"},
			{name: "zone %25x", base: v6("[::1%25x]"), saveField: "base_url.production"},
			{name: "zone %25eth0", base: v6("[::1%25eth0]"), saveField: "base_url.production"},
			{name: "zone %251", base: v6("[::1%251]"), saveField: "base_url.production"},
			{name: "IPv4-mapped loopback", base: v4("[::ffff:127.0.0.1]")},
			{name: "NAT64 loopback", base: v4("[64:ff9b::7f00:1]")},
			{name: "IPv4-compatible loopback", base: v4("[::127.0.0.1]")},
			{name: "metadata 169.254.169.254", base: "http://169.254.169.254/latest/meta-data"},
			{name: "private 10/8", base: "http://10.0.0.1:8080/api"},
			{name: "IPv4-mapped private 10/8", base: "http://[::ffff:10.1.2.3]/api"},
			{name: "redirect from the allowed host to IPv6 loopback", base: rig.via(v6("[::1]") + "/ping")},
			{name: "redirect from the allowed host to zone %25lo", base: rig.via(v6("[::1%25lo]") + "/ping")},
			{name: "redirect from the allowed host to zone %25x", base: rig.via(v6("[::1%25x]") + "/ping")},
			{name: "redirect from the allowed host to zone %25eth0", base: rig.via(v6("[::1%25eth0]") + "/ping")},
			{name: "redirect from the allowed host to zone %251", base: rig.via(v6("[::1%251]") + "/ping")},
			{name: "redirect from the allowed host to the metadata address", base: rig.via("http://169.254.169.254/latest/meta-data")},
			{name: "oauth2 token_url on loopback", base: rig.allowed, tokenURL: v4("127.0.0.1") + "/token"},
			{name: "oauth2 token_url redirected to zone %25lo", base: rig.allowed, tokenURL: rig.via(v6("[::1%25lo]") + "/token")},
			{name: "oauth2 token_url with zone %25eth0", base: rig.allowed, tokenURL: v6("[::1%25eth0]") + "/token", saveField: "auth.token_url"},
		}
		for _, tt := range cases {
			t.Run(tt.name, func(t *testing.T) {
				slug, saved := rig.save(tt.base, tt.tokenURL)
				if tt.saveField != "" {
					wantSaveRefused(t, saved, tt.saveField)
					return
				}
				if saved.StatusCode != http.StatusCreated {
					t.Fatalf("save = %d %s", saved.StatusCode, saved.Body)
				}
				rig.wantBlocked(t, slug, tt.tokenURL != "")
			})
		}
		if n := rig.reached.Load(); n != 0 {
			t.Errorf("the refused loopback servers were reached %d times", n)
		}
		t.Run("the allowed address and port still work", rig.wantAllowed)
	})
}

// wantAllowed checks that the one allowed address and port is reached by
// the execute API and Test Connection.
func (r *ssrfRig) wantAllowed(t *testing.T) {
	slug, saved := r.save(r.allowed, "")
	if saved.StatusCode != http.StatusCreated {
		t.Fatalf("save = %d %s", saved.StatusCode, saved.Body)
	}
	if resp := r.c.SendJSON("POST", "/api/integrations/"+slug, map[string]any{"function": "Ping"}); resp.StatusCode != 200 {
		t.Fatalf("execute = %d %s", resp.StatusCode, resp.Body)
	}
	if res := r.testConnection(t, slug); !res.OK || res.Status != 200 {
		t.Fatalf("Test Connection = %+v", res)
	}
}

// wantSaveRefused checks a 422 naming field.
func wantSaveRefused(t *testing.T, r *testsupport.Response, field string) {
	t.Helper()
	var p struct {
		Code   string `json:"code"`
		Errors []struct{ Field, Message string }
	}
	r.JSON(t, &p)
	if r.StatusCode != http.StatusUnprocessableEntity || p.Code != "validation_failed" {
		t.Fatalf("save = %d %s, want 422 validation_failed", r.StatusCode, r.Body)
	}
	for _, e := range p.Errors {
		if e.Field == field && strings.Contains(e.Message, "zone") {
			return
		}
	}
	t.Fatalf("save refused without naming %s: %s", field, r.Body)
}

// wantBlocked checks that executing slug answers 403 destination_blocked
// and that its Test Connection fails saying so.
func (r *ssrfRig) wantBlocked(t *testing.T, slug string, oauth bool) {
	t.Helper()
	if oauth {
		cr := r.c.SendJSON("POST", "/api/admin/api-credentials", map[string]any{"integration": slug, "environment": "production",
			"fields": map[string]string{"client_id": "cid", "client_secret": "csecret-SECRET"}})
		if cr.StatusCode != http.StatusCreated {
			t.Fatalf("save credentials = %d %s", cr.StatusCode, cr.Body)
		}
	}
	resp := r.c.SendJSON("POST", "/api/integrations/"+slug, map[string]any{"function": "Ping"})
	var p struct {
		Code string `json:"code"`
	}
	resp.JSON(t, &p)
	if resp.StatusCode != http.StatusForbidden || p.Code != "destination_blocked" {
		t.Fatalf("execute = %d %s, want 403 destination_blocked", resp.StatusCode, resp.Body)
	}
	res := r.testConnection(t, slug)
	if res.OK || !strings.Contains(res.Message, "SWITCHBOARD_ALLOW_DESTINATIONS") {
		t.Fatalf("Test Connection = %+v, want a refused destination", res)
	}
}

type connResult struct {
	OK      bool   `json:"ok"`
	Status  int    `json:"status"`
	Message string `json:"message"`
}

// testConnection runs Test Connection on slug's production credentials.
func (r *ssrfRig) testConnection(t *testing.T, slug string) connResult {
	t.Helper()
	resp := r.c.SendJSON("POST", "/api/admin/api-credentials/test", map[string]any{"integration": slug, "environment": "production"})
	var res connResult
	resp.JSON(t, &res)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("Test Connection = %d %s", resp.StatusCode, resp.Body)
	}
	return res
}
