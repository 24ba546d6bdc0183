package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"switchboard/testsupport"
)

// startDemo starts the demo app (sandbox, demo organization with Open
// Dental and dual-write) whose outbound calls may also reach the test's
// own upstreams on loopback.
func startDemo(t *testing.T, dbURL string) *testsupport.Server {
	t.Helper()
	cfg := testsupport.Config(t, dbURL)
	cfg.Demo = true
	srv := testsupport.StartServer(t, cfg)
	if _, err := srv.App.SeedDemo(context.Background()); err != nil {
		t.Fatalf("seed demo: %v", err)
	}
	return srv
}

// practice is an organization of its own in a running demo app, driven by
// an admin and an agent key.
type practice struct {
	admin, agent *testsupport.Client
	agentKey     string
}

// newPractice seeds organization slug with an admin and an agent key.
func newPractice(t *testing.T, srv *testsupport.Server, slug string) *practice {
	t.Helper()
	org, _ := testsupport.Seed(t, srv.App.Store, slug, slug+"@example.test", "owner")
	adminKey, _ := testsupport.SeedKey(t, srv.App.Store, org.ID, "admin")
	agentKey, _ := testsupport.SeedKey(t, srv.App.Store, org.ID, "agent")
	p := &practice{admin: srv.NewClient(t), agent: srv.NewClient(t), agentKey: agentKey}
	p.admin.Header.Set("Authorization", "Bearer "+adminKey)
	p.agent.Header.Set("Authorization", "Bearer "+agentKey)
	return p
}

// define creates an integration from a JSON document.
func (p *practice) define(t *testing.T, doc string) {
	t.Helper()
	if r := p.admin.Do("POST", "/api/admin/integrations", strings.NewReader(doc), http.Header{"Content-Type": {"application/json"}}); r.StatusCode != 201 {
		t.Fatalf("create integration = %d %s", r.StatusCode, r.Body)
	}
}

// execute calls a function through the agent API.
func (p *practice) execute(provider, function string) *testsupport.Response {
	return p.agent.SendJSON("POST", "/api/integrations/"+provider, map[string]any{"function": function})
}

// drip answers a JSON body declaring size bytes and sends 1 KiB every
// 50 ms until the client goes away.
func drip(size int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(size))
		w.WriteHeader(http.StatusOK)
		chunk := []byte(strings.Repeat(" ", 1<<10))
		for sent := 0; sent+len(chunk) < size; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
}

// TestOneOrganizationsSlowAnswersDoNotStallAnother is the red team's
// finding end to end: while organization B's agent waits on two answers
// that declare 8 MiB and drip, the demo organization's agent calls to Open
// Dental answer at once and its patients sync to Open Dental (before, both
// failed with 503 after 15 s and the sync jobs went to retrying).
func TestOneOrganizationsSlowAnswersDoNotStallAnother(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv := startDemo(t, dbURL)
		var hits atomic.Int64
		slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			drip(8<<20)(w, r)
		}))
		t.Cleanup(slow.Close)
		b := newPractice(t, srv, "slowpoke")
		b.define(t, `{"slug":"bulk","name":"Bulk export","timeout":"8s","retry":{"max_attempts":1},"base_url":{"production":"`+
			slow.URL+`"},"endpoints":[{"function":"Export","method":"GET","path":"/export"}]}`)
		var slowDone sync.WaitGroup
		slowAnswers := make([]*testsupport.Response, 2)
		var slowEnded atomic.Int32
		for i := range 2 {
			slowDone.Go(func() {
				slowAnswers[i] = b.execute("bulk", "Export")
				slowEnded.Add(1)
			})
		}
		for deadline := time.Now().Add(10 * time.Second); hits.Load() < 2; time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) || slowEnded.Load() > 0 {
				slowDone.Wait()
				t.Fatalf("B's calls never reached the slow upstream: %d %s", slowAnswers[0].StatusCode, slowAnswers[0].Body)
			}
		}
		time.Sleep(200 * time.Millisecond)

		demo, err := srv.App.Store.OrganizationBySlug(t.Context(), "demo")
		if err != nil {
			t.Fatal(err)
		}
		key, _ := testsupport.SeedKey(t, srv.App.Store, demo.ID, "agent")
		a := srv.NewClient(t)
		a.Header.Set("Authorization", "Bearer "+key)
		var calls sync.WaitGroup
		for i := range 4 {
			calls.Go(func() {
				if r := a.SendJSON("POST", "/api/integrations/opendental", map[string]any{"function": "ListProviders"}); r.StatusCode != 200 {
					t.Errorf("demo call %d while B's answers drip = %d %s", i, r.StatusCode, r.Body)
				}
			})
		}
		r := a.SendJSON("POST", "/api/patients?wait=5s", map[string]any{"first_name": "Ada", "last_name": "Fair", "phone": "555-0100"})
		var created struct {
			Sync []struct{ Integration, Status, Error string }
		}
		r.JSON(t, &created)
		if r.StatusCode != 201 || len(created.Sync) == 0 || created.Sync[0].Status != "synced" {
			t.Errorf("patient created while B's answers drip = %d %s, want it synced to Open Dental", r.StatusCode, r.Body)
		}
		calls.Wait()
		if slowEnded.Load() != 0 {
			t.Error("the demo's calls and sync ended only once B's slow answers had ended")
		}
		slowDone.Wait()
		for i, r := range slowAnswers {
			if r.StatusCode != http.StatusGatewayTimeout {
				t.Errorf("B's slow call %d = %d %s, want 504 upstream_timeout", i, r.StatusCode, r.Body)
			}
		}
	})
}

// echoKey is the credential the echoing upstream of
// TestCredentialsEchoedByAnUpstreamReachNoDoor repeats.
const echoKey = "sbx-9TqL2mVw7Zr4Kp8N"

// echoing answers every request with its X-Key header, whole and in part:
// in its body, a header and, for /refuse and /patients, an error message.
func echoing(w http.ResponseWriter, r *http.Request) {
	got := r.Header.Get("X-Key")
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Echo", got)
	if r.URL.Path != "/echo" {
		w.WriteHeader(http.StatusUnprocessableEntity)
		_, _ = w.Write([]byte(`{"message":"the key ` + got[:11] + `… may not do this"}`))
		return
	}
	_, _ = w.Write([]byte(`{"key":"` + got + `","start":"` + got[:9] + `","tail":"` + got[8:] + `"}`))
}

// TestCredentialsEchoedByAnUpstreamReachNoDoor: an upstream that repeats
// the stored credential (whole, or 8 characters and more of it) in its
// answers gives none of it to the agent API, to MCP tools or to the sync
// error log; before, only try-it redacted, and only the whole value.
func TestCredentialsEchoedByAnUpstreamReachNoDoor(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv := startDemo(t, dbURL)
		up := httptest.NewServer(http.HandlerFunc(echoing))
		t.Cleanup(up.Close)
		p := newPractice(t, srv, "echoes")
		p.define(t, `{"slug":"echo","name":"Echo","auth":{"type":"api_key","header":"X-Key","template":"{{api_key}}"},`+
			`"credential_fields":["api_key"],"retry":{"max_attempts":1},"base_url":{"production":"`+up.URL+`"},"endpoints":[`+
			`{"function":"Echo","method":"GET","path":"/echo"},{"function":"Refuse","method":"GET","path":"/refuse"},`+
			`{"function":"CreatePatient","method":"POST","path":"/patients","writes":true,"params":[{"name":"first_name","in":"body"}]}],`+
			`"sync":{"patient":{"create":"CreatePatient"}}}`)
		if r := p.admin.SendJSON("POST", "/api/admin/api-credentials", map[string]any{"integration": "echo",
			"fields": map[string]string{"api_key": echoKey}}); r.StatusCode != 201 {
			t.Fatalf("save credentials = %d %s", r.StatusCode, r.Body)
		}
		if r := p.admin.SendJSON("POST", "/api/admin/integration-settings", map[string]any{"integration": "echo", "enabled": true,
			"direction": "dual_write", "entities": []string{"patient"}}); r.StatusCode != 201 {
			t.Fatalf("sync settings = %d %s", r.StatusCode, r.Body)
		}
		shows := func(door, text string) {
			t.Helper()
			for _, part := range []string{echoKey[:8], echoKey[4:12], echoKey[12:]} {
				if strings.Contains(text, part) {
					t.Errorf("%s shows %q of the key: %s", door, part, text)
				}
			}
		}
		ok := p.execute("echo", "Echo")
		if ok.StatusCode != 200 || !strings.Contains(ok.Body, "[redacted]") {
			t.Errorf("agent API call = %d %s", ok.StatusCode, ok.Body)
		}
		shows("the agent API's answer", ok.Body)
		refused := p.execute("echo", "Refuse")
		if refused.StatusCode != 502 || !strings.Contains(refused.Body, "may not do this") {
			t.Errorf("agent API refusal = %d %s", refused.StatusCode, refused.Body)
		}
		shows("the agent API's problem document", refused.Body)

		cs := testsupport.MCPSession(t, srv, p.agentKey)
		for _, tool := range []string{"echo__Echo", "echo__Refuse"} {
			res, err := cs.CallTool(t.Context(), &mcp.CallToolParams{Name: tool, Arguments: map[string]any{}})
			if err != nil {
				t.Fatalf("call %s: %v", tool, err)
			}
			b, _ := json.Marshal(res)
			shows("the MCP tool "+tool, string(b))
		}

		if r := p.agent.SendJSON("POST", "/api/patients?wait=5s", map[string]any{"first_name": "Ada", "last_name": "Echo"}); r.StatusCode != 201 {
			t.Fatalf("create patient = %d %s", r.StatusCode, r.Body)
		}
		log := p.admin.Get("/api/admin/sync-errors")
		if log.StatusCode != 200 || !strings.Contains(log.Body, "may not do this") {
			t.Errorf("sync error log = %d %s, want the failed delivery with its attempt", log.StatusCode, log.Body)
		}
		shows("the sync error log", log.Body)
	})
}

// manyPaths is an OpenAPI document of n path items with long
// descriptions (about 1 KB each).
func manyPaths(n int) string {
	var b strings.Builder
	b.WriteString(`{"openapi":"3.0.3","info":{"title":"Many","version":"1"},"servers":[{"url":"https://api.example.com"}],"paths":{`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"/things` + strconv.Itoa(i) + `":{"get":{"description":"` + strings.Repeat("Lorem ipsum dolor sit amet. ", 36) +
			`","parameters":[{"name":"q","in":"query","schema":{"type":"string"}}],"responses":{"200":{"description":"ok"}}}}`)
	}
	b.WriteString(`}}`)
	return b.String()
}

// TestASecondImportOfAnOrganizationWaitsItsTurn: two imports (dry runs
// here, which cost as much) sent at once for one organization: one runs,
// the other is answered 429 rate_limited with a Retry-After at once
// instead of holding a second copy of the document in memory.
func TestASecondImportOfAnOrganizationWaitsItsTurn(t *testing.T) {
	srv := startDemo(t, testsupport.SQLiteURL(t))
	p := newPractice(t, srv, "importer")
	doc := manyPaths(4000)
	answers := make([]*testsupport.Response, 2)
	var wg sync.WaitGroup
	for i := range answers {
		wg.Go(func() {
			answers[i] = p.admin.Do("POST", "/api/admin/integrations/import?slug=many&dry_run=true", strings.NewReader(doc),
				http.Header{"Content-Type": {"application/json"}})
		})
	}
	wg.Wait()
	var ok, refused int
	for _, r := range answers {
		switch {
		case r.StatusCode == http.StatusOK:
			ok++
		case r.StatusCode == http.StatusTooManyRequests && r.Header.Get("Retry-After") != "" && strings.Contains(r.Body, `"code":"rate_limited"`):
			refused++
		default:
			t.Errorf("import = %d %s", r.StatusCode, r.Body)
		}
	}
	if ok != 1 || refused != 1 {
		t.Errorf("%d imports ran and %d were refused, want one of each", ok, refused)
	}
}
