package handlers_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"switchboard/testsupport"
)

// statHref is the link of the dashboard card labelled label.
func statHref(body, label string) string {
	re := regexp.MustCompile(`<a href="([^"]*)"[^>]*data-testid="stat-` + regexp.QuoteMeta(label) + `"`)
	if m := re.FindStringSubmatch(body); m != nil {
		return strings.ReplaceAll(m[1], "&amp;", "&")
	}
	return ""
}

// TestDashboardCountsSyncQueueLagAndCredentialState: after the demo's
// deliveries and a write that waits during an outage, the dashboard shows
// deliveries, queue depth, the oldest waiting job and the lag, each
// linked to the list behind it; Open Dental's refused OAuth refresh shows
// as "needs reconnecting"; both charts have a y-axis, hour labels oldest
// first in practice time, a legend and a table; a practice with no calls
// sees the empty state.
func TestDashboardCountsSyncQueueLagAndCredentialState(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv, agent, _ := demoOn(t, dbURL)
		settleSync(t, srv)
		org := srv.DemoOrg(t)
		staff := demoStaff(t, srv)
		switchOutage(t, staff, true)
		if r := agent.SendJSON("POST", "/api/patients", map[string]any{"first_name": "Queued", "last_name": "Patient"}); r.StatusCode != 201 {
			t.Fatalf("create patient = %d %s", r.StatusCode, r.Body)
		}
		tn := srv.App.Store.Tenant(org.ID)
		in, err := tn.IntegrationBySlug(t.Context(), "opendental")
		if err != nil {
			t.Fatal(err)
		}
		for _, env := range []string{"production", "sandbox"} {
			if err := tn.MarkCredentialNeedsReauth(t.Context(), in.ID, env, "invalid_grant"); err != nil {
				t.Fatal(err)
			}
		}
		body := staff.Get("/").Body
		for label, bad := range map[string]string{"Sync deliveries 24h": "0", "Queue depth": "0", "Oldest waiting": "none", "Sync lag p50": "no deliveries", "Sync lag p95": "no deliveries"} {
			if got := statValue(body, label); got == "" || got == bad {
				t.Errorf("stat %q = %q", label, got)
			}
		}
		links := map[string]string{
			"Queue depth": "/sync-errors?status=pending%2Cretrying", "Open sync errors": "/sync-errors",
			"Calls 24h": "/calls?from=", "Rate limited 24h": "/calls?code=rate_limited&from=",
			"Failed calls 24h": "/calls?from=", "Sync deliveries 24h": "/calls?caller=sync&from=",
			"Sync lag p95": "/sync-errors?from=",
		}
		for label, want := range links {
			if got := statHref(body, label); !strings.HasPrefix(got, want) {
				t.Errorf("stat %q links to %q, want %s…", label, got, want)
			}
		}
		row := body[strings.Index(body, `data-testid="health-opendental"`):]
		row = row[:strings.Index(row, "</tr>")]
		if !strings.Contains(row, "needs reconnecting") || !strings.Contains(row, "/sync-errors?integration=opendental") {
			t.Errorf("Open Dental's health row = %s", row)
		}
		chicago, _ := time.LoadLocation("America/Chicago")
		now := time.Now().In(chicago)
		labels := regexp.MustCompile(`data-testid="x-label">([0-9:]+)<`).FindAllStringSubmatch(body, -1)
		if len(labels) < 4 || labels[0][1] != now.Add(-23*time.Hour).Format("15:00") || labels[len(labels)-1][1] != now.Format("15:00") {
			t.Errorf("x labels = %v, want from %s (oldest) to %s", labels, now.Add(-23*time.Hour).Format("15:00"), now.Format("15:00"))
		}
		for _, want := range []string{`data-testid="calls-chart"`, `data-testid="sync-chart"`, `data-testid="y-tick"`, `data-testid="chart-legend"`,
			`class="sr-only" data-testid="chart-table"`, `role="img" aria-label="Sync deliveries per hour`, `class="fill-slate-600"`, `id="dashboard-live" data-live`} {
			if !strings.Contains(body, want) {
				t.Errorf("the dashboard lacks %s", want)
			}
		}
		if strings.Contains(body, "text-slate-400") || strings.Contains(body, "fill-slate-400") {
			t.Error("the dashboard uses slate-400 text (under 4.5:1 on white)")
		}

		testsupport.Seed(t, srv.App.Store, "quiet", "owner@quiet.test", "owner")
		quiet := srv.NewClient(t)
		quiet.Login("owner@quiet.test", testsupport.Password)
		if b := quiet.Get("/").Body; strings.Count(b, `data-testid="chart-empty"`) != 2 || strings.Contains(b, `data-testid="y-tick"`) {
			t.Errorf("a practice without calls does not see both empty charts")
		}
	})
}
