package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"switchboard/testsupport"
)

// TestTestConnectionTestsWhatIsTypedAndTheSyncSwitchSaysWhatItDoes: on
// Open Dental's credentials page an unsaved WRONG-KEY typed over the saved
// customer key fails the test (it is the typed value that is tested) and
// the answer never repeats it; with nothing typed the saved key passes. On
// the sync settings page the switch says what flipping it will do, and
// says the opposite once flipped.
func TestTestConnectionTestsWhatIsTypedAndTheSyncSwitchSaysWhatItDoes(t *testing.T) {
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
		chromedp.SendKeys(chromedp.CSS(`#f-production-field_customer_key`), "WRONG-KEY"),
		chromedp.Click(chromedp.CSS(`[data-testid="test-connection-production"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#test-result-production [data-testid="test-result"]`)),
	)
	result := eval[string](t, ctx, `document.querySelector('#test-result-production').innerHTML`)
	if !strings.Contains(result, `data-testid="test-failed"`) || !strings.Contains(result, `data-testid="test-typed"`) {
		t.Fatalf("an unsaved WRONG-KEY tested as: %s", result)
	}
	if strings.Contains(result, "WRONG-KEY") {
		t.Fatalf("the answer repeats the typed secret: %s", result)
	}
	eval[string](t, ctx, `document.querySelector('#f-production-field_customer_key').value = ""`)
	must(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="test-connection-production"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#test-result-production [data-testid="test-saved"]`)),
	)
	if result = eval[string](t, ctx, `document.querySelector('#test-result-production').innerText`); !strings.Contains(result, "✓ Connected") {
		t.Fatalf("the saved credentials tested as: %s", result)
	}

	toggle := `[data-testid="sync-toggle-opendental"]`
	must(t, ctx, chromedp.Navigate(srv.URL+"/sync-settings"), chromedp.WaitVisible(chromedp.CSS(toggle)))
	if label := eval[string](t, ctx, `document.querySelector('`+toggle+`').innerText`); strings.TrimSpace(label) != "Turn sync off" {
		t.Fatalf("the switch of an enabled sync says %q, want Turn sync off", label)
	}
	must(t, ctx, chromedp.Click(chromedp.CSS(toggle+` span`)))
	waitText(t, ctx, toggle, "Turn sync on")
	if on := eval[bool](t, ctx, `document.querySelector('`+toggle+` input').checked`); on {
		t.Fatal("the switch still shows sync on")
	}
}
