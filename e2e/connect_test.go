package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"switchboard/testsupport"
)

// TestConnectWithOAuth: on the Credentials tab of an OAuth integration the
// owner presses Connect, allows access on the (fake) provider's consent
// page and is back on the tab, which says whom it is connected as.
func TestConnectWithOAuth(t *testing.T) {
	srv := testsupport.StartServer(t, testsupport.Config(t, testsupport.SQLiteURL(t)))
	org, _ := testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	fake := testsupport.NewFakeOAuth(t)
	key := srv.KeyClient(t, org.ID, "admin")
	if r := key.SendJSON("POST", "/api/admin/integrations", fake.Definition("fakecal")); r.StatusCode != http.StatusCreated {
		t.Fatalf("create = %d %s", r.StatusCode, r.Body)
	}
	if r := key.SendJSON("POST", "/api/admin/api-credentials", map[string]any{"integration": "fakecal",
		"fields": map[string]string{"client_id": fake.ClientID, "client_secret": fake.ClientSecret}}); r.StatusCode != http.StatusCreated {
		t.Fatalf("credentials = %d %s", r.StatusCode, r.Body)
	}
	var id string
	srv.App.DB.NewRaw("SELECT CAST(id AS TEXT) FROM external_integrations WHERE slug = 'fakecal'").Scan(t.Context(), &id)

	ctx := newBrowser(t)
	login(t, ctx, srv.URL, "owner@acme.test")
	must(t, ctx,
		chromedp.Navigate(srv.URL+"/integrations/"+id+"/credentials"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="connect-production"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="connect-production"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#allow`)),
	)
	if loc := eval[string](t, ctx, `location.href`); !strings.HasPrefix(loc, fake.URL+"/authorize?") {
		t.Fatalf("Connect led to %s, want the provider's consent page", loc)
	}
	must(t, ctx, chromedp.Click(chromedp.CSS(`#allow`)))
	text := waitText(t, ctx, `[data-testid="connected-production"]`, "Connected as ada@practice.test")
	if loc := eval[string](t, ctx, `location.pathname`); loc != "/integrations/"+id+"/credentials" {
		t.Fatalf("back on %s (%q), want the Credentials tab", loc, text)
	}
}
