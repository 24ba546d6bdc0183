package handlers_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"switchboard/testsupport"
)

// scrape sends GET /metrics straight into the real router with the given
// TCP peer address, as a remote scraper's connection would arrive.
func scrape(srv *testsupport.Server, remoteAddr string, header http.Header) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.RemoteAddr = remoteAddr
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	srv.App.Router.ServeHTTP(rec, req)
	return rec
}

func TestMetricsAnswerLoopbackOrTheToken(t *testing.T) {
	const token = "metrics-token-for-tests"
	open := testsupport.StartServer(t, testsupport.Config(t, testsupport.SQLiteURL(t)))
	cfg := testsupport.Config(t, testsupport.SQLiteURL(t))
	cfg.MetricsToken = token
	guarded := testsupport.StartServer(t, cfg)
	bearer := func(tok string) http.Header { return http.Header{"Authorization": {"Bearer " + tok}} }
	cases := []struct {
		name   string
		srv    *testsupport.Server
		remote string
		header http.Header
		want   int
	}{
		{"RemotePeerWithoutTokenIsRefused", open, "192.0.2.10:40000", nil, http.StatusUnauthorized},
		{"ForwardedForLoopbackDoesNotHelp", open, "192.0.2.10:40000", http.Header{"X-Forwarded-For": {"127.0.0.1"}, "X-Real-Ip": {"127.0.0.1"}}, http.StatusUnauthorized},
		{"LoopbackPeerIsServed", open, "127.0.0.1:40000", nil, http.StatusOK},
		{"IPv6LoopbackPeerIsServed", open, "[::1]:40000", nil, http.StatusOK},
		{"RemotePeerWithTheTokenIsServed", guarded, "192.0.2.10:40000", bearer(token), http.StatusOK},
		{"RemotePeerWithAWrongTokenIsRefused", guarded, "192.0.2.10:40000", bearer("wrong"), http.StatusUnauthorized},
		{"LoopbackPeerNeedsTheTokenOnceOneIsSet", guarded, "127.0.0.1:40000", nil, http.StatusUnauthorized},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := scrape(tc.srv, tc.remote, tc.header)
			if rec.Code != tc.want {
				t.Fatalf("status = %d, want %d: %.300s", rec.Code, tc.want, rec.Body.String())
			}
			if tc.want == http.StatusOK && !strings.Contains(rec.Body.String(), "go_goroutines") {
				t.Errorf("no metrics in the answer: %.300s", rec.Body.String())
			} else if tc.want != http.StatusOK && strings.Contains(rec.Body.String(), "go_goroutines") {
				t.Errorf("a refused scrape shows metrics: %.300s", rec.Body.String())
			}
		})
	}
}

func TestMetricsCarryNoOrganizationData(t *testing.T) {
	srv, agent, _ := demoAdmin(t)
	const slug = "globex-private-practice"
	org, _ := testsupport.Seed(t, srv.App.Store, slug, "owner@globex.test", "owner")
	g := srv.KeyClient(t, org.ID, "agent")
	g.SendJSON("POST", "/api/integrations/opendental", map[string]any{"function": "GetPatients"})
	g.Do("POST", "/webhooks/"+slug+"/opendental", strings.NewReader(`{}`), nil)
	g.Get("/" + slug)
	g.Get("/api/" + slug)
	agent.SendJSON("POST", "/api/integrations/opendental", map[string]any{"function": "GetPatients"})
	body := scrape(srv, "127.0.0.1:40000", nil).Body.String()
	if !strings.Contains(body, `provider="opendental"`) {
		t.Fatalf("the demo's execution is not counted by integration slug:\n%.2000s", body)
	}
	for _, leak := range []string{slug, org.Name, "demo"} {
		if strings.Contains(body, leak) {
			t.Errorf("metrics name organization data %q", leak)
		}
	}
}
