package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"switchboard/testsupport"
)

// TestDemoTestConnectionAndTryIt is the newcomer's first five minutes:
// sign in with the demo login, press Test Connection on Open Dental and see
// ✓, then run GetPatient from "try it".
func TestDemoTestConnectionAndTryIt(t *testing.T) {
	srv, login := testsupport.StartDemo(t)
	org := srv.DemoOrg(t)
	od, err := srv.App.Store.Tenant(org.ID).IntegrationBySlug(t.Context(), "opendental")
	if err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	signIn(t, ctx, srv.URL, login.Email, login.Password)
	must(t, ctx,
		chromedp.Navigate(fmt.Sprintf("%s/integrations/%d/credentials", srv.URL, od.ID)),
		chromedp.Click(chromedp.CSS(`[data-testid="test-connection-production"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="test-ok"]`)),
	)
	result := eval[string](t, ctx, `document.querySelector('[data-testid="test-result"]').innerText`)
	if !strings.Contains(result, "HTTP 200") || !strings.Contains(result, "ms") {
		t.Fatalf("test result = %q", result)
	}

	// Try it: GetPatient with PatNum 1.
	var epID int64
	if err := srv.App.DB.NewRaw("SELECT id FROM integration_endpoints WHERE integration_id = ? AND function = 'GetPatient'", od.ID).Scan(t.Context(), &epID); err != nil {
		t.Fatal(err)
	}
	must(t, ctx,
		chromedp.Navigate(fmt.Sprintf("%s/endpoints/%d", srv.URL, epID)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="try-it"]`)),
		chromedp.SendKeys(chromedp.CSS(`#f-p_PatNum`), "1"),
		chromedp.Click(chromedp.CSS(`[data-testid="try-execute"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="try-ok"]`)),
	)
	data := eval[string](t, ctx, `document.querySelector('[data-testid="try-data"]').innerText`)
	if !strings.Contains(data, "first_name") {
		t.Fatalf("try-it data = %q", data)
	}
	page := eval[string](t, ctx, `document.documentElement.outerHTML`)
	if strings.Contains(page, "sandbox-customer-key") || strings.Contains(page, "sandbox-dev-key") {
		t.Fatal("the console shows the credentials")
	}
}
