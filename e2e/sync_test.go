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

// reloadUntil reloads url until sel is on the page or the time runs out.
func reloadUntil(t *testing.T, ctx context.Context, url, sel string, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		must(t, ctx, chromedp.Navigate(url), chromedp.WaitReady(chromedp.CSS("body")))
		if eval[bool](t, ctx, fmt.Sprintf(`!!document.querySelector(%q)`, sel)) {
			return
		}
		if time.Now().After(deadline) {
			body := eval[string](t, ctx, `document.body.innerText`)
			t.Fatalf("%s never showed %s:\n%.1500s", url, sel, body)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// TestDualWriteSyncsAndRecoversFromAnOutage: dual-write is on in the demo; book an
// appointment and see it synced; break the sandbox, book another and see
// the error; fix the sandbox, retry, see it synced.
func TestDualWriteSyncsAndRecoversFromAnOutage(t *testing.T) {
	srv, login := testsupport.StartDemo(t)
	ctx := newBrowser(t)
	signIn(t, ctx, srv.URL, login.Email, login.Password)
	must(t, ctx,
		// Dual-write to Open Dental is on out of the box.
		chromedp.Navigate(srv.URL+"/sync-settings"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="sync-card-opendental"]`)),
	)
	if on := eval[bool](t, ctx, `document.querySelector('[data-testid="sync-toggle-opendental"] input').checked`); !on {
		t.Fatal("dual-write to Open Dental is not on in a fresh demo")
	}
	must(t, ctx,
		// A patient, then an appointment.
		chromedp.Navigate(srv.URL+"/patients"),
		chromedp.SendKeys(chromedp.CSS(`#f-first_name`), "Mary"),
		chromedp.SendKeys(chromedp.CSS(`#f-last_name`), "Jackson"),
		chromedp.Click(chromedp.CSS(`[data-testid="create-patient"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="save-patient"]`)),
	)
	patientID := eval[string](t, ctx, `location.pathname.split("/").pop()`)
	book := func(start string) string {
		must(t, ctx,
			chromedp.Navigate(srv.URL+"/appointments?patient_id="+patientID),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="appointment-form"]`)),
			chromedp.SetValue(chromedp.CSS(`#f-start`), start),
			chromedp.SetValue(chromedp.CSS(`#f-operatory_ref`), "1"),
			chromedp.SetValue(chromedp.CSS(`#f-provider_ref`), "1"),
			chromedp.Click(chromedp.CSS(`[data-testid="book-appointment"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="cancel-appointment"]`)),
		)
		return eval[string](t, ctx, `location.href`)
	}
	first := book("2030-05-06T09:00")
	reloadUntil(t, ctx, first, `[data-testid="sync-opendental-synced"]`, 20*time.Second)

	// Break the sandbox, book again: the failure shows in the error log.
	must(t, ctx,
		chromedp.Navigate(srv.URL+"/sync-errors"),
		chromedp.Click(chromedp.CSS(`[data-testid="toggle-outage"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash-info"]`)),
	)
	second := book("2030-05-06T11:00")
	reloadUntil(t, ctx, srv.URL+"/sync-errors", `[data-testid^="retry-"]`, 20*time.Second)
	text := eval[string](t, ctx, `document.body.innerText`)
	if !strings.Contains(text, "retrying") && !strings.Contains(text, "failed") {
		t.Fatalf("the error log shows no failing job:\n%.1000s", text)
	}
	// Fix the sandbox and retry from the log.
	must(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="toggle-outage"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash-info"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid^="retry-"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash-success"],[data-testid="flash-error"]`)),
	)
	// The retry says what happened: synced, or why not.
	if flash := eval[string](t, ctx, `document.querySelector('[data-testid^="flash-"]').innerText`); !strings.Contains(flash, "synced") {
		t.Fatalf("retry after the fix says %q, want synced", flash)
	}
	reloadUntil(t, ctx, second, `[data-testid="sync-opendental-synced"]`, 20*time.Second)
	if n := len(srv.DemoSandbox(t).OpenDentalAppointments()); n < 2 {
		t.Fatalf("the sandbox holds %d appointments, want both", n)
	}
}
