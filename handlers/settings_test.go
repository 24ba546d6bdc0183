package handlers_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"switchboard/testsupport"
)

const banner = `data-testid="time-zone-banner"`

// selectedZone returns the time zone the settings or setup form shows as
// chosen ("" when none).
func selectedZone(body string) string {
	sel := regexp.MustCompile(`(?s)<select id="f-time_zone".*?</select>`).FindString(body)
	m := regexp.MustCompile(`<option value="([^"]*)" selected>`).FindStringSubmatch(sel)
	if m == nil {
		return ""
	}
	return m[1]
}

func settingsForm(tok string, pairs ...string) url.Values {
	f := url.Values{"_csrf": {tok}, "name": {"Acme Dental"}}
	for i := 0; i < len(pairs); i += 2 {
		f.Set(pairs[i], pairs[i+1])
	}
	return f
}

func TestSettingsPage(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv := startIdentity(t, dbURL)
		testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
		c := srv.NewClient(t)
		c.Login("owner@acme.test", testsupport.Password)
		page := c.Get("/settings")
		if page.StatusCode != 200 || !strings.Contains(page.Body, `data-testid="settings-form"`) || selectedZone(page.Body) != "" {
			t.Fatalf("GET /settings = %d, zone %q:\n%.2000s", page.StatusCode, selectedZone(page.Body), page.Body)
		}
		if !strings.Contains(page.Body, `<option value="America/Chicago">America/Chicago (UTC-0`) || !strings.Contains(page.Body, `href="/settings"`) {
			t.Fatal("no America/Chicago choice or no Settings link")
		}
		tok := c.CSRF("/settings")

		bad := c.PostForm("/settings", settingsForm(tok, "time_zone", "Mars/Olympus_Mons",
			"opening_hours.mon[0].start", "13:00", "opening_hours.mon[0].end", "12:00",
			"opening_hours.tue[0].start", "08:00", "opening_hours.tue[0].end", "12:00",
			"opening_hours.tue[1].start", "11:00", "opening_hours.tue[1].end", "15:00",
			"opening_hours.wed[2].start", "09:00"))
		if bad.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad settings = %d, want 422", bad.StatusCode)
		}
		for _, field := range []string{"time_zone", "opening_hours.mon[0].end", "opening_hours.tue[1].start", "opening_hours.wed[2].end"} {
			if !strings.Contains(bad.Body, `data-testid="error-`+field+`"`) {
				t.Errorf("the re-rendered form has no message for %s", field)
			}
		}
		if !strings.Contains(bad.Body, `name="opening_hours.tue[1].start" value="11:00"`) || !strings.Contains(bad.Body, `name="opening_hours.wed[2].start" value="09:00"`) {
			t.Error("the re-rendered form lost what was typed")
		}
		if got := getOrg(t, c); got.TimeZone != "UTC" || len(got.OpeningHours) != 0 {
			t.Fatalf("a refused form saved something: %+v", got)
		}

		good := c.PostForm("/settings", settingsForm(tok, "name", "Acme Family Dental", "time_zone", "America/Chicago", "allow_overlaps", "true",
			"opening_hours.mon[0].start", "08:00", "opening_hours.mon[0].end", "12:00",
			"opening_hours.mon[2].start", "13:00", "opening_hours.mon[2].end", "17:00",
			"opening_hours.sat[0].start", "09:00", "opening_hours.sat[0].end", "12:00"))
		if good.StatusCode != http.StatusSeeOther || good.Header.Get("Location") != "/settings" {
			t.Fatalf("good settings = %d to %q:\n%.2000s", good.StatusCode, good.Header.Get("Location"), good.Body)
		}
		after := c.Get("/settings")
		if !strings.Contains(after.Body, `data-testid="flash-success"`) || selectedZone(after.Body) != "America/Chicago" || strings.Contains(after.Body, banner) {
			t.Fatalf("after saving: flash, zone %q, banner gone? %.3000s", selectedZone(after.Body), after.Body)
		}
		if !strings.Contains(after.Body, `name="opening_hours.mon[1].start" value="13:00"`) {
			t.Error("the saved hours are not shown in order")
		}
		got := getOrg(t, c)
		if got.Name != "Acme Family Dental" || got.TimeZone != "America/Chicago" || !got.AllowOverlaps ||
			len(got.OpeningHours["mon"]) != 2 || got.OpeningHours["mon"][1]["end"] != "17:00" || len(got.OpeningHours["sat"]) != 1 {
			t.Fatalf("saved = %+v", got)
		}
		if r := c.Get("/audit?action=organization_updated"); strings.Count(r.Body, `data-testid="audit-row"`) != 1 {
			t.Fatal("no audit entry for the settings change")
		}
	})
}

func TestSettingsPageIsForOwnersAndAdmins(t *testing.T) {
	srv := startIdentity(t, testsupport.SQLiteURL(t))
	testsupport.Seed(t, srv.App.Store, "acme", "staff@acme.test", "staff")
	testsupport.Seed(t, srv.App.Store, "acme", "admin@acme.test", "admin")
	staff := srv.NewClient(t)
	staff.Login("staff@acme.test", testsupport.Password)
	if r := staff.Get("/settings"); r.StatusCode != http.StatusForbidden {
		t.Fatalf("staff GET /settings = %d, want 403", r.StatusCode)
	}
	tok := staff.CSRF("/profile")
	if r := staff.PostForm("/settings", settingsForm(tok, "time_zone", "America/Chicago")); r.StatusCode != http.StatusForbidden {
		t.Fatalf("staff POST /settings = %d, want 403", r.StatusCode)
	}
	home := staff.Get("/")
	if !strings.Contains(home.Body, banner) || strings.Contains(home.Body, `href="/settings"`) || !strings.Contains(home.Body, "Ask an owner or admin") {
		t.Fatal("staff should see the banner without a Settings link")
	}
	admin := srv.NewClient(t)
	admin.Login("admin@acme.test", testsupport.Password)
	if r := admin.Get("/settings"); r.StatusCode != http.StatusOK {
		t.Fatalf("admin GET /settings = %d", r.StatusCode)
	}
}

func TestTimeZoneBannerUntilSet(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv := startIdentity(t, dbURL)
		testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
		testsupport.Seed(t, srv.App.Store, "acme", "staff@acme.test", "staff")
		owner := srv.NewClient(t)
		owner.Login("owner@acme.test", testsupport.Password)
		staff := srv.NewClient(t)
		staff.Login("staff@acme.test", testsupport.Password)
		for _, path := range []string{"/", "/appointments", "/patients", "/profile", "/users", "/no-such-page"} {
			if r := owner.Get(path); !strings.Contains(r.Body, banner) {
				t.Errorf("%s (%d) shows no time zone banner", path, r.StatusCode)
			}
		}
		if r := owner.Get("/"); !regexp.MustCompile(`(?s)time-zone-banner.*href="/settings"`).MatchString(r.Body) {
			t.Error("the banner has no link to /settings")
		}
		if r := owner.Get("/login"); strings.Contains(r.Body, banner) {
			t.Error("a page outside the app shell shows the banner")
		}
		// Explicitly choosing UTC is a choice too.
		tok := owner.CSRF("/settings")
		if r := owner.PostForm("/settings", settingsForm(tok, "time_zone", "UTC")); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("save = %d", r.StatusCode)
		}
		for _, c := range []*testsupport.Client{owner, staff} {
			for _, path := range []string{"/", "/appointments", "/profile"} {
				if r := c.Get(path); strings.Contains(r.Body, banner) {
					t.Errorf("%s still shows the banner after the time zone was set", path)
				}
			}
		}
	})
}

func TestSettingsInTheNavigation(t *testing.T) {
	srv := startIdentity(t, testsupport.SQLiteURL(t))
	testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	testsupport.Seed(t, srv.App.Store, "acme", "staff@acme.test", "staff")
	nav := regexp.MustCompile(`(?s)<nav.*?</nav>`)
	owner := srv.NewClient(t)
	owner.Login("owner@acme.test", testsupport.Password)
	if !strings.Contains(nav.FindString(owner.Get("/").Body), `href="/settings"`) {
		t.Fatal("owners have no Settings entry in the navigation")
	}
	staff := srv.NewClient(t)
	staff.Login("staff@acme.test", testsupport.Password)
	if strings.Contains(nav.FindString(staff.Get("/").Body), `href="/settings"`) {
		t.Fatal("staff have a Settings entry in the navigation")
	}
}

func TestSetupAsksForTheTimeZone(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv := startIdentity(t, dbURL)
		c := srv.NewClient(t)
		page := c.Get("/setup")
		if !strings.Contains(page.Body, `name="time_zone"`) || selectedZone(page.Body) != "" {
			t.Fatalf("the setup page has no time zone choice, or preselects %q", selectedZone(page.Body))
		}
		tok := c.CSRF("/setup")
		form := url.Values{"_csrf": {tok}, "org_name": {"Bright Smiles"}, "email": {"owner@bright.test"},
			"password": {testsupport.Password}, "password_confirm": {testsupport.Password}}
		for _, tz := range []string{"", "Atlantis/Capital"} {
			form.Set("time_zone", tz)
			r := c.PostForm("/setup", form)
			if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `data-testid="error-time_zone"`) {
				t.Fatalf("setup with time zone %q = %d, want 422 naming time_zone", tz, r.StatusCode)
			}
		}
		form.Set("time_zone", "America/Denver")
		if r := c.PostForm("/setup", form); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("setup = %d %.1000s", r.StatusCode, r.Body)
		}
		if home := c.Get("/"); strings.Contains(home.Body, banner) {
			t.Fatal("the banner asks for a time zone that setup just stored")
		}
		if got := getOrg(t, c); got.TimeZone != "America/Denver" {
			t.Fatalf("setup stored %+v", got)
		}
	})
}

func TestDemoOrganizationKeepsChicagoTime(t *testing.T) {
	srv, login := testsupport.StartDemo(t)
	c := srv.NewClient(t)
	c.Login(login.Email, login.Password)
	got := getOrg(t, c)
	if got.TimeZone != "America/Chicago" {
		t.Fatalf("demo time zone = %q", got.TimeZone)
	}
	want := []map[string]string{{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}}
	for _, day := range []string{"mon", "tue", "wed", "thu", "fri"} {
		ivs := got.OpeningHours[day]
		if len(ivs) != 2 || ivs[0]["start"] != want[0]["start"] || ivs[0]["end"] != want[0]["end"] || ivs[1]["start"] != want[1]["start"] || ivs[1]["end"] != want[1]["end"] {
			t.Errorf("demo %s hours = %v, want %v", day, ivs, want)
		}
	}
	if len(got.OpeningHours["sat"])+len(got.OpeningHours["sun"]) != 0 {
		t.Errorf("the demo is open at the weekend: %v", got.OpeningHours)
	}
	if strings.Contains(c.Get("/").Body, banner) {
		t.Fatal("the demo asks for its time zone")
	}
	// A demo user's own choice survives the next start's seeding.
	c.Header.Set("X-CSRF-Token", c.CSRF("/profile"))
	if r := c.SendJSON("PUT", "/api/admin/organization", map[string]any{"time_zone": "America/New_York"}); r.StatusCode != 200 {
		t.Fatalf("PUT = %d %s", r.StatusCode, r.Body)
	}
	again, err := srv.App.SeedDemo(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	c = srv.NewClient(t)
	c.Login(again.Email, again.Password)
	if got := getOrg(t, c); got.TimeZone != "America/New_York" {
		t.Fatalf("seeding again reset the time zone to %q", got.TimeZone)
	}
}
