package handlers_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchboard/integrations/sandbox"
	"switchboard/models"
	"switchboard/testsupport"
)

// traceImportAnswer is the answer of POST /api/admin/langfuse/import.
type traceImportAnswer struct {
	Fetched, Created, Updated int
	Cursor                    *time.Time
	PollInterval              string `json:"poll_interval"`
}

func countTraces(t *testing.T, srv *testsupport.Server, orgID int64) int {
	t.Helper()
	trs, err := srv.App.Store.Tenant(orgID).AgentTraces(context.Background(), models.TraceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return len(trs)
}

// TestAgentTraces: the demo imports its Langfuse project's traces at
// start (redacted excerpts); the import API is incremental (it reads from
// the newest trace imported) and idempotent; a call made with X-Trace-Id
// or a W3C traceparent is listed on its trace's page; another
// organization sees neither the demo's traces nor its calls, imports its
// own, and its scheduled pull runs when due. Both databases.
func TestAgentTraces(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, url string) {
		ctx := context.Background()
		srv, login := testsupport.StartDemoOn(t, url)
		demo := srv.DemoOrg(t)
		if n := countTraces(t, srv, demo.ID); n != 12 {
			t.Fatalf("the demo imported %d traces, want the sandbox's 12", n)
		}
		card, err := srv.App.Store.Tenant(demo.ID).AgentTrace(ctx, "trace-005")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(card.InputExcerpt, "[card]") || strings.Contains(card.InputExcerpt, "4111") || strings.Contains(card.InputExcerpt, "sk-live") {
			t.Fatalf("trace-005's input excerpt is not redacted: %s", card.InputExcerpt)
		}

		// The import that stored them (the demo's at start, or the scheduled
		// pull when that one timed out on a loaded machine) has saved its
		// cursor before the next import reads it. The scheduler looks every
		// 30 s (traceScheduleEvery), so the wait outlasts one look.
		lf, err := srv.App.Store.Tenant(demo.ID).IntegrationBySlug(ctx, "langfuse")
		if err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(45 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			st, err := srv.App.Store.Tenant(demo.ID).TraceImportOf(ctx, lf.ID)
			if err != nil {
				t.Fatal(err)
			}
			if st.CursorAt != nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("no import saved its cursor")
			}
		}
		admin := srv.KeyClient(t, demo.ID, "admin")
		var again traceImportAnswer
		r := admin.SendJSON("POST", "/api/admin/langfuse/import", map[string]any{})
		if r.StatusCode != http.StatusOK {
			t.Fatalf("import = %d %s", r.StatusCode, r.Body)
		}
		r.JSON(t, &again)
		if again.Created != 0 || again.Fetched > 1 || countTraces(t, srv, demo.ID) != 12 {
			t.Fatalf("import again = %+v, %d traces; want nothing new and only the newest re-read", again, countTraces(t, srv, demo.ID))
		}
		srv.DemoSandbox(t).AddLangfuseTrace(sandbox.LangfuseTrace{ID: "trace-new", Timestamp: time.Now().UTC().Add(time.Minute),
			Name: "book-appointment", SessionID: "call-2001", UserID: "+15125550199", Tags: []string{"voice"}, Latency: 1.5, TotalCost: 0.02,
			Input: "password=hunter22 please book"})
		var more traceImportAnswer
		admin.SendJSON("POST", "/api/admin/langfuse/import", map[string]any{"poll_interval": "10m"}).JSON(t, &more)
		if more.Created != 1 || more.Fetched != 2 || more.PollInterval != "10m0s" || countTraces(t, srv, demo.ID) != 13 {
			t.Fatalf("incremental import = %+v, %d traces; want the one new trace (and the newest re-read)", more, countTraces(t, srv, demo.ID))
		}
		if r := admin.SendJSON("POST", "/api/admin/langfuse/import", map[string]any{"poll_interval": "5s"}); r.StatusCode != 422 || !strings.Contains(r.Body, "poll_interval") {
			t.Fatalf("a 5s interval = %d %s, want 422 naming poll_interval", r.StatusCode, r.Body)
		}

		// Calls under traces.
		agent := srv.KeyClient(t, demo.ID, "agent")
		call := func(c *testsupport.Client, h http.Header) {
			t.Helper()
			r := c.Do("POST", "/api/integrations/opendental", strings.NewReader(`{"function":"ListProviders"}`),
				http.Header{"Content-Type": {"application/json"}, "X-Trace-Id": h["X-Trace-Id"], "Traceparent": h["Traceparent"]})
			if r.StatusCode != http.StatusOK {
				t.Fatalf("call = %d %s", r.StatusCode, r.Body)
			}
		}
		call(agent, http.Header{"X-Trace-Id": {"trace-new"}})
		call(agent, http.Header{"Traceparent": {"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}})
		if err := srv.App.Calls.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		calls, err := srv.App.Store.Tenant(demo.ID).CallsOfTrace(ctx, "trace-new", 10)
		if err != nil || len(calls) != 1 || calls[0].Function != "ListProviders" {
			t.Fatalf("calls of trace-new = %+v, %v", calls, err)
		}
		if w3c, _ := srv.App.Store.Tenant(demo.ID).CallsOfTrace(ctx, "4bf92f3577b34da6a3ce929d0e0e4736", 10); len(w3c) != 1 {
			t.Fatalf("calls under the traceparent's trace = %d, want 1", len(w3c))
		}
		owner := srv.NewClient(t)
		owner.Login(login.Email, login.Password)
		page := owner.Get("/agent-traces/trace-new")
		if page.StatusCode != 200 || !strings.Contains(page.Body, `data-testid="trace-call"`) || !strings.Contains(page.Body, "ListProviders") ||
			strings.Contains(page.Body, "hunter22") {
			t.Fatalf("trace page = %d, want its call listed and its input redacted: %.2000s", page.StatusCode, page.Body)
		}
		list := owner.Get("/agent-traces?tag=voice&min_cost=0.01")
		if list.StatusCode != 200 || !strings.Contains(list.Body, "trace-new") || strings.Contains(list.Body, "/agent-traces/trace-001\"") {
			t.Fatalf("filtered list = %d: %.1500s", list.StatusCode, list.Body)
		}
		if bad := owner.Get("/agent-traces?day=yesterday"); bad.StatusCode != 200 || !strings.Contains(bad.Body, "must be a date") {
			t.Fatalf("a bad day = %d, want the page naming the field", bad.StatusCode)
		}

		// Another organization: its own sandbox tenant, traces and calls.
		globex, _ := testsupport.Seed(t, srv.App.Store, "globex", "owner@globex.test", "owner")
		if err := srv.App.SeedSandboxIntegrations(ctx, globex.ID); err != nil {
			t.Fatal(err)
		}
		gAgent := srv.KeyClient(t, globex.ID, "agent")
		call(gAgent, http.Header{"X-Trace-Id": {"trace-new"}})
		gAdmin := srv.KeyClient(t, globex.ID, "admin")
		var gFirst traceImportAnswer
		gAdmin.SendJSON("POST", "/api/admin/langfuse/import", nil).JSON(t, &gFirst)
		if gFirst.Created != 12 || countTraces(t, srv, globex.ID) != 12 {
			t.Fatalf("globex import = %+v, want its own 12 traces", gFirst)
		}
		if err := srv.App.Calls.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		if calls, _ := srv.App.Store.Tenant(demo.ID).CallsOfTrace(ctx, "trace-new", 10); len(calls) != 1 {
			t.Fatalf("globex's call under trace-new shows on the demo's trace: %d calls", len(calls))
		}
		gOwner := srv.NewClient(t)
		gOwner.Login("owner@globex.test", testsupport.Password)
		if r := gOwner.Get("/agent-traces/trace-new"); r.StatusCode != http.StatusNotFound {
			t.Fatalf("globex opens the demo's trace-new: %d", r.StatusCode)
		}
		if r := gOwner.Get("/agent-traces"); strings.Contains(r.Body, "call-2001") {
			t.Fatalf("globex's traces page shows the demo's session")
		}

		// The scheduled pull, once due, brings globex's new trace.
		srv.App.SandboxOf(globex.ID).AddLangfuseTrace(sandbox.LangfuseTrace{ID: "trace-g1", Timestamp: time.Now().UTC().Add(time.Minute), Name: "find-slots"})
		in, err := srv.App.Store.Tenant(globex.ID).IntegrationBySlug(ctx, "langfuse")
		if err != nil {
			t.Fatal(err)
		}
		st, err := srv.App.Store.Tenant(globex.ID).TraceImportOf(ctx, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		st.NextPollAt = time.Now().UTC().Add(-time.Minute)
		if err := srv.App.Store.Tenant(globex.ID).SaveTraceImport(ctx, st); err != nil {
			t.Fatal(err)
		}
		if err := srv.App.ScheduleTraceImports(ctx); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the scheduled pull of globex's new trace", func() bool { return countTraces(t, srv, globex.ID) == 13 })
		if n := countTraces(t, srv, demo.ID); n != 13 {
			t.Fatalf("globex's pull changed the demo's traces: %d", n)
		}
	})
}

// waitFor polls cond until it holds, failing the test after a generous
// deadline (a liveness bound, not a timing assertion).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
