package handlers_test

import (
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"switchboard/testsupport"
)

// scrapeFamilies reads /metrics with the Prometheus text parser.
func scrapeFamilies(t *testing.T, srv *testsupport.Server) map[string]*dto.MetricFamily {
	t.Helper()
	rec := scrape(srv, "127.0.0.1:40000", nil)
	if rec.Code != 200 {
		t.Fatalf("GET /metrics = %d", rec.Code)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(rec.Body.String()))
	if err != nil {
		t.Fatalf("the metrics do not parse: %v", err)
	}
	return fams
}

// seriesValue sums a family's samples whose labels include want: counter
// and gauge values, histogram sample counts.
func seriesValue(fams map[string]*dto.MetricFamily, name string, want map[string]string) float64 {
	var sum float64
	f := fams[name]
	if f == nil {
		return -1
	}
next:
	for _, m := range f.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if have[k] != v {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			sum += m.GetCounter().GetValue()
		case m.Gauge != nil:
			sum += m.GetGauge().GetValue()
		case m.Histogram != nil:
			sum += float64(m.GetHistogram().GetSampleCount())
		}
	}
	return sum
}

// TestMetricsMoveOnATour: after a scripted tour of the demo — an agent's
// call, an MCP tool, a patient written through dual-write, then an outage
// with calls that retry until the circuit opens and a write that waits —
// each series of SPEC §10 has moved, labelled by integration slug.
func TestMetricsMoveOnATour(t *testing.T) {
	srv, agent, _ := demoOn(t, testsupport.SQLiteURL(t))
	settleSync(t, srv)
	org := srv.DemoOrg(t)
	before := scrapeFamilies(t, srv)
	key, _ := testsupport.SeedKey(t, srv.App.Store, org.ID, "agent")
	if res, text := callTool(t, mcpSession(t, srv, key), "opendental__GetPatient", map[string]any{"PatNum": 1}); res.IsError {
		t.Fatalf("MCP GetPatient = %s", text)
	}
	if r := agent.SendJSON("POST", "/api/integrations/opendental", map[string]any{"function": "ListProviders"}); r.StatusCode != 200 {
		t.Fatalf("execute = %d %s", r.StatusCode, r.Body)
	}
	if r := agent.SendJSON("POST", "/api/patients", map[string]any{"first_name": "Tour", "last_name": "Metrics"}); r.StatusCode != 201 {
		t.Fatalf("create patient = %d %s", r.StatusCode, r.Body)
	}
	settleSync(t, srv)
	mid := scrapeFamilies(t, srv)
	staff := demoStaff(t, srv)
	switchOutage(t, staff, true)
	for i := 0; i < 20 && srv.App.Executor.BreakerState(org.ID, "opendental", "sandbox") != "open"; i++ {
		agent.SendJSON("POST", "/api/integrations/opendental", map[string]any{"function": "ListProviders"})
	}
	if r := agent.SendJSON("POST", "/api/patients", map[string]any{"first_name": "Waits", "last_name": "Outage"}); r.StatusCode != 201 {
		t.Fatalf("create patient during the outage = %d %s", r.StatusCode, r.Body)
	}
	after := scrapeFamilies(t, srv)

	od := map[string]string{"integration": "opendental"}
	moved := []struct {
		name        string
		labels      map[string]string
		from, to    map[string]*dto.MetricFamily
		minIncrease float64
	}{
		{"switchboard_http_requests_total", map[string]string{"route": "/mcp"}, before, mid, 1},
		{"switchboard_upstream_request_duration_seconds", map[string]string{"integration": "opendental", "function": "GetPatient"}, before, mid, 1},
		{"switchboard_upstream_request_duration_seconds", map[string]string{"integration": "opendental", "function": "ListProviders"}, before, mid, 1},
		{"switchboard_sync_jobs_total", map[string]string{"outcome": "synced"}, before, mid, 1},
		{"switchboard_sync_lag_seconds", nil, before, mid, 1},
		{"switchboard_upstream_retries_total", od, mid, after, 1},
		{"switchboard_circuit_open", od, mid, after, 1},
	}
	for _, m := range moved {
		from, to := max(seriesValue(m.from, m.name, m.labels), 0), seriesValue(m.to, m.name, m.labels)
		if to-from < m.minIncrease {
			t.Errorf("%s%v went from %v to %v, want it up by %v", m.name, m.labels, from, to, m.minIncrease)
		}
	}
	waiting := func(f map[string]*dto.MetricFamily) float64 {
		return seriesValue(f, "switchboard_sync_queue_depth", map[string]string{"status": "pending"}) +
			seriesValue(f, "switchboard_sync_queue_depth", map[string]string{"status": "retrying"})
	}
	if w0, w1 := waiting(mid), waiting(after); w0 != 0 || w1 < 1 {
		t.Errorf("switchboard_sync_queue_depth of waiting jobs went from %v to %v, want 0 then at least 1", w0, w1)
	}
	if seriesValue(after, "switchboard_sync_queue_depth", map[string]string{"status": "synced"}) < 1 {
		t.Errorf("switchboard_sync_queue_depth{status=\"synced\"} does not count the delivered jobs")
	}
	for name, f := range after {
		if !strings.HasPrefix(name, "switchboard_") {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if strings.Contains(l.GetValue(), "demo") || strings.Contains(l.GetValue(), org.Name) {
					t.Errorf("%s carries organization data: %s=%q", name, l.GetName(), l.GetValue())
				}
			}
		}
	}
}
