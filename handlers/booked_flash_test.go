package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchboard/testsupport"
)

// TestBookedFlashSaysWhereTheBookingIs: a booking from the page says it
// was booked when Open Dental took it, and "booked — not yet in Open
// Dental, retrying" when the practice system is down.
func TestBookedFlashSaysWhereTheBookingIs(t *testing.T) {
	srv, _ := testsupport.StartDemo(t)
	staff, tok := loginDemoStaff(t, srv)
	waitSynced(t, srv, srv.DemoOrg(t).ID, "patient", 1)
	book := func(start string) string {
		t.Helper()
		form := url.Values{"_csrf": {tok}, "patient_id": {"1"}, "start": {start}, "duration_minutes": {"30"},
			"provider_ref": {"1"}, "operatory_ref": {"1"}}
		r := staff.PostForm("/appointments", form)
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("book %s = %d %.2000s", start, r.StatusCode, r.Body)
		}
		return staff.Get(r.Header.Get("Location")).Body
	}
	if page := book("2031-06-04T10:00"); !strings.Contains(page, "The appointment was booked.") || strings.Contains(page, "not yet in") {
		t.Errorf("a booking Open Dental took does not read as booked:\n%.3000s", page)
	}
	switchOutage(t, staff, true)
	defer switchOutage(t, staff, false)
	if page := book("2031-06-04T11:00"); !strings.Contains(page, "The appointment was booked — not yet in Open Dental, retrying.") {
		t.Errorf("a booking during an outage does not say it has not reached Open Dental:\n%.3000s", page)
	}
}
