package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"switchboard/testsupport"
)

// TestLoginDashboardLogout signs in through the real form, reaches the
// dashboard, and signs out.
func TestLoginDashboardLogout(t *testing.T) {
	srv := testsupport.StartServer(t, testsupport.Config(t, testsupport.SQLiteURL(t)))
	testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	ctx := newBrowser(t)

	must(t, ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="login-form"]`)),
		chromedp.SendKeys(chromedp.CSS(`#f-email`), "owner@acme.test"),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), testsupport.Password),
		chromedp.Click(chromedp.CSS(`[data-testid="login-submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="dashboard-title"]`)),
	)
	title := eval[string](t, ctx, `document.querySelector('[data-testid="dashboard-title"]').textContent`)
	if !strings.Contains(title, "Acme") {
		t.Fatalf("dashboard title = %q", title)
	}
	if who := eval[string](t, ctx, `document.querySelector('[data-testid="user-email"]').textContent`); who != "owner@acme.test" {
		t.Fatalf("header shows %q", who)
	}
	must(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="logout"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="login-form"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash-success"]`)),
	)
	// The dashboard is closed again.
	must(t, ctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="login-form"]`)))
}
