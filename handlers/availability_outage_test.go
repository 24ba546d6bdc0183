package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"switchboard/integrations/sandbox"
	"switchboard/testsupport"
)

// TestAvailabilityPageKeepsTheGridWhenThePracticeSystemIsDown: when Open
// Dental (the demo's loopback sandbox) hangs past the page's budget, and
// when it fails, /availability still shows the week's grid from
// Switchboard's own appointments and opening hours, with a warning that
// says so in words, instead of an error page; the agents' API still
// reports the failure.
func TestAvailabilityPageKeepsTheGridWhenThePracticeSystemIsDown(t *testing.T) {
	srv, _ := testsupport.StartDemo(t)
	staff := demoStaff(t, srv)
	const week = "/availability?provider_ref=1&operatory_ref=1&week=2031-06-04&duration_minutes=30"

	for _, tc := range []struct {
		name   string
		faults sandbox.Faults
		says   string
	}{
		{"hangs", sandbox.Faults{LatencyMS: 60_000}, "did not answer within 2 seconds."},
		{"fails", sandbox.Faults{Outage: true}, "could not be asked"},
	} {
		setDemoFaults(t, srv, tc.faults)
		r := staff.Get(week)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("Open Dental %s: /availability = %d, want the page:\n%.1500s", tc.name, r.StatusCode, r.Body)
		}
		i := strings.Index(r.Body, `data-testid="availability-warning"`)
		if i < 0 {
			t.Fatalf("Open Dental %s: no warning on the page:\n%.3000s", tc.name, r.Body)
		}
		warning := r.Body[i:min(len(r.Body), i+600)]
		if !strings.Contains(warning, tc.says) || !strings.Contains(warning, "Switchboard&#39;s own appointments") {
			t.Errorf("Open Dental %s: warning = %.600s, want it to say %q", tc.name, warning, tc.says)
		}
		if !strings.Contains(r.Body, `data-testid="week-grid"`) || slotHref(r.Body, "2031-06-03T09:30") == "" {
			t.Errorf("Open Dental %s: no grid with local free slots:\n%.3000s", tc.name, r.Body)
		}
	}
	agent := srv.KeyClient(t, srv.DemoOrg(t).ID, "agent")
	if r := agent.Get("/api/availability?from=2031-06-02&to=2031-06-06&duration_minutes=30&provider_ref=1"); r.StatusCode < 500 {
		t.Errorf("the API during the outage = %d %s, want the failure reported", r.StatusCode, r.Body)
	}
	setDemoFaults(t, srv, sandbox.Faults{})
}
