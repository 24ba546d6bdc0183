package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"switchboard/testsupport"
)

// TestScheduleShowsTheDayAndBooksFreeTime: the day schedule shows a
// booked appointment as a block in its provider's column; a click on
// free time in that column opens the booking form at that time and
// provider, and the booking made there appears on the schedule.
func TestScheduleShowsTheDayAndBooksFreeTime(t *testing.T) {
	srv, login := testsupport.StartDemo(t)
	org := srv.DemoOrg(t)
	agent := srv.KeyClient(t, org.ID, "agent")
	if r := agent.SendJSON("POST", "/api/appointments", map[string]any{"patient_id": 1, "start": "2031-06-05T10:00", "duration_minutes": 30,
		"provider_ref": "1", "operatory_ref": "1"}); r.StatusCode != http.StatusCreated {
		t.Fatalf("book = %d %s", r.StatusCode, r.Body)
	}
	ctx := newBrowser(t)
	signIn(t, ctx, srv.URL, login.Email, login.Password)
	must(t, ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="nav"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="nav"] a[href="/schedule"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="schedule-grid"]`)),
		chromedp.Navigate(srv.URL+"/schedule?date=2031-06-05"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="schedule-grid"]`)),
	)
	block := eval[string](t, ctx, `(document.querySelector('[data-testid^="block-"]') || {innerText: ""}).innerText`)
	if !strings.Contains(block, "10:00–10:30") {
		t.Fatalf("the schedule shows no block for the 10:00 booking: %q\n%.2000s", block, eval[string](t, ctx, `document.body.innerText`))
	}
	// The first column is provider 1's: its block sits in it, and its free
	// 09:00 starts a booking with that provider.
	header := eval[string](t, ctx, `document.querySelector('[data-testid="schedule-grid"] thead th:nth-child(2)').innerText`)
	if !strings.Contains(header, "Maya Chen") {
		t.Fatalf("the first column is %q, want Maya Chen's", header)
	}
	must(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="free"][data-time="09:00"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="appointment-form"]`)),
	)
	if got := eval[string](t, ctx, `document.querySelector('#f-start').value`); got != "2031-06-05T09:00" {
		t.Fatalf("the booking form's start = %q, want 2031-06-05T09:00", got)
	}
	if got := eval[string](t, ctx, `document.querySelector('#f-provider_ref').value`); got != "1" {
		t.Fatalf("the booking form's provider = %q, want 1", got)
	}
	chooseBookingFields(t, ctx, "2")
	must(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="book-appointment"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="cancel-appointment"]`)),
		chromedp.Navigate(srv.URL+"/schedule?date=2031-06-05"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="schedule-grid"]`)),
	)
	if n := eval[int](t, ctx, `document.querySelectorAll('[data-testid^="block-"]').length`); n != 2 {
		t.Fatalf("the schedule shows %d blocks after booking free time, want 2", n)
	}
}

// TestRefusedSaveShowsItsErrors: with Cloud9 patient sync on, saving a
// patient is refused on fields the form does not have; the page shows
// them in a summary at the top.
func TestRefusedSaveShowsItsErrors(t *testing.T) {
	srv, login := testsupport.StartDemo(t)
	org := srv.DemoOrg(t)
	admin := srv.KeyClient(t, org.ID, "admin")
	if r := admin.SendJSON("POST", "/api/admin/integration-settings", map[string]any{"integration": "cloud9", "enabled": true,
		"direction": "dual_write", "entities": []string{"patient"}}); r.StatusCode != http.StatusCreated {
		t.Fatalf("Cloud9 patient sync = %d %s", r.StatusCode, r.Body)
	}
	ctx := newBrowser(t)
	signIn(t, ctx, srv.URL, login.Email, login.Password)
	must(t, ctx,
		chromedp.Navigate(srv.URL+"/patients/1"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="save-patient"]`)),
		chromedp.SetValue(chromedp.CSS(`#f-phone`), "(555) 010-2020"),
		chromedp.Click(chromedp.CSS(`[data-testid="save-patient"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="error-summary"]`)),
	)
	summary := eval[string](t, ctx, `document.querySelector('[data-testid="error-summary"]').innerText`)
	for _, want := range []string{"Not saved", "providerGUID: cloud9: is required", "locationGUID: cloud9: is required"} {
		if !strings.Contains(summary, want) {
			t.Errorf("the summary %q lacks %q", summary, want)
		}
	}
	// It sits at the top of the form, above the first input.
	if above := eval[bool](t, ctx, `document.querySelector('[data-testid="error-summary"]').compareDocumentPosition(document.querySelector('#f-first_name')) & Node.DOCUMENT_POSITION_FOLLOWING ? true : false`); !above {
		t.Error("the summary is not above the form's inputs")
	}
}
