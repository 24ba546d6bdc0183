package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"switchboard/testsupport"
)

// login signs the browser in through the form.
func login(t *testing.T, ctx context.Context, url, email string) {
	t.Helper()
	must(t, ctx,
		chromedp.Navigate(url+"/login"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="login-form"]`)),
		chromedp.SendKeys(chromedp.CSS(`#f-email`), email),
		chromedp.SendKeys(chromedp.CSS(`#f-password`), testsupport.Password),
		chromedp.Click(chromedp.CSS(`[data-testid="login-submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="dashboard-title"]`)),
	)
}

// TestAddOpenDentalAndSaveCredentials adds Open Dental from the catalog in
// one click, saves its credentials and sees them masked.
func TestAddOpenDentalAndSaveCredentials(t *testing.T) {
	srv := testsupport.StartServer(t, testsupport.Config(t, testsupport.SQLiteURL(t)))
	testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	ctx := newBrowser(t)
	login(t, ctx, srv.URL, "owner@acme.test")

	must(t, ctx,
		chromedp.Navigate(srv.URL+"/integrations"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="catalog-opendental"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="add-opendental"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="credentials-production"]`)),
		chromedp.SendKeys(chromedp.CSS(`#f-production-field_developer_key`), "od-dev-key-SECRET-1234"),
		chromedp.SendKeys(chromedp.CSS(`#f-production-field_customer_key`), "od-cust-key-SECRET-5678"),
		chromedp.Click(chromedp.CSS(`[data-testid="save-credentials-production"]`)),
	)
	// The page already shows the "added" flash, and the save reloads it:
	// wait for the saved credentials themselves.
	text := waitText(t, ctx, `[data-testid="credentials-production"]`, "…1234")
	if !strings.Contains(text, "…5678") {
		t.Fatalf("masked values not shown: %q", text)
	}
	must(t, ctx, chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash-success"]`)))
	html := eval[string](t, ctx, `document.documentElement.outerHTML`)
	if strings.Contains(html, "SECRET") {
		t.Fatal("the page contains a saved secret")
	}
	if v := eval[string](t, ctx, `document.querySelector('#f-production-field_developer_key').value`); v != "" {
		t.Fatalf("the secret input is pre-filled with %q", v)
	}
	if ph := eval[string](t, ctx, `document.querySelector('#f-production-field_developer_key').placeholder`); !strings.Contains(ph, "leave blank to keep") {
		t.Fatalf("placeholder = %q", ph)
	}
}
