package e2e

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"switchboard/testsupport"
)

// TestUploadSpecPreviewApply uploads an OpenAPI document, sees the
// preview, applies it and finds the endpoints in the registry.
func TestUploadSpecPreviewApply(t *testing.T) {
	spec, err := filepath.Abs(testsupport.SpecPath(t, "petstore-oas3.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	srv := testsupport.StartServer(t, testsupport.Config(t, testsupport.SQLiteURL(t)))
	testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	ctx := newBrowser(t)
	login(t, ctx, srv.URL, "owner@acme.test")
	must(t, ctx,
		chromedp.Navigate(srv.URL+"/integrations/import"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="import-form"]`)),
		chromedp.SetUploadFiles(chromedp.CSS(`[data-testid="import-file"]`), []string{spec}),
		chromedp.SendKeys(chromedp.CSS(`#f-slug`), "petstore"),
		chromedp.Click(chromedp.CSS(`[data-testid="import-preview"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="import-plan"]`)),
	)
	plan := eval[string](t, ctx, `document.querySelector('[data-testid="import-plan"]').innerText`)
	if !strings.Contains(plan, "19 added") || !strings.Contains(plan, "findPetsByStatus") {
		t.Fatalf("preview = %q", plan)
	}
	must(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="import-apply"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="endpoint-filter"]`)),
	)
	count := eval[string](t, ctx, `document.querySelector('[data-testid="endpoint-count"]').innerText`)
	if !strings.Contains(count, "of 19") {
		t.Fatalf("registry shows %q", count)
	}
	if !eval[bool](t, ctx, `!!document.querySelector('[data-testid="endpoint-findPetsByStatus"]')`) {
		t.Fatal("findPetsByStatus is not in the registry")
	}
}
