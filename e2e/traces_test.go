package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"switchboard/testsupport"
)

// TestAgentTracesAndFlowsTab: from the menu, the demo's agent traces show
// the cost and latency chart (with its legend and its figures as a
// table), sessions and traces; a trace's page shows its redacted input.
// The Node-RED integration's Flows tab lists both runtimes' flows, and
// copying the sandbox to production lists a backup of production.
func TestAgentTracesAndFlowsTab(t *testing.T) {
	srv, login := testsupport.StartDemo(t)
	org := srv.DemoOrg(t)
	nr, err := srv.App.Store.Tenant(org.ID).IntegrationBySlug(t.Context(), "nodered")
	if err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	signIn(t, ctx, srv.URL, login.Email, login.Password)
	if !eval[bool](t, ctx, `(() => { const a = [...document.querySelectorAll('a')].find(a => a.innerText.trim() === 'Agent traces'); if (!a) return false; a.click(); return true })()`) {
		t.Fatal("no Agent traces entry in the menu")
	}
	must(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-testid="traces-chart"] svg`)))
	legend := waitText(t, ctx, `[data-testid="chart-legend"]`, "cost")
	if !strings.Contains(legend, "average latency") {
		t.Fatalf("legend = %q", legend)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('[data-testid="chart-table"] tbody tr').length`); n != 14 {
		t.Fatalf("the chart's table has %d days, want 14", n)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('[data-testid="trace-row"]').length`); n != 12 {
		t.Fatalf("%d trace rows, want 12", n)
	}
	waitText(t, ctx, `main`, "call-1001")
	must(t, ctx,
		chromedp.Navigate(srv.URL+"/agent-traces/trace-005"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="trace-input"]`)),
	)
	input := waitText(t, ctx, `[data-testid="trace-input"]`, "[card]")
	if strings.Contains(input, "4111") {
		t.Fatalf("the trace page shows the card number: %q", input)
	}

	// The Flows tab, from the integration's page.
	must(t, ctx,
		chromedp.Navigate(fmt.Sprintf("%s/integrations/%d", srv.URL, nr.ID)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="integration-name"]`)),
	)
	if !eval[bool](t, ctx, `(() => { const a = [...document.querySelectorAll('nav a')].find(a => a.innerText.trim() === 'Flows'); if (!a) return false; a.click(); return true })()`) {
		t.Fatal("no Flows tab on the Node-RED integration")
	}
	must(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-testid="runtime-production"]`)))
	waitText(t, ctx, `[data-testid="runtime-sandbox"]`, "Waitlist")
	if prod := waitText(t, ctx, `[data-testid="runtime-production"]`, "Booking agent"); strings.Contains(prod, "Waitlist") {
		t.Fatalf("production runs the sandbox's Waitlist before any copy: %q", prod)
	}
	eval[bool](t, ctx, `(() => { window.confirm = () => true; return true })()`)
	must(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="copy-to-production"]`)))
	waitText(t, ctx, `[data-testid="runtime-production"]`, "Waitlist")
	backup := waitText(t, ctx, `[data-testid="runtime-production"] [data-testid="backup"]`, "copy sandbox → production")
	if !strings.Contains(backup, login.Email) {
		t.Fatalf("the backup does not say who: %q", backup)
	}
}
