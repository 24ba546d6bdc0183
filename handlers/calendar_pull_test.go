package handlers_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchboard/testsupport"
)

const clinicCalendar = "clinic@group.calendar.google.com"

// TestGoogleCalendarPull: a bidirectional Google Calendar configuration of
// a calendar-only practice in Chicago, polled by the background engine.
// The first poll lists every event (no syncToken) and brings them in as
// appointments: one on each side of the autumn DST change keeps its
// practice time and offset, an attendee's email finds the patient, an
// event made in the calendar without one goes to the "Google Calendar
// events" patient, the configuration's provider and operatory defaults
// fill both, and an all-day event is passed over. The next polls send the
// stored syncToken and take a move (new length too) and a deletion, and
// an appointment booked here and pushed as an event is not brought in a
// second time. An expired token (410 Gone) makes the next poll list
// everything again without duplicating anything, and the new token is
// kept on the configuration.
func TestGoogleCalendarPull(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		g := connectGoogleCalendar(t, dbURL)
		key, cal := g.key, g.cal
		var grace struct{ ID int64 }
		key.SendJSON("POST", "/api/patients", map[string]any{"first_name": "Grace", "last_name": "Hopper", "email": "grace@example.com"}).JSON(t, &grace)
		// Chicago falls back on 7 November 2027: -05:00 before, -06:00 after.
		checkup := cal.Add(clinicCalendar, "Checkup", "2027-11-05T09:00:00-05:00", "2027-11-05T09:45:00-05:00", "Grace@Example.com")
		consult := cal.Add(clinicCalendar, "Root canal consult", "2027-11-08T15:00:00Z", "2027-11-08T15:30:00Z")
		cal.AddAllDay(clinicCalendar, "Office closed", "2027-11-11")
		r := key.SendJSON("POST", "/api/admin/integration-settings", map[string]any{"integration": "google-calendar", "enabled": true,
			"direction": "bidirectional", "entities": []string{"appointment"}, "poll_interval_seconds": 86400,
			"defaults": map[string]string{"calendarId": clinicCalendar, "provider_ref": "DrA", "operatory_ref": "Op1"}})
		if r.StatusCode != http.StatusCreated {
			t.Fatalf("settings = %d %s", r.StatusCode, r.Body)
		}

		// The sync settings card offers the account's calendars.
		card := g.owner.Get("/sync-settings").Body
		if !strings.Contains(card, `name="default_calendarId"`) || !strings.Contains(card, `value="`+clinicCalendar+`" selected`) || !strings.Contains(card, "Front desk") {
			t.Fatalf("the sync settings card does not offer the calendars:\n%.3000s", card[strings.Index(card, "google-calendar"):])
		}
		first := g.waitAppointment(t, consult, func(a apptJSON) bool { return true })
		if l := cal.Listings(); len(l) != 1 || l[0].Query["syncToken"] != "" || l[0].Path != "/api/calendars/"+clinicCalendar+"/events" || l[0].Query["showDeleted"] != "true" {
			t.Fatalf("first listing = %+v, want one full listing of the configuration's calendar", l)
		}
		a := g.waitAppointment(t, checkup, func(a apptJSON) bool { return true })
		if a.Start != "2027-11-05T09:00:00-05:00" || a.End != "2027-11-05T09:45:00-05:00" || a.DurationMinutes != 45 ||
			a.PatientID != grace.ID || a.ProviderRef != "DrA" || a.OperatoryRef != "Op1" || a.Status != "scheduled" {
			t.Fatalf("checkup = %+v, want 09:00 CDT for 45 minutes, Grace's, with the defaults", a)
		}
		if first.Start != "2027-11-08T09:00:00-06:00" || first.PatientID == grace.ID || first.Notes != "Root canal consult" || first.ProviderRef != "DrA" {
			t.Fatalf("consult = %+v, want 09:00 CST on the calendar's own patient", first)
		}
		var placeholder struct {
			FirstName string `json:"first_name"`
			LastName  string `json:"last_name"`
		}
		key.Get("/api/patients/"+itoa(first.PatientID)).JSON(t, &placeholder)
		if placeholder.FirstName != "Google Calendar" || placeholder.LastName != "events" {
			t.Fatalf("the calendar's patient = %+v", placeholder)
		}
		if n := g.count(t, "SELECT COUNT(*) FROM appointments"); n != 2 {
			t.Fatalf("appointments = %d, want 2 (the all-day event is no appointment)", n)
		}
		token := g.bookmark(t)
		if !strings.HasPrefix(token, "sync-") {
			t.Fatalf("bookmark = %q, want the nextSyncToken", token)
		}

		// Booked here: pushed as an event, which the next listing carries.
		b := key.SendJSON("POST", "/api/appointments?wait=3s", map[string]any{"patient_id": grace.ID, "start": "2027-11-09T10:00", "duration_minutes": 30})
		if b.StatusCode != http.StatusCreated || !strings.Contains(b.Body, `"status":"synced"`) {
			t.Fatalf("booking = %d %s", b.StatusCode, b.Body)
		}
		cal.Move(consult, "2027-11-09T14:00:00-06:00", "2027-11-09T15:00:00-06:00")
		cal.Delete(checkup)
		g.pollNow(t)
		moved := g.waitAppointment(t, consult, func(a apptJSON) bool { return a.Start == "2027-11-09T14:00:00-06:00" })
		if moved.DurationMinutes != 60 || moved.End != "2027-11-09T15:00:00-06:00" {
			t.Fatalf("moved = %+v, want an hour", moved)
		}
		g.waitAppointment(t, checkup, func(a apptJSON) bool { return a.Status == "cancelled" })
		g.waitBookmark(t, token)
		second := g.bookmark(t)
		l := cal.Listings()
		if len(l) != 2 || l[1].Query["syncToken"] != token {
			t.Fatalf("second listing = %+v, want the stored token %s", l, token)
		}
		if n := g.count(t, "SELECT COUNT(*) FROM appointments"); n != 3 {
			t.Fatalf("appointments = %d, want 3 (the pushed event is not brought in again)", n)
		}
		for _, c := range cal.Calls() {
			if c.Method == http.MethodPatch || c.Method == http.MethodDelete {
				t.Fatalf("a change pulled from the calendar was pushed back: %+v", c)
			}
		}

		// The token expires: 410, then a full listing; nothing doubles.
		cal.ExpireSyncTokens()
		late := cal.Add(clinicCalendar, "Late booking", "2027-11-10T10:00:00-06:00", "2027-11-10T10:20:00-06:00")
		g.pollNow(t)
		if a := g.waitAppointment(t, late, func(apptJSON) bool { return true }); a.Start != "2027-11-10T10:00:00-06:00" || a.DurationMinutes != 20 {
			t.Fatalf("late = %+v", a)
		}
		g.waitBookmark(t, second)
		l = cal.Listings()
		if len(l) != 4 || l[2].Status != http.StatusGone || l[2].Query["syncToken"] == "" || l[3].Query["syncToken"] != "" || l[3].Status != 200 {
			t.Fatalf("listings after the token expired = %+v, want 410 then a full listing", l)
		}
		if n := g.count(t, "SELECT COUNT(*) FROM appointments"); n != 4 {
			t.Fatalf("appointments = %d, want 4 after the full resync", n)
		}
		if a := g.waitAppointment(t, checkup, func(apptJSON) bool { return true }); a.Status != "cancelled" {
			t.Fatalf("checkup after the resync = %+v, want still cancelled", a)
		}
		if next := g.bookmark(t); !strings.HasPrefix(next, "sync-") {
			t.Fatalf("bookmark after the resync = %q", next)
		}
	})
}

// apptJSON is an appointment as the API answers it.
type apptJSON struct {
	ID              int64  `json:"id"`
	PatientID       int64  `json:"patient_id"`
	Start           string `json:"start"`
	End             string `json:"end"`
	DurationMinutes int    `json:"duration_minutes"`
	ProviderRef     string `json:"provider_ref"`
	OperatoryRef    string `json:"operatory_ref"`
	Status          string `json:"status"`
	Notes           string `json:"notes"`
}

// waitAppointment waits until the event's appointment exists and ok holds
// of it (the background engine polls), and answers it.
func (g *googleCalendar) waitAppointment(t *testing.T, event string, ok func(apptJSON) bool) apptJSON {
	t.Helper()
	var last apptJSON
	for range 300 {
		var id int64
		g.srv.App.DB.NewRaw("SELECT local_id FROM external_refs WHERE integration_id = ? AND entity = 'appointment' AND external_id = ?", g.id, event).
			Scan(t.Context(), &id)
		if id != 0 {
			r := g.key.Get("/api/appointments/" + itoa(id))
			_ = json.Unmarshal([]byte(r.Body), &last)
			if ok(last) {
				return last
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("event %s: appointment = %+v; listings %+v", event, last, g.cal.Listings())
	return last
}

// pollNow makes the configuration's next poll due now.
func (g *googleCalendar) pollNow(t *testing.T) {
	t.Helper()
	if _, err := g.srv.App.DB.NewRaw("UPDATE integration_sync_configs SET next_poll_at = NULL WHERE integration_id = ?", g.id).Exec(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// waitBookmark waits until the stored bookmark is no longer old (the poll
// that read it has applied every change it listed).
func (g *googleCalendar) waitBookmark(t *testing.T, old string) {
	t.Helper()
	for range 300 {
		if g.bookmark(t) != old {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the bookmark stayed %q; listings %+v", old, g.cal.Listings())
}

// bookmark is the configuration's stored appointment bookmark.
func (g *googleCalendar) bookmark(t *testing.T) string {
	t.Helper()
	var raw string
	g.srv.App.DB.NewRaw("SELECT bookmarks FROM integration_sync_configs WHERE integration_id = ?", g.id).Scan(t.Context(), &raw)
	var bm map[string]string
	_ = json.Unmarshal([]byte(raw), &bm)
	return bm["appointment"]
}

func (g *googleCalendar) count(t *testing.T, query string) int {
	t.Helper()
	var n int
	g.srv.App.DB.NewRaw(query).Scan(t.Context(), &n)
	return n
}
