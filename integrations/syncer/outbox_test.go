package syncer

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchboard/apperr"
	"switchboard/integrations/sandbox"
	"switchboard/models"
)

func TestWritePath(t *testing.T) {
	forEachBackend(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		m := f.manager()

		t.Run("the local row and its job commit together", func(t *testing.T) {
			p := newPatient(0)
			states, err := m.CreatePatient(f.ctx, f.orgID, p)
			if err != nil {
				t.Fatalf("CreatePatient: %v", err)
			}
			if len(states) != 1 || states[0].Status != models.JobPending || states[0].Integration != "opendental" || states[0].Mode != models.DirectionDualWrite {
				t.Fatalf("states = %+v, want one pending dual_write opendental", states)
			}
			js := f.jobs("patient", p.ID)
			if len(js) != 1 || js[0].Operation != "create" || js[0].RecordVersion != 1 {
				t.Fatalf("jobs = %+v, want one create job of version 1", js)
			}
		})

		t.Run("a create answers the states a later read gives", func(t *testing.T) {
			p := newPatient(0)
			created, err := m.CreatePatient(f.ctx, f.orgID, p)
			if err != nil {
				t.Fatalf("CreatePatient: %v", err)
			}
			read, err := m.States(f.ctx, f.orgID, "patient", p.ID)
			if err != nil {
				t.Fatalf("States: %v", err)
			}
			if !slices.Equal(created, read) || len(read) != 1 || read[0].JobID == 0 {
				t.Errorf("create answered %+v, a read gives %+v", created, read)
			}
		})

		t.Run("a failure inside the transaction rolls back the row and the job", func(t *testing.T) {
			before := len(f.allJobs())
			m.beforeCommit = func() error { return errors.New("boom") }
			defer func() { m.beforeCommit = nil }()
			p := newPatient(1)
			if _, err := m.CreatePatient(f.ctx, f.orgID, p); err == nil {
				t.Fatal("CreatePatient succeeded, want the forced error")
			}
			if p.ID != 0 {
				if _, err := f.tenant().Patient(f.ctx, p.ID); !apperr.IsNotFound(err) {
					t.Errorf("patient %d after rollback: err = %v, want not found", p.ID, err)
				}
			}
			if got := len(f.allJobs()); got != before {
				t.Errorf("jobs after rollback = %d, want %d", got, before)
			}
		})

		t.Run("a local_only or disabled config queues nothing", func(t *testing.T) {
			cfg := *f.cfg
			cfg.Direction = models.DirectionLocalOnly
			if err := f.tenant().SaveSyncConfig(f.ctx, &cfg); err != nil {
				t.Fatal(err)
			}
			defer func() {
				if err := f.tenant().SaveSyncConfig(f.ctx, f.cfg); err != nil {
					t.Fatal(err)
				}
			}()
			p := newPatient(2)
			states, err := m.CreatePatient(f.ctx, f.orgID, p)
			if err != nil || len(states) != 0 || len(f.jobs("patient", p.ID)) != 0 {
				t.Errorf("states, err = %+v, %v; want no states and no jobs", states, err)
			}
		})
	})
}

func TestDualWriteDelivers(t *testing.T) {
	forEachBackend(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		m := f.manager()
		f.run(m)

		p := newPatient(0)
		if _, err := m.CreatePatient(f.ctx, f.orgID, p); err != nil {
			t.Fatal(err)
		}
		a := newAppointment(p.ID, time.Date(2030, 3, 4, 9, 0, 0, 0, time.UTC))
		if _, err := m.CreateAppointment(f.ctx, f.orgID, a); err != nil {
			t.Fatal(err)
		}
		states, err := m.WaitFirstAttempt(f.ctx, f.orgID, "appointment", a.ID, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		waitFor(t, 5*time.Second, "every job synced", f.allSettled)
		states, _ = m.States(f.ctx, f.orgID, "appointment", a.ID)
		if len(states) != 1 || states[0].Status != models.JobSynced || states[0].ExternalID == "" {
			t.Fatalf("appointment states = %+v, want synced with an external id", states)
		}
		if c := f.sb.Created(); c.OpenDentalPatients != 1 || c.OpenDentalAppointments != 1 {
			t.Errorf("sandbox created = %+v, want one patient and one appointment", c)
		}
		w := f.rec.writes()
		ip, ia := slices.Index(w, "POST /patients"), slices.Index(w, "POST /appointments")
		if ip < 0 || ia < 0 || ip > ia {
			t.Errorf("writes = %v, want the patient created before the appointment", w)
		}
		_, attempts, err := m.Job(f.ctx, f.orgID, states[0].JobID)
		if err != nil || len(attempts) != 1 || !attempts[0].OK || attempts[0].HTTPStatus != 201 {
			t.Errorf("attempts = %+v, %v; want one ok attempt with 201", attempts, err)
		}
		if strings.Contains(attempts[0].RequestExcerpt, f.sb.Config().OpenDentalCustomerKey) {
			t.Errorf("request excerpt leaks the credential: %s", attempts[0].RequestExcerpt)
		}
		cfg, _ := f.tenant().SyncConfigFor(f.ctx, f.integ)
		if cfg.LastSyncAt == nil || cfg.LastSyncStatus != "ok" {
			t.Errorf("config last sync = %v %q, want ok", cfg.LastSyncAt, cfg.LastSyncStatus)
		}

		t.Run("updates follow their create and reuse the external id", func(t *testing.T) {
			p2 := newPatient(3)
			if _, err := m.CreatePatient(f.ctx, f.orgID, p2); err != nil {
				t.Fatal(err)
			}
			for i := range 3 {
				p2.LastName = "Lee" + strings.Repeat("x", i+1)
				if _, err := m.UpdatePatient(f.ctx, f.orgID, p2); err != nil {
					t.Fatal(err)
				}
			}
			waitFor(t, 5*time.Second, "every job synced", f.allSettled)
			ref, err := f.tenant().ExternalRef(f.ctx, f.integ, "patient", p2.ID)
			if err != nil {
				t.Fatal(err)
			}
			// Saves made before the create was delivered ride on it (the
			// create is requeued with the newest version); later ones are
			// updates of the external id, after the create.
			w := f.rec.writes()
			create := slices.Index(w, "POST /patients")
			if first := slices.Index(w, "PUT /patients/"+ref.ExternalID); first >= 0 && first < create {
				t.Errorf("writes = %v, want updates of %s after the creates", w, ref.ExternalID)
			}
			last := ""
			for _, up := range f.sb.OpenDentalPatients() {
				if strconv.FormatInt(up.PatNum, 10) == ref.ExternalID {
					last = up.LName
				}
			}
			if last != p2.LastName {
				t.Errorf("upstream last name = %q, want %q", last, p2.LastName)
			}
			if got := f.sb.Created().OpenDentalPatients; got != 2 {
				t.Errorf("patients created upstream = %d, want 2 (updates never create)", got)
			}
			if ref.SyncedVersion != 4 {
				t.Errorf("synced version = %d, want 4", ref.SyncedVersion)
			}
		})

		t.Run("cancelling breaks the appointment upstream", func(t *testing.T) {
			got, err := f.tenant().Appointment(f.ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			states, err := m.CancelAppointment(f.ctx, f.orgID, got)
			if stored, _ := f.tenant().Appointment(f.ctx, a.ID); err != nil || got.Status != models.StatusCancelled ||
				stored.Status != models.StatusCancelled || got.Version != stored.Version || len(states) != 1 {
				t.Fatalf("cancel = %+v %+v %v", got, states, err)
			}
			waitFor(t, 5*time.Second, "every job synced", f.allSettled)
			ref, _ := f.tenant().ExternalRef(f.ctx, f.integ, "appointment", a.ID)
			if !slices.Contains(f.rec.writes(), "PUT /appointments/"+ref.ExternalID+"/Break") {
				t.Errorf("writes = %v, want the Break of %s", f.rec.writes(), ref.ExternalID)
			}
		})
	})
}

func TestOutage(t *testing.T) {
	forEachBackend(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		m := f.manager()
		f.sb.SetFaults(sandbox.Faults{Outage: true})
		f.run(m)

		p := newPatient(0)
		if _, err := m.CreatePatient(f.ctx, f.orgID, p); err != nil {
			t.Fatalf("the local write must succeed while the upstream is down: %v", err)
		}
		states, _ := m.WaitFirstAttempt(f.ctx, f.orgID, "patient", p.ID, 5*time.Second)
		if len(states) != 1 || states[0].Status == models.JobPending || states[0].Error == "" {
			t.Errorf("states after the first attempt = %+v, want retrying or failed with an error", states)
		}
		var job models.SyncJob
		waitFor(t, 5*time.Second, "the job to be parked", func() bool {
			js := f.jobs("patient", p.ID)
			job = js[0]
			return job.Status == models.JobFailed
		})
		if job.Attempts != 3 || job.LastHTTPStatus != 503 {
			t.Errorf("parked job = attempts %d, status %d; want 3 attempts, 503", job.Attempts, job.LastHTTPStatus)
		}
		if n, _ := m.OpenErrors(f.ctx, f.orgID); n != 1 {
			t.Errorf("open errors = %d, want 1", n)
		}
		listed, err := m.Jobs(f.ctx, f.orgID, JobFilter{})
		if err != nil || len(listed) != 1 || listed[0].ID != job.ID {
			t.Errorf("error log = %+v, %v; want the parked job", listed, err)
		}
		_, attempts, _ := m.Job(f.ctx, f.orgID, job.ID)
		if len(attempts) != 3 || attempts[2].OK {
			t.Errorf("attempts = %+v, want 3 failed ones", attempts)
		}

		f.sb.SetFaults(sandbox.Faults{})
		if err := m.Retry(f.ctx, f.orgID, job.ID); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 5*time.Second, "the retried job to sync", f.allSettled)
		if c := f.sb.Created().OpenDentalPatients; c != 1 {
			t.Errorf("patients created = %d, want 1", c)
		}
		if err := m.Retry(f.ctx, f.orgID, job.ID); apperr.Code(err) != apperr.CodeConflict {
			t.Errorf("retrying a synced job: %v, want conflict", err)
		}
		if err := m.Dismiss(f.ctx, f.orgID+1000, job.ID); !apperr.IsNotFound(err) {
			t.Errorf("dismissing another organization's job: %v, want not found", err)
		}
	})
}

// TestSyncStatusThrottle: a healthy status is written at most once a
// second by a process, a failure at once, and the first success after a
// failure at once.
func TestSyncStatusThrottle(t *testing.T) {
	forEachBackend(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		clock := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
		m := f.manager(func(c *Config) { c.Now = func() time.Time { return clock } })
		tn := m.store.Tenant(f.orgID)
		ms := time.Millisecond
		steps := []struct {
			at         time.Duration
			status     string
			wantStatus string
			wantAt     time.Duration
		}{
			{0, "ok", "ok", 0},
			{300 * ms, "ok", "ok", 0},
			{400 * ms, "error", "error", 400 * ms},
			{500 * ms, "ok", "ok", 500 * ms},
			{900 * ms, "ok", "ok", 500 * ms},
			{1600 * ms, "ok", "ok", 1600 * ms},
		}
		start := clock
		for i, st := range steps {
			clock = start.Add(st.at)
			if err := m.setStatus(f.ctx, tn, f.integ, st.status, ""); err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
			cfg, err := f.tenant().SyncConfigFor(f.ctx, f.integ)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.LastSyncStatus != st.wantStatus || cfg.LastSyncAt == nil || !cfg.LastSyncAt.Equal(start.Add(st.wantAt)) {
				t.Errorf("step %d (%s at +%s): got %q at %v, want %q at +%s", i, st.status, st.at,
					cfg.LastSyncStatus, cfg.LastSyncAt, st.wantStatus, st.wantAt)
			}
		}
	})
}

// A wait that cannot finish (the caller went away while a job had not had
// its first attempt) reports why instead of answering as if it had settled.
func TestWaitFirstAttemptReportsItsError(t *testing.T) {
	forEachBackend(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		m := f.manager() // no workers: the job stays pending
		p := newPatient(0)
		if _, err := m.CreatePatient(f.ctx, f.orgID, p); err != nil {
			t.Fatal(err)
		}
		gone, cancel := context.WithCancel(f.ctx)
		cancel()
		states, err := m.WaitFirstAttempt(gone, f.orgID, "patient", p.ID, 5*time.Second)
		if !errors.Is(err, context.Canceled) || states != nil {
			t.Errorf("WaitFirstAttempt = %+v, %v; want no states and the caller's cancellation", states, err)
		}
		// Its own time limit is no error: the states are the answer.
		states, err = m.WaitFirstAttempt(f.ctx, f.orgID, "patient", p.ID, time.Millisecond)
		if err != nil || len(states) != 1 || states[0].Status != models.JobPending {
			t.Errorf("after the time limit: %+v, %v; want the pending state", states, err)
		}
	})
}
