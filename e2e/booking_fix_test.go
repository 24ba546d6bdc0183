package e2e

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"switchboard/integrations/definition"
	"switchboard/testsupport"
)

// TestBookWithPickersThenFixAFailedEdit: a newcomer finds the patient with
// the search box, books choosing provider and operatory from Open Dental's
// pickers and sees it synced; with the sandbox down, moves it on the edit
// page and sees the sync fail in the error log; with the sandbox back,
// retries from the log and sees it synced, and Open Dental holds the new
// practice time.
func TestBookWithPickersThenFixAFailedEdit(t *testing.T) {
	srv, login := testsupport.StartDemo(t)
	ctx := newBrowser(t)
	signIn(t, ctx, srv.URL, login.Email, login.Password)
	must(t, ctx,
		chromedp.Navigate(srv.URL+"/patients"),
		chromedp.SendKeys(chromedp.CSS(`#f-first_name`), "Beatrix"),
		chromedp.SendKeys(chromedp.CSS(`#f-last_name`), "Pickwell"),
		chromedp.Click(chromedp.CSS(`[data-testid="create-patient"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="save-patient"]`)),
	)
	patientID := eval[string](t, ctx, `location.pathname.split("/").pop()`)

	// The search box fills the patient select; nothing is chosen until
	// the newcomer chooses.
	option := fmt.Sprintf(`#f-patient_id option[value="%s"]`, patientID)
	must(t, ctx,
		chromedp.Navigate(srv.URL+"/appointments"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="appointment-form"]`)),
		chromedp.SendKeys(chromedp.CSS(`#f-patient_q`), "pickw"),
		chromedp.WaitReady(chromedp.CSS(option)),
	)
	if v := eval[string](t, ctx, `document.querySelector("#f-patient_id").value`); v != "" {
		t.Fatalf("the search chose patient %q by itself", v)
	}
	if n := eval[int](t, ctx, `document.querySelectorAll("#f-operatory_ref option").length`); n < 2 {
		t.Fatalf("the operatory picker has %d options", n)
	}
	must(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#f-patient_id`), patientID),
		chromedp.SetValue(chromedp.CSS(`#f-start`), "2030-05-07T09:00"),
		chromedp.SetValue(chromedp.CSS(`#f-provider_ref`), "1"),
		chromedp.SetValue(chromedp.CSS(`#f-operatory_ref`), "2"),
		chromedp.Click(chromedp.CSS(`[data-testid="book-appointment"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="edit-appointment"]`)),
	)
	appointment := eval[string](t, ctx, `location.href`)
	reloadUntil(t, ctx, appointment, `[data-testid="sync-opendental-synced"]`, 20*time.Second)

	// Break the sandbox, then move the appointment: its sync fails.
	must(t, ctx,
		chromedp.Navigate(srv.URL+"/sync-errors"),
		chromedp.Click(chromedp.CSS(`[data-testid="toggle-outage"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash-info"]`)),
		chromedp.Navigate(appointment),
		chromedp.Click(chromedp.CSS(`[data-testid="edit-appointment"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="appointment-edit-form"]`)),
		chromedp.SetValue(chromedp.CSS(`#f-start`), "2030-05-07T10:30"),
		chromedp.Click(chromedp.CSS(`[data-testid="save-appointment"]`)),
	)
	waitText(t, ctx, `[data-testid="flash-success"]`, "The appointment was saved.")
	reloadUntil(t, ctx, srv.URL+"/sync-errors", `[data-testid^="retry-"]`, 20*time.Second)
	if text := eval[string](t, ctx, `document.body.innerText`); !strings.Contains(text, "retrying") && !strings.Contains(text, "failed") {
		t.Fatalf("the error log shows no failing job:\n%.1000s", text)
	}

	// Fix the sandbox and retry from the log.
	must(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="toggle-outage"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash-info"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid^="retry-"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash-success"],[data-testid="flash-error"]`)),
	)
	if flash := eval[string](t, ctx, `document.querySelector('[data-testid^="flash-"]').innerText`); !strings.Contains(flash, "synced") {
		t.Fatalf("retry after the fix says %q, want synced", flash)
	}
	reloadUntil(t, ctx, appointment, `[data-testid="sync-opendental-synced"]`, 20*time.Second)

	org := srv.DemoOrg(t)
	id, _ := strconv.ParseInt(appointment[strings.LastIndex(appointment, "/")+1:], 10, 64)
	states, err := srv.App.Sync.States(t.Context(), org.ID, definition.EntityAppointment, id)
	if err != nil || len(states) != 1 {
		t.Fatalf("sync states = %+v %v", states, err)
	}
	for _, apt := range srv.DemoSandbox(t).OpenDentalAppointments() {
		if strconv.FormatInt(apt.AptNum, 10) == states[0].ExternalID {
			if apt.AptDateTime != "2030-05-07 10:30:00" || apt.Op != 2 {
				t.Fatalf("Open Dental's appointment = %+v, want 10:30 practice time in operatory 2", apt)
			}
			return
		}
	}
	t.Fatalf("Open Dental has no appointment %s", states[0].ExternalID)
}
