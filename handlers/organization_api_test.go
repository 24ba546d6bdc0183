package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"switchboard/testsupport"
)

// orgDoc is the organization as GET|PUT /api/admin/organization carry it.
type orgDoc struct {
	Name          string                         `json:"name"`
	Slug          string                         `json:"slug"`
	TimeZone      string                         `json:"time_zone"`
	OpeningHours  map[string][]map[string]string `json:"opening_hours"`
	AllowOverlaps bool                           `json:"allow_overlaps"`
}

// problemFields returns the fields a 422 problem document names, with
// their messages.
func problemFields(t *testing.T, r *testsupport.Response) map[string]string {
	t.Helper()
	var p struct {
		Code   string `json:"code"`
		Errors []struct{ Field, Message string }
	}
	r.JSON(t, &p)
	if r.StatusCode != http.StatusUnprocessableEntity || p.Code != "validation_failed" {
		t.Fatalf("= %d %s, want 422 validation_failed", r.StatusCode, r.Body)
	}
	out := map[string]string{}
	for _, e := range p.Errors {
		out[e.Field] = e.Message
	}
	return out
}

func getOrg(t *testing.T, c *testsupport.Client) orgDoc {
	t.Helper()
	r := c.SendJSON("GET", "/api/admin/organization", nil)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/admin/organization = %d %s", r.StatusCode, r.Body)
	}
	var o orgDoc
	r.JSON(t, &o)
	return o
}

const chicagoHoursJSON = `{"mon":[{"start":"08:00","end":"12:00"},{"start":"13:00","end":"17:00"}],"fri":[{"start":"08:00","end":"13:00"}]}`

func TestOrganizationAPIRoundTrip(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		_, c, _ := adminAPI(t, dbURL)
		if got := getOrg(t, c); got.TimeZone != "UTC" || got.Slug != "acme" || got.Name != "Acme Dental" || got.OpeningHours == nil || len(got.OpeningHours) != 0 || got.AllowOverlaps {
			t.Fatalf("a new organization = %+v, want UTC, no hours, no overlaps", got)
		}
		body := `{"name": "Acme Family Dental", "slug": "acme", "time_zone": "America/Chicago", "opening_hours": ` + chicagoHoursJSON + `, "allow_overlaps": true}`
		r := c.Do("PUT", "/api/admin/organization", strings.NewReader(body), http.Header{"Content-Type": {"application/json"}})
		if r.StatusCode != http.StatusOK {
			t.Fatalf("PUT = %d %s", r.StatusCode, r.Body)
		}
		want := `{"name":"Acme Family Dental","slug":"acme","time_zone":"America/Chicago","opening_hours":` + chicagoHoursJSON + `,"allow_overlaps":true,"alert_webhook_url":"","alert_secret_set":false}`
		if got := strings.TrimSpace(r.Body); got != want {
			t.Fatalf("PUT answered\n%s\nwant\n%s", got, want)
		}
		if got := strings.TrimSpace(c.SendJSON("GET", "/api/admin/organization", nil).Body); got != want {
			t.Fatalf("GET after PUT =\n%s\nwant\n%s", got, want)
		}

		// Fields left out keep their values; the answer can be sent back as is.
		if r := c.SendJSON("PUT", "/api/admin/organization", map[string]any{"allow_overlaps": false}); r.StatusCode != http.StatusOK {
			t.Fatalf("partial PUT = %d %s", r.StatusCode, r.Body)
		}
		got := getOrg(t, c)
		if got.AllowOverlaps || got.TimeZone != "America/Chicago" || len(got.OpeningHours["mon"]) != 2 || got.Name != "Acme Family Dental" {
			t.Fatalf("after a partial PUT = %+v", got)
		}
		if r := c.SendJSON("PUT", "/api/admin/organization", got); r.StatusCode != http.StatusOK {
			t.Fatalf("sending the GET answer back = %d %s", r.StatusCode, r.Body)
		}
		if r := c.SendJSON("PUT", "/api/admin/organization", map[string]any{"opening_hours": map[string]any{}}); r.StatusCode != http.StatusOK || len(getOrg(t, c).OpeningHours) != 0 {
			t.Fatalf("clearing the hours = %d %s", r.StatusCode, r.Body)
		}
	})
}

func TestOrganizationAPIValidation(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		_, c, _ := adminAPI(t, dbURL)
		tests := []struct {
			name  string
			body  string
			field string
			msg   string
		}{
			{"UnknownZone", `{"time_zone": "Mars/Olympus_Mons"}`, "time_zone", "not a known IANA time zone"},
			{"EmptyZone", `{"time_zone": ""}`, "time_zone", "is required"},
			{"ServerLocalZone", `{"time_zone": "Local"}`, "time_zone", "not an IANA time zone"},
			{"OverlappingHours", `{"opening_hours": {"mon": [{"start": "08:00", "end": "12:00"}, {"start": "11:30", "end": "17:00"}]}}`, "opening_hours.mon[1].start", "overlaps 08:00–12:00"},
			{"EndBeforeStart", `{"opening_hours": {"tue": [{"start": "17:00", "end": "08:00"}]}}`, "opening_hours.tue[0].end", "must be after the start (17:00)"},
			{"NotHHMM", `{"opening_hours": {"wed": [{"start": "9am", "end": "17:00"}]}}`, "opening_hours.wed[0].start", "HH:MM"},
			{"UnknownDay", `{"opening_hours": {"someday": [{"start": "08:00", "end": "12:00"}]}}`, "opening_hours.someday", "is not a day"},
			{"EmptyName", `{"name": ""}`, "name", "is required"},
			{"LongName", `{"name": "` + strings.Repeat("n", 201) + `"}`, "name", "at most 200"},
			{"SlugIsReadOnly", `{"slug": "other"}`, "slug", "cannot be changed"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				r := c.Do("PUT", "/api/admin/organization", strings.NewReader(tc.body), http.Header{"Content-Type": {"application/json"}})
				fields := problemFields(t, r)
				if !strings.Contains(fields[tc.field], tc.msg) {
					t.Fatalf("field %s = %q, want it to contain %q (all: %v)", tc.field, fields[tc.field], tc.msg, fields)
				}
			})
		}
		// Every bad field is named at once, and nothing is saved.
		r := c.SendJSON("PUT", "/api/admin/organization", map[string]any{"name": "Renamed", "time_zone": "Nowhere/City",
			"opening_hours": map[string]any{"mon": []map[string]string{{"start": "13:00", "end": "12:00"}}}})
		if f := problemFields(t, r); f["time_zone"] == "" || f["opening_hours.mon[0].end"] == "" {
			t.Fatalf("= %v, want time_zone and opening_hours.mon[0].end", f)
		}
		if got := getOrg(t, c); got.Name != "Acme Dental" || got.TimeZone != "UTC" {
			t.Fatalf("a refused PUT changed the organization: %+v", got)
		}
		if r := c.Do("PUT", "/api/admin/organization", strings.NewReader(`{"colour": "red"}`), http.Header{"Content-Type": {"application/json"}}); r.StatusCode != 400 || !strings.Contains(r.Body, "colour") {
			t.Fatalf("unknown field = %d %s, want 400 naming it", r.StatusCode, r.Body)
		}
		if r := c.Do("PUT", "/api/admin/organization", strings.NewReader(`{"opening_hours": {"mon": [{"start": "08:00", "stop": "12:00"}]}}`), http.Header{"Content-Type": {"application/json"}}); r.StatusCode != 400 || !strings.Contains(r.Body, "stop") {
			t.Fatalf("unknown interval field = %d %s, want 400 naming it", r.StatusCode, r.Body)
		}
	})
}

func TestOrganizationAPIAccess(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv := startIdentity(t, dbURL)
		org, _ := testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
		testsupport.Seed(t, srv.App.Store, "acme", "staff@acme.test", "staff")
		testsupport.Seed(t, srv.App.Store, "acme", "admin@acme.test", "admin")
		put := map[string]any{"time_zone": "America/Denver"}
		agent := srv.KeyClient(t, org.ID, "agent")
		for _, method := range []string{"GET", "PUT"} {
			if r := agent.SendJSON(method, "/api/admin/organization", put); r.StatusCode != http.StatusForbidden {
				t.Fatalf("agent key %s = %d, want 403", method, r.StatusCode)
			}
		}
		if r := srv.NewClient(t).SendJSON("GET", "/api/admin/organization", nil); r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("no credentials = %d, want 401", r.StatusCode)
		}

		staff := srv.NewClient(t)
		staff.Login("staff@acme.test", testsupport.Password)
		staff.Header.Set("X-CSRF-Token", staff.CSRF("/profile"))
		for _, method := range []string{"GET", "PUT"} {
			if r := staff.SendJSON(method, "/api/admin/organization", put); r.StatusCode != http.StatusForbidden {
				t.Fatalf("staff session %s = %d, want 403", method, r.StatusCode)
			}
		}

		admin := srv.NewClient(t)
		admin.Login("admin@acme.test", testsupport.Password)
		if r := admin.SendJSON("PUT", "/api/admin/organization", put); r.StatusCode != http.StatusForbidden || !strings.Contains(r.Body, "csrf_failed") {
			t.Fatalf("admin session PUT without CSRF token = %d %s, want 403 csrf_failed", r.StatusCode, r.Body)
		}
		admin.Header.Set("X-CSRF-Token", admin.CSRF("/profile"))
		if r := admin.SendJSON("PUT", "/api/admin/organization", put); r.StatusCode != http.StatusOK {
			t.Fatalf("admin session PUT = %d %s", r.StatusCode, r.Body)
		}
		if got := getOrg(t, admin); got.TimeZone != "America/Denver" {
			t.Fatalf("admin session GET = %+v", got)
		}
	})
}

func TestOrganizationChangesAreAudited(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv := startIdentity(t, dbURL)
		testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
		c := srv.NewClient(t)
		c.Login("owner@acme.test", testsupport.Password)
		c.Header.Set("X-CSRF-Token", c.CSRF("/profile"))
		r := c.SendJSON("PUT", "/api/admin/organization", map[string]any{"time_zone": "America/Chicago", "allow_overlaps": true})
		if r.StatusCode != http.StatusOK {
			t.Fatalf("PUT = %d %s", r.StatusCode, r.Body)
		}
		page := c.Get("/audit?action=organization_updated")
		if n := strings.Count(page.Body, `data-testid="audit-row"`); n != 1 {
			t.Fatalf("%d organization_updated entries, want 1:\n%.3000s", n, page.Body)
		}
		for _, want := range []string{"owner@acme.test", "time zone", "America/Chicago", "UTC (not set)", "allow overlaps"} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("the audit entry does not mention %q", want)
			}
		}
		// A PUT that changes nothing writes no entry.
		c.SendJSON("PUT", "/api/admin/organization", map[string]any{"time_zone": "America/Chicago"})
		if n := strings.Count(c.Get("/audit?action=organization_updated").Body, `data-testid="audit-row"`); n != 1 {
			t.Fatalf("%d entries after a PUT that changed nothing, want 1", n)
		}
	})
}
