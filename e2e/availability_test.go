package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"switchboard/testsupport"
)

// chooseBookingFields finds a demo patient with the search box and picks
// it, and picks the operatory.
func chooseBookingFields(t *testing.T, ctx context.Context, operatory string) {
	t.Helper()
	must(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#f-patient_q`), "Lovelace"),
		chromedp.WaitReady(chromedp.CSS(`#f-patient_id option[value]:not([value=""])`)),
	)
	patient := eval[string](t, ctx, `document.querySelector('#f-patient_id option[value]:not([value=""])').value`)
	must(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#f-patient_id`), patient),
		chromedp.SetValue(chromedp.CSS(`#f-operatory_ref`), operatory),
	)
}

// TestBookAFreeSlotInPracticeTime: move the demo practice to Denver, pick a
// free slot of provider 1 on next week's grid, book it, see it synced, and
// find it in the sandbox's Open Dental at the slot's Denver clock time.
func TestBookAFreeSlotInPracticeTime(t *testing.T) {
	srv, login := testsupport.StartDemo(t)
	ctx := newBrowser(t)
	signIn(t, ctx, srv.URL, login.Email, login.Password)
	must(t, ctx,
		chromedp.Navigate(srv.URL+"/settings"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="settings-form"]`)),
		chromedp.SetValue(chromedp.CSS(`#f-time_zone`), "America/Denver"),
		chromedp.Click(chromedp.CSS(`[data-testid="settings-save"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash-success"]`)),
	)
	if zone := eval[string](t, ctx, `document.querySelector('#f-time_zone').value`); zone != "America/Denver" {
		t.Fatalf("the practice's time zone is %q after saving, want America/Denver", zone)
	}

	must(t, ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="nav"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="nav"] a[href="/availability"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="availability-form"]`)),
		chromedp.SetValue(chromedp.CSS(`#f-provider_ref`), "1"),
		chromedp.Click(chromedp.CSS(`[data-testid="show-slots"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="week-grid"]`)),
		// Next week: every weekday of it is in the future.
		chromedp.Click(chromedp.CSS(`[data-testid="next-week"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="week-grid"]`)),
	)
	monday := eval[string](t, ctx, `document.querySelector('#f-week').value`)
	day := mustDay(t, monday).AddDate(0, 0, 1).Format(time.DateOnly) // Tuesday
	sel := fmt.Sprintf(`[data-testid="day-%s"] [data-testid^="slot-"]`, day)
	testid := eval[string](t, ctx, fmt.Sprintf(`(document.querySelector(%q) || {dataset: {}}).dataset.testid || ""`, sel))
	start := strings.TrimPrefix(testid, "slot-")
	if start == "" {
		t.Fatalf("no free slot on %s:\n%.2000s", day, eval[string](t, ctx, `document.body.innerText`))
	}
	must(t, ctx,
		chromedp.Click(chromedp.CSS(sel)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="appointment-form"]`)),
	)
	if got := eval[string](t, ctx, `document.querySelector('#f-start').value`); got != start {
		t.Fatalf("the booking form's start = %q, want the slot's %q", got, start)
	}
	if hash := eval[string](t, ctx, `location.hash`); hash != "#book" {
		t.Errorf("the booking form opened at %q, want #book", hash)
	}
	before := len(srv.DemoSandbox(t).OpenDentalAppointments())
	chooseBookingFields(t, ctx, "1")
	must(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="book-appointment"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="cancel-appointment"]`)),
	)
	page := eval[string](t, ctx, `location.href`)
	reloadUntil(t, ctx, page, `[data-testid="sync-opendental-synced"]`, 20*time.Second)

	apts := srv.DemoSandbox(t).OpenDentalAppointments()
	if len(apts) != before+1 {
		t.Fatalf("Open Dental has %d appointments, want %d", len(apts), before+1)
	}
	// Open Dental reads AptDateTime as the practice's clock: Denver's.
	want := strings.Replace(start, "T", " ", 1) + ":00"
	if got := apts[len(apts)-1].AptDateTime; got != want {
		t.Fatalf("Open Dental AptDateTime = %q, want %q (the slot in Denver time)", got, want)
	}
}

func mustDay(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatalf("week field %q: %v", s, err)
	}
	return d
}
