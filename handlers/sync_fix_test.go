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

// fixDemo is the demo organization with an agent, an admin and a staff
// member, on one database.
type fixDemo struct {
	srv                 *testsupport.Server
	org                 *models.Organization
	agent, admin, staff *testsupport.Client
}

func startFixDemo(t *testing.T, url string) *fixDemo {
	t.Helper()
	srv, _ := testsupport.StartDemoOn(t, url)
	// These tests need bookings the practice system refuses (a provider
	// it does not know): the guard's list check, which would refuse them
	// first, is off.
	srv.App.Services.Records.UseReference(nil)
	org := srv.DemoOrg(t)
	return &fixDemo{srv: srv, org: org, agent: srv.KeyClient(t, org.ID, "agent"), admin: srv.KeyClient(t, org.ID, "admin"), staff: demoStaff(t, srv)}
}

// book books patient 1 with provider and answers the appointment's id.
func (d *fixDemo) book(t *testing.T, start, provider string) int64 {
	t.Helper()
	r := d.agent.SendJSON("POST", "/api/appointments", map[string]any{"patient_id": 1, "start": start,
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

// settle waits until the record's one sync state is in one of statuses
// and answers it.
func (d *fixDemo) settle(t *testing.T, entity string, id int64, statuses ...string) stateJob {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		states, err := d.srv.App.Sync.States(t.Context(), d.org.ID, entity, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range statuses {
			if len(states) == 1 && states[0].Status == s {
				return stateJob{Status: s, JobID: states[0].JobID}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s %d never reached %v: %+v", entity, id, statuses, states)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

type stateJob struct {
	Status string
	JobID  int64
}

// TestSavingRequeuesParkedCreateThroughTheAPI: an appointment whose create
// the practice system refused is fixed with PATCH; the same job delivers
// the new values and the error log has nothing left.
func TestSavingRequeuesParkedCreateThroughTheAPI(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, url string) {
		d := startFixDemo(t, url)
		id := d.book(t, "2031-04-07T09:00:00-05:00", "99") // ProvNum 99 is refused upstream
		parked := d.settle(t, definition.EntityAppointment, id, models.JobRetrying, models.JobFailed)

		r := d.agent.SendJSON("PATCH", fmt.Sprintf("/api/appointments/%d", id), map[string]any{"provider_ref": "1"})
		var patched struct {
			Sync []struct {
				Status string `json:"status"`
				JobID  int64  `json:"job_id"`
			} `json:"sync"`
		}
		r.JSON(t, &patched)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("PATCH = %d %s", r.StatusCode, r.Body)
		}
		// The parked job itself is queued again: the answer names it, and
		// at once nothing is left in the error log.
		if len(patched.Sync) != 1 || patched.Sync[0].JobID != parked.JobID || patched.Sync[0].Status == models.JobFailed ||
			patched.Sync[0].Status == models.JobRetrying {
			t.Errorf("PATCH answered sync %+v, want job %d queued again", patched.Sync, parked.JobID)
		}
		noErrors := func(when string) {
			t.Helper()
			for _, q := range []string{"?status=failed", ""} {
				var errs struct {
					Items []struct {
						ID int64 `json:"id"`
					} `json:"items"`
				}
				d.admin.Get("/api/admin/sync-errors"+q).JSON(t, &errs)
				if len(errs.Items) != 0 {
					t.Errorf("%s: sync errors%s = %+v, want none", when, q, errs.Items)
				}
			}
		}
		noErrors("after the save")
		synced := d.settle(t, definition.EntityAppointment, id, models.JobSynced)
		if synced.JobID != parked.JobID {
			t.Errorf("synced by job %d, want the parked job %d requeued", synced.JobID, parked.JobID)
		}
		var got struct {
			Sync []stateOut `json:"sync"`
		}
		d.agent.Get(fmt.Sprintf("/api/appointments/%d", id)).JSON(t, &got)
		if len(got.Sync) != 1 || got.Sync[0].Status != models.JobSynced || got.Sync[0].ExternalID == "" {
			t.Errorf("appointment sync = %+v, want synced with an external id", got.Sync)
		}
		noErrors("once synced")
		jobs, err := d.srv.App.Store.Tenant(d.org.ID).SyncJobs(t.Context(), models.SyncJobFilter{Entity: definition.EntityAppointment, LocalID: id})
		if err != nil || len(jobs) != 1 {
			t.Errorf("jobs of the appointment = %+v, %v; want the one requeued", jobs, err)
		}
	})
}

// TestSyncErrorLogNamesTheRecord: the log's rows and the job page name the
// patient, an appointment's start in practice time, and link to the
// record; a deleted record says so.
func TestSyncErrorLogNamesTheRecord(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, url string) {
		d := startFixDemo(t, url)
		ctx := t.Context()
		tn := d.srv.App.Store.Tenant(d.org.ID)
		patient, err := tn.Patient(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		id := d.book(t, "2031-04-07T09:00:00-05:00", "99")
		job := d.settle(t, definition.EntityAppointment, id, models.JobRetrying, models.JobFailed)
		a, err := tn.Appointment(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		z := d.org.Zone()
		if z.Name() == "UTC" {
			t.Fatal("the demo practice runs on UTC; the test needs another zone")
		}
		label := patient.FirstName + " " + patient.LastName + " · " + z.FormatPage(a.Start)

		switchOutage(t, d.staff, true)
		var gone struct {
			ID int64 `json:"id"`
		}
		d.agent.SendJSON("POST", "/api/patients", map[string]any{"first_name": "Gone", "last_name": "Soon"}).JSON(t, &gone)
		goneJob := d.settle(t, definition.EntityPatient, gone.ID, models.JobRetrying, models.JobFailed)
		if r := d.agent.Do("DELETE", fmt.Sprintf("/api/patients/%d", gone.ID), nil, nil); r.StatusCode >= 300 {
			t.Fatalf("delete patient = %d %s", r.StatusCode, r.Body)
		}

		page := d.staff.Get("/sync-errors")
		row := rowOf(t, page.Body, job.JobID)
		for _, want := range []string{label, fmt.Sprintf(`href="/appointments/%d"`, id), `data-testid="record-link"`} {
			if !strings.Contains(row, want) {
				t.Errorf("the row of job %d lacks %q: %s", job.JobID, want, row)
			}
		}
		if row := rowOf(t, page.Body, goneJob.JobID); !strings.Contains(row, "Gone Soon (deleted)") || strings.Contains(row, "record-link") {
			t.Errorf("the row of the deleted patient's job does not say it is gone: %s", row)
		}
		show := d.staff.Get(fmt.Sprintf("/sync-errors/%d", job.JobID))
		if !strings.Contains(show.Body, label) || !strings.Contains(show.Body, fmt.Sprintf(`href="/appointments/%d"`, id)) {
			t.Errorf("the job page does not name the appointment %q: %.2000s", label, show.Body)
		}
	})
}

// rowOf is the HTML of a job's row of the sync error log.
func rowOf(t *testing.T, body string, jobID int64) string {
	t.Helper()
	i := strings.Index(body, fmt.Sprintf(`data-testid="job-%d"`, jobID))
	if i < 0 {
		t.Fatalf("the error log has no row for job %d", jobID)
	}
	row := body[i:]
	if j := strings.Index(row, "</tr>"); j >= 0 {
		row = row[:j]
	}
	return row
}

// TestAttemptsSayHowFarTheyGot: the job page shows an answered attempt as
// "HTTP <status> · N ms", one sent without an answer as "no answer after
// N ms: why" and one refused before sending as "not sent: why". The first
// is a real refusal by the sandbox; the other two are stored as the
// syncer stores them (its tests make them against a down upstream and a
// request failing validation).
func TestAttemptsSayHowFarTheyGot(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, url string) {
		d := startFixDemo(t, url)
		id := d.book(t, "2031-04-07T09:00:00-05:00", "99")
		job := d.settle(t, definition.EntityAppointment, id, models.JobRetrying, models.JobFailed)
		tn := d.srv.App.Store.Tenant(d.org.ID)
		for _, a := range []models.SyncAttempt{
			{JobID: job.JobID, Sent: true, DurationMS: 12, Error: "upstream_unreachable: opendental cannot be reached"},
			{JobID: job.JobID, Sent: false, Error: "missing_credentials: opendental has no credentials"},
		} {
			if err := tn.InsertSyncAttempt(t.Context(), &a); err != nil {
				t.Fatal(err)
			}
		}
		show := d.staff.Get(fmt.Sprintf("/sync-errors/%d", job.JobID)).Body
		for _, want := range []string{"HTTP 400 · ", "no answer after 12 ms: upstream_unreachable: opendental cannot be reached",
			"not sent: missing_credentials: opendental has no credentials"} {
			if !strings.Contains(show, want) {
				t.Errorf("the job page lacks %q", want)
			}
		}
		if strings.Contains(show, "HTTP 0 ·") {
			t.Errorf("the job page still shows an attempt as HTTP 0")
		}
	})
}
