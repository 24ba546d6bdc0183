package handlers_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// Appointment times given without an offset are practice time (here
// Chicago): stored as the right instant and answered with the practice's
// offset at that instant, winter and summer; a Z time is answered with the
// practice offset too, and a bad start is refused naming start.
func TestAppointmentTimesArePracticeTime(t *testing.T) {
	srv, c := demoAgent(t)
	org := srv.DemoOrg(t)
	settings := org.Settings()
	settings.TimeZone, settings.TimeZoneChosen = "America/Chicago", true
	if _, _, err := srv.App.Store.Tenant(org.ID).UpdateOrganization(t.Context(), settings); err != nil {
		t.Fatal(err)
	}
	var p struct {
		ID int64 `json:"id"`
	}
	r := c.SendJSON("POST", "/api/patients", map[string]any{"first_name": "Ada", "last_name": "Lovelace"})
	r.JSON(t, &p)
	if r.StatusCode != 201 {
		t.Fatalf("create patient = %d %s", r.StatusCode, r.Body)
	}
	for _, tc := range []struct{ in, stored, answered string }{
		{"2026-12-15T10:30", "2026-12-15T16:30:00Z", "2026-12-15T10:30:00-06:00"},
		{"2027-07-15T10:30:00", "2027-07-15T15:30:00Z", "2027-07-15T10:30:00-05:00"},
		{"2026-12-15T19:00:00Z", "2026-12-15T19:00:00Z", "2026-12-15T13:00:00-06:00"},
	} {
		var a struct {
			ID        int64  `json:"id"`
			Start     string `json:"start"`
			End       string `json:"end"`
			CreatedAt string `json:"created_at"`
		}
		r := c.SendJSON("POST", "/api/appointments", map[string]any{"patient_id": p.ID, "start": tc.in, "duration_minutes": 30, "operatory_ref": "1"})
		r.JSON(t, &a)
		if r.StatusCode != 201 || a.Start != tc.answered {
			t.Fatalf("create at %s = %d start %q, want %s: %s", tc.in, r.StatusCode, a.Start, tc.answered, r.Body)
		}
		if !strings.HasSuffix(a.CreatedAt, "-06:00") {
			t.Errorf("created_at %q is not in practice time", a.CreatedAt)
		}
		stored, err := srv.App.Store.Tenant(org.ID).Appointment(t.Context(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := stored.Start.UTC().Format(time.RFC3339); got != tc.stored {
			t.Errorf("stored %s for %s, want %s", got, tc.in, tc.stored)
		}
		if g := c.Get(fmt.Sprintf("/api/appointments/%d", a.ID)); !strings.Contains(g.Body, `"start":"`+tc.answered+`"`) {
			t.Errorf("GET answers %s, want start %s", g.Body, tc.answered)
		}
	}
	if l := c.Get("/api/appointments"); !strings.Contains(l.Body, `"start":"2027-07-15T10:30:00-05:00"`) {
		t.Errorf("the list does not answer practice time: %s", l.Body)
	}
	bad := c.SendJSON("POST", "/api/appointments", map[string]any{"patient_id": p.ID, "start": "15/12/2026 10:30", "duration_minutes": 30, "operatory_ref": "1"})
	if bad.StatusCode != 422 || !strings.Contains(bad.Body, `"field":"start"`) || !strings.Contains(bad.Body, "2026-12-15T10:30") {
		t.Fatalf("bad start = %d %s", bad.StatusCode, bad.Body)
	}
}
