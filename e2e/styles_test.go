package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"

	"switchboard/testsupport"
)

// TestPageRendersWithStylesheet loads the first page in a real browser and
// checks that the Tailwind stylesheet was fetched and applied (CSP allowing).
func TestPageRendersWithStylesheet(t *testing.T) {
	srv := testsupport.StartServer(t, testsupport.Config(t, testsupport.SQLiteURL(t)))
	ctx := newBrowser(t)
	must(t, ctx, chromedp.Navigate(srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS("h1")))

	if got := eval[string](t, ctx, `getComputedStyle(document.documentElement).backgroundColor`); got != "rgb(248, 250, 252)" {
		t.Errorf("html background = %q, want Tailwind slate-50 rgb(248, 250, 252): stylesheet not applied", got)
	}
	if got := eval[string](t, ctx, `getComputedStyle(document.querySelector(".card")).borderTopLeftRadius`); got != "8px" {
		t.Errorf(".card border radius = %q, want 8px", got)
	}
	if got := eval[bool](t, ctx, `typeof htmx === "object" && htmx.config.responseHandling.some(r => r.code === "422" && r.swap)`); !got {
		t.Error("htmx not loaded, or 422 answers not configured to swap")
	}
}
