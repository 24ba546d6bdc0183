package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

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

// TestConnectGoogleCalendarThenBook: Google Calendar from the catalog,
// pointed at the loopback OAuth server and Calendar API. The owner presses
// Connect, allows access on the consent page, is back on the Credentials
// tab connected, books an appointment on the booking page, and the event
// appears in the configuration's calendar at the fake with the practice's
// offset.
func TestConnectGoogleCalendarThenBook(t *testing.T) {
	srv := testsupport.StartServer(t, testsupport.Config(t, testsupport.SQLiteURL(t)))
	org, _ := testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	fake, cal := testsupport.NewFakeOAuth(t), testsupport.NewFakeCalendar()
	fake.API = cal.Serve
	key := srv.KeyClient(t, org.ID, "admin")
	key.SendJSON("PUT", "/api/admin/organization", map[string]any{"name": "Acme", "slug": "acme", "time_zone": "America/Chicago"})
	key.SendJSON("POST", "/api/admin/integrations/from-catalog", map[string]string{"catalog": "google-calendar"})
	var doc map[string]any
	key.Get("/api/admin/integrations/google-calendar").JSON(t, &doc)
	doc["base_url"] = map[string]string{"production": fake.URL + "/api"}
	auth := doc["auth"].(map[string]any)
	auth["authorize_url"], auth["token_url"], auth["revoke_url"] = fake.URL+"/authorize", fake.URL+"/token", fake.URL+"/revoke"
	if r := key.SendJSON("PUT", "/api/admin/integrations/google-calendar", doc); r.StatusCode != http.StatusOK {
		t.Fatalf("point at the fake = %d %s", r.StatusCode, r.Body)
	}
	key.SendJSON("POST", "/api/admin/api-credentials", map[string]any{"integration": "google-calendar",
		"fields": map[string]string{"client_id": fake.ClientID, "client_secret": fake.ClientSecret}})
	if r := key.SendJSON("POST", "/api/admin/integration-settings", map[string]any{"integration": "google-calendar", "enabled": true,
		"entities": []string{"appointment"}, "defaults": map[string]string{"calendarId": "clinic@group.calendar.google.com"}}); r.StatusCode != http.StatusCreated {
		t.Fatalf("settings = %d %s", r.StatusCode, r.Body)
	}
	var pat struct{ ID int64 }
	key.SendJSON("POST", "/api/patients", map[string]any{"first_name": "Ada", "last_name": "Lovelace"}).JSON(t, &pat)
	var id string
	srv.App.DB.NewRaw("SELECT CAST(id AS TEXT) FROM external_integrations WHERE slug = 'google-calendar'").Scan(t.Context(), &id)

	ctx := newBrowser(t)
	login(t, ctx, srv.URL, "owner@acme.test")
	must(t, ctx,
		chromedp.Navigate(srv.URL+"/integrations/"+id+"/credentials"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="connect-production"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="connect-production"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#allow`)),
		chromedp.Click(chromedp.CSS(`#allow`)),
	)
	waitText(t, ctx, `[data-testid="connected-production"]`, "Connected as ada@practice.test")
	must(t, ctx,
		chromedp.Navigate(fmt.Sprintf("%s/appointments?patient_id=%d#book", srv.URL, pat.ID)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="appointment-form"]`)),
		chromedp.SetValue(chromedp.CSS(`#f-start`), "2031-06-05T10:00"),
		chromedp.SetValue(chromedp.CSS(`#f-duration_minutes`), "30"),
		chromedp.SetValue(chromedp.CSS(`#f-notes`), "First visit"),
		chromedp.Click(chromedp.CSS(`[data-testid="allow-outside-hours"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="book-appointment"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="cancel-appointment"]`)),
	)
	for range 200 {
		if evs := cal.Events(); len(evs) == 1 {
			e := evs[0]
			if e.Calendar != "clinic@group.calendar.google.com" || e.Start != "2031-06-05T10:00:00-05:00" || e.End != "2031-06-05T10:30:00-05:00" ||
				e.Summary != "Ada Lovelace" || e.Description != "First visit" {
				t.Fatalf("event at the calendar = %+v", e)
			}
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no event reached the calendar: %+v", cal.Calls())
}
