package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchboard/testsupport"
)

// TestFrontDeskReadsLikeASchedule: the appointment list is in start order
// with upcoming ones first and past ones behind a filter; providers and
// operatories show by their labels (lists, record pages, the slot-taken
// message); the patient page lists the patient's appointments; /schedule
// shows the day per provider with free time that starts a booking.
func TestFrontDeskReadsLikeASchedule(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv, _ := testsupport.StartDemoOn(t, dbURL)
		org := srv.DemoOrg(t)
		c := srv.KeyClient(t, org.ID, "agent")
		book := func(start, provider, operatory string, extra map[string]any) int64 {
			t.Helper()
			body := map[string]any{"patient_id": 1, "start": start, "duration_minutes": 30, "provider_ref": provider, "operatory_ref": operatory}
			for k, v := range extra {
				body[k] = v
			}
			r := c.SendJSON("POST", "/api/appointments", body)
			var a struct{ ID int64 }
			r.JSON(t, &a)
			if r.StatusCode != http.StatusCreated {
				t.Fatalf("book %s = %d %s", start, r.StatusCode, r.Body)
			}
			return a.ID
		}
		later := book("2031-06-05T10:00", "1", "1", nil)
		sooner := book("2031-06-04T09:00", "2", "2", nil)
		past := book("2026-11-02T09:00", "1", "1", map[string]any{"allow_outside_hours": true})
		staff, tok := loginDemoStaff(t, srv)

		list := staff.Get("/appointments").Body
		is, il := strings.Index(list, `data-testid="appointment-`+itoa(sooner)+`"`), strings.Index(list, `data-testid="appointment-`+itoa(later)+`"`)
		if is < 0 || il < 0 || is > il || strings.Contains(list, `data-testid="appointment-`+itoa(past)+`"`) {
			t.Fatalf("upcoming list: sooner at %d, later at %d, past shown %v", is, il, strings.Contains(list, "appointment-"+itoa(past)))
		}
		if !strings.Contains(list, "Maya Chen (DOC1)") || !strings.Contains(list, "Operatory 2") {
			t.Errorf("the list does not show labels: %.3000s", list[strings.Index(list, "<table"):])
		}
		if pastList := staff.Get("/appointments?when=past").Body; !strings.Contains(pastList, `data-testid="appointment-`+itoa(past)+`"`) ||
			strings.Contains(pastList, `data-testid="appointment-`+itoa(later)+`"`) {
			t.Errorf("the past filter does not show the past alone")
		}
		if show := staff.Get("/appointments/" + itoa(later)).Body; !strings.Contains(show, "Maya Chen (DOC1)") || !strings.Contains(show, "Operatory 1") {
			t.Errorf("the appointment page does not show labels")
		}

		// The slot-taken message, as the front desk reads it.
		r := staff.PostForm("/appointments", url.Values{"_csrf": {tok}, "patient_id": {"2"}, "start": {"2031-06-05T10:15"},
			"duration_minutes": {"30"}, "provider_ref": {"1"}, "operatory_ref": {"3"}})
		if r.StatusCode != http.StatusConflict || !strings.Contains(r.Body, "Maya Chen (DOC1) already has") || !strings.Contains(r.Body, "from 10:00 to 10:30") {
			t.Fatalf("slot taken = %d %.3000s", r.StatusCode, r.Body)
		}

		// The patient's page lists the patient's appointments.
		if p := staff.Get("/patients/1").Body; !strings.Contains(p, `data-testid="patient-appointments"`) ||
			!strings.Contains(p, `data-testid="appointment-`+itoa(later)+`"`) || !strings.Contains(p, `data-testid="appointment-`+itoa(past)+`"`) {
			t.Errorf("the patient page does not list the appointments: %.2000s", p)
		}

		// The day schedule: columns per provider, the block, free time.
		day := staff.Get("/schedule?date=2031-06-05")
		for _, want := range []string{`data-testid="schedule-grid"`, `data-testid="column-1"`, `data-testid="column-2"`, "Maya Chen (DOC1)",
			`data-testid="block-` + itoa(later) + `"`, "10:00–10:30", `data-testid="free"`, `/appointments?duration_minutes=30&amp;provider_ref=1&amp;start=2031-06-05T09%3A00#book`} {
			if !strings.Contains(day.Body, want) {
				t.Errorf("the schedule lacks %s", want)
			}
		}
		if strings.Contains(day.Body, `start=2031-06-05T10%3A00#book`) && strings.Contains(day.Body, `provider_ref=1&amp;start=2031-06-05T10%3A00`) {
			t.Errorf("the schedule offers provider 1's booked 10:00 as free")
		}
	})
}
