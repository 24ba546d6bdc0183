package handlers_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestPagesShowPracticeTime: for a practice in America/Chicago, the
// appointment list and page show 10:00 CDT for an appointment at
// 15:00 UTC, the booking form says its start is practice time, and no page
// of the tour says UTC.
func TestPagesShowPracticeTime(t *testing.T) {
	srv, agent := demoAgent(t)
	r := agent.SendJSON("POST", "/api/appointments", map[string]any{"patient_id": 1, "start": "2031-06-02T15:00:00Z",
		"duration_minutes": 30, "provider_ref": "1", "operatory_ref": "1"})
	var a struct {
		ID int64 `json:"id"`
	}
	r.JSON(t, &a)
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("book = %d %s", r.StatusCode, r.Body)
	}
	staff := demoStaff(t, srv)
	list := staff.Get("/appointments?from=2031-06-01&to=2031-06-03")
	if !strings.Contains(list.Body, "10:00 CDT") || strings.Contains(list.Body, "15:00") {
		t.Fatalf("appointment list does not show practice time:\n%.2000s", list.Body)
	}
	show := staff.Get(fmt.Sprintf("/appointments/%d", a.ID))
	if !strings.Contains(show.Body, "10:00 CDT") || !strings.Contains(show.Body, "10:30 CDT") {
		t.Fatalf("appointment page does not show practice time:\n%.2000s", show.Body)
	}
	if !strings.Contains(staff.Get("/appointments").Body, "Start (practice time)") {
		t.Fatal("the booking form does not say its start is practice time")
	}
	for _, path := range []string{"/appointments", fmt.Sprintf("/appointments/%d", a.ID), "/sync-errors", "/", "/patients"} {
		if body := staff.Get(path).Body; strings.Contains(body, "UTC") {
			i := strings.Index(body, "UTC")
			t.Errorf("%s says UTC: …%s…", path, body[max(0, i-120):min(len(body), i+40)])
		}
	}
}
