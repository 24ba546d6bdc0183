package handlers_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"switchboard/testsupport"
)

// googleCalendar is Google Calendar from the catalog pointed at a loopback
// OAuth server and Calendar API, connected by the owner pressing Connect,
// for the organization acme in Chicago.
type googleCalendar struct {
	srv   *testsupport.Server
	key   *testsupport.Client
	owner *testsupport.Client
	fake  *testsupport.FakeOAuth
	cal   *testsupport.FakeCalendar
	id    int64
}

func connectGoogleCalendar(t *testing.T, dbURL string) *googleCalendar {
	t.Helper()
	srv, key, _ := adminAPI(t, dbURL)
	g := &googleCalendar{srv: srv, key: key, fake: testsupport.NewFakeOAuth(t), cal: testsupport.NewFakeCalendar()}
	g.fake.API = g.cal.Serve
	if r := key.SendJSON("PUT", "/api/admin/organization", map[string]any{"name": "Acme", "slug": "acme", "time_zone": "America/Chicago"}); r.StatusCode != 200 {
		t.Fatalf("organization = %d %s", r.StatusCode, r.Body)
	}
	key.SendJSON("POST", "/api/admin/integrations/from-catalog", map[string]string{"catalog": "google-calendar"})
	var doc map[string]any
	key.Get("/api/admin/integrations/google-calendar").JSON(t, &doc)
	doc["base_url"] = map[string]string{"production": g.fake.URL + "/api"}
	auth := doc["auth"].(map[string]any)
	auth["authorize_url"], auth["token_url"], auth["revoke_url"] = g.fake.URL+"/authorize", g.fake.URL+"/token", g.fake.URL+"/revoke"
	if r := key.SendJSON("PUT", "/api/admin/integrations/google-calendar", doc); r.StatusCode != 200 {
		t.Fatalf("point at the fake = %d %s", r.StatusCode, r.Body)
	}
	key.SendJSON("POST", "/api/admin/api-credentials", map[string]any{"integration": "google-calendar",
		"fields": map[string]string{"client_id": g.fake.ClientID, "client_secret": g.fake.ClientSecret}})
	srv.App.DB.NewRaw("SELECT id FROM external_integrations WHERE slug = 'google-calendar'").Scan(t.Context(), &g.id)
	g.owner = srv.NewClient(t)
	g.owner.Login("owner@acme.test", testsupport.Password)
	if r := g.owner.Get(pressConnect(t, srv, g.owner, g.fake, g.tab())); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("connect = %d %s", r.StatusCode, r.Body)
	}
	return g
}

// tab is the integration's Credentials tab.
func (g *googleCalendar) tab() string { return "/integrations/" + itoa(g.id) + "/credentials" }

// TestGoogleCalendarTakesAppointments: Google Calendar from the catalog,
// connected with OAuth, as an appointment-only target of a practice in
// Chicago: a booking inserts an event in the configuration's calendar
// (summary from the template, times with the practice's offset of that
// day, the event id kept), moving it across the DST change patches the
// event with the new offset, and cancelling deletes it.
func TestGoogleCalendarTakesAppointments(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		g := connectGoogleCalendar(t, dbURL)
		key, cal := g.key, g.cal
		r := key.SendJSON("POST", "/api/admin/integration-settings", map[string]any{"integration": "google-calendar", "enabled": true,
			"entities": []string{"appointment"}, "defaults": map[string]string{"calendarId": "clinic@group.calendar.google.com"}})
		if r.StatusCode != http.StatusCreated {
			t.Fatalf("settings = %d %s", r.StatusCode, r.Body)
		}
		var pat struct{ ID int64 }
		key.SendJSON("POST", "/api/patients", map[string]any{"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"}).JSON(t, &pat)

		// 12 March 2027 is before Chicago's spring-forward (CST, -06:00).
		a := key.SendJSON("POST", "/api/appointments?wait=3s", map[string]any{"patient_id": pat.ID, "start": "2027-03-12T10:00",
			"duration_minutes": 30, "appointment_type": "Cleaning", "notes": "Bring x-rays"})
		if a.StatusCode != http.StatusCreated || !strings.Contains(a.Body, `"status":"synced"`) || !strings.Contains(a.Body, `"external_id":"evt1"`) {
			t.Fatalf("booking = %d %s", a.StatusCode, a.Body)
		}
		var appt struct{ ID int64 }
		a.JSON(t, &appt)
		calls := cal.Calls()
		ins := calls[0]
		start, _ := ins.Body["start"].(map[string]any)
		end, _ := ins.Body["end"].(map[string]any)
		if ins.Method != "POST" || ins.Path != "/api/calendars/clinic@group.calendar.google.com/events" ||
			ins.Body["summary"] != "Ada Lovelace · Cleaning" || ins.Body["description"] != "Bring x-rays" ||
			start["dateTime"] != "2027-03-12T10:00:00-06:00" || end["dateTime"] != "2027-03-12T10:30:00-06:00" {
			t.Fatalf("insert = %+v", ins)
		}

		// Moved to 15 March, after spring-forward (CDT, -05:00).
		if r := key.SendJSON("PATCH", "/api/appointments/"+itoa(appt.ID)+"?wait=3s", map[string]any{"start": "2027-03-15T09:00", "duration_minutes": 30}); r.StatusCode != 200 {
			t.Fatalf("move = %d %s", r.StatusCode, r.Body)
		}
		patch := waitCalendarCall(t, cal, "PATCH")
		ps, _ := patch.Body["start"].(map[string]any)
		if patch.Path != "/api/calendars/clinic@group.calendar.google.com/events/evt1" || ps["dateTime"] != "2027-03-15T09:00:00-05:00" {
			t.Fatalf("patch = %+v", patch)
		}
		if r := key.SendJSON("DELETE", "/api/appointments/"+itoa(appt.ID)+"?wait=3s", nil); r.StatusCode != 200 {
			t.Fatalf("cancel = %d %s", r.StatusCode, r.Body)
		}
		if del := waitCalendarCall(t, cal, "DELETE"); del.Path != "/api/calendars/clinic@group.calendar.google.com/events/evt1" {
			t.Fatalf("delete = %+v", del)
		}

		// Free/busy: the calendar's busy hour (09:00–10:00 CDT) is not offered.
		cal.Add("clinic@group.calendar.google.com", "Staff meeting", "2027-03-16T09:00:00-05:00", "2027-03-16T10:00:00-05:00")
		av := key.Get("/api/availability?from=2027-03-16&to=2027-03-16&duration_minutes=30&step_minutes=30")
		if av.StatusCode != 200 || strings.Contains(av.Body, `"start":"2027-03-16T09:00:00-05:00"`) || strings.Contains(av.Body, `"start":"2027-03-16T09:30:00-05:00"`) ||
			!strings.Contains(av.Body, `"start":"2027-03-16T10:00:00-05:00"`) || !strings.Contains(av.Body, `"start":"2027-03-16T08:30:00-05:00"`) {
			t.Fatalf("availability = %d %.600s", av.StatusCode, av.Body)
		}
		fb := waitCalendarCall(t, cal, "POST /api/freeBusy")
		items, _ := fb.Body["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["id"] != "clinic@group.calendar.google.com" || fb.Body["timeMin"] == nil {
			t.Fatalf("freeBusy body = %+v", fb.Body)
		}
	})
}

func waitCalendarCall(t *testing.T, cal *testsupport.FakeCalendar, method string) testsupport.CalendarCall {
	t.Helper()
	for range 100 {
		for _, c := range cal.Calls() {
			if c.Method == method || c.Method+" "+c.Path == method {
				return c
			}
		}
		time.Sleep(30 * time.Millisecond)
	}
	t.Fatalf("no %s at the fake calendar: %+v", method, cal.Calls())
	return testsupport.CalendarCall{}
}
