package handlers_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchboard/integrations/definition"
	"switchboard/models"
	"switchboard/testsupport"
)

// TestRetrySaysWhatHappened: Retry answers the job after its next attempt
// — synced once the practice system answers again, or failed again with
// the reason — and attempts are numbered 1, 2, 3… per job across retries.
func TestRetrySaysWhatHappened(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, url string) {
		srv, _ := testsupport.StartDemoOn(t, url)
		// The refusal below is a provider Open Dental does not know; the
		// guard would refuse it first, so this test turns its list check
		// off to see what the practice system does.
		srv.App.Services.Records.UseReference(nil)
		org := srv.DemoOrg(t)
		agent := srv.KeyClient(t, org.ID, "agent")
		admin := srv.KeyClient(t, org.ID, "admin")
		staff := demoStaff(t, srv)

		book := func(start, provider string) int64 {
			t.Helper()
			r := agent.SendJSON("POST", "/api/appointments", map[string]any{"patient_id": 1, "start": start,
				"duration_minutes": 30, "provider_ref": provider, "operatory_ref": "1"})
			var a struct {
				ID int64 `json:"id"`
			}
			r.JSON(t, &a)
			if r.StatusCode != http.StatusCreated {
				t.Fatalf("book = %d %s", r.StatusCode, r.Body)
			}
			return a.ID
		}
		// parked waits for the appointment's job to have failed an attempt.
		parked := func(id int64) int64 {
			t.Helper()
			deadline := time.Now().Add(20 * time.Second)
			for {
				states, err := srv.App.Sync.States(t.Context(), org.ID, definition.EntityAppointment, id)
				if err != nil {
					t.Fatal(err)
				}
				if len(states) == 1 && (states[0].Status == models.JobRetrying || states[0].Status == models.JobFailed) {
					return states[0].JobID
				}
				if time.Now().After(deadline) {
					t.Fatalf("appointment %d never failed: %+v", id, states)
				}
				time.Sleep(50 * time.Millisecond)
			}
		}
		retry := func(job int64) (status, lastError string) {
			t.Helper()
			r := admin.SendJSON("POST", fmt.Sprintf("/api/admin/sync-errors/%d/retry", job), map[string]any{})
			var j struct {
				Status    string `json:"status"`
				LastError string `json:"last_error"`
			}
			r.JSON(t, &j)
			if r.StatusCode != http.StatusOK {
				t.Fatalf("retry = %d %s", r.StatusCode, r.Body)
			}
			return j.Status, j.LastError
		}
		numbers := func(job int64) []int {
			_, attempts, err := srv.App.Sync.Job(t.Context(), org.ID, job)
			if err != nil {
				t.Fatal(err)
			}
			var out []int
			for _, a := range attempts {
				out = append(out, a.Attempt)
			}
			return out
		}
		sequential := func(job int64) {
			t.Helper()
			for i, n := range numbers(job) {
				if n != i+1 {
					t.Fatalf("job %d attempts numbered %v, want 1, 2, 3…", job, numbers(job))
				}
			}
		}

		// A refusal: retried, it fails again and says why.
		bad := parked(book("2031-04-07T09:00:00-05:00", "99"))
		status, why := retry(bad)
		if (status != models.JobFailed && status != models.JobRetrying) || !strings.Contains(why, "ProvNum") {
			t.Fatalf("retry of a refused booking = %s %q, want failed (or retrying) naming ProvNum", status, why)
		}
		if got := numbers(bad); len(got) != 2 {
			t.Fatalf("attempts after one retry = %v, want 1, 2", got)
		}
		sequential(bad)

		// An outage: once the practice system answers again, a retry syncs.
		switchOutage(t, staff, true)
		down := parked(book("2031-04-07T11:00:00-05:00", "1"))
		switchOutage(t, staff, false)
		if status, why := retry(down); status != models.JobSynced {
			t.Fatalf("retry after the outage = %s %q, want synced", status, why)
		}
		sequential(down)
		// Pressed again on a page drawn before it synced: it says synced.
		if status, why := retry(down); status != models.JobSynced {
			t.Fatalf("retry of a job already synced = %s %q, want synced", status, why)
		}
	})
}
