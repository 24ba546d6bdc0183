package syncer

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/integrations/background"
	"switchboard/integrations/definition"
	"switchboard/integrations/sandbox"
	"switchboard/models"
)

// refuseOp makes the upstream answer 422 to a create of an appointment
// booked into operatory op, as a practice system refusing a value does.
func refuseOp(op int64) func(w http.ResponseWriter, req *http.Request) bool {
	return func(w http.ResponseWriter, req *http.Request) bool {
		if req.Method != http.MethodPost || !strings.HasSuffix(req.URL.Path, "/appointments") {
			return false
		}
		body, _ := io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
		var b struct{ Op json.Number }
		_ = json.Unmarshal(body, &b)
		if b.Op.String() != strconv.FormatInt(op, 10) {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnprocessableEntity)
		_, _ = w.Write([]byte(`{"message":"Op is invalid."}`))
		return true
	}
}

// parkedAppointment books an appointment into operatory 7, which the
// upstream refuses, and waits until its create job is parked as failed.
func parkedAppointment(t *testing.T, f *fixture, m *Manager) (*models.Appointment, models.SyncJob) {
	t.Helper()
	p := newPatient(0)
	if _, err := m.CreatePatient(f.ctx, f.orgID, p); err != nil {
		t.Fatal(err)
	}
	a := newAppointment(p.ID, time.Date(2030, 3, 4, 9, 0, 0, 0, time.UTC))
	a.OperatoryRef = "7"
	if _, err := m.CreateAppointment(f.ctx, f.orgID, a); err != nil {
		t.Fatal(err)
	}
	var job models.SyncJob
	waitFor(t, 10*time.Second, "the appointment's create to be parked", func() bool {
		js := f.jobs(definition.EntityAppointment, a.ID)
		if len(js) == 1 {
			job = js[0]
		}
		return job.Status == models.JobFailed
	})
	return a, job
}

// upstreamAppointment returns the sandbox's copy of a local appointment
// and how many appointments were created there.
func upstreamAppointment(t *testing.T, f *fixture, id int64) (sandbox.OpenDentalAppointment, int) {
	t.Helper()
	ref, err := f.tenant().ExternalRef(f.ctx, f.integ, definition.EntityAppointment, id)
	if err != nil {
		t.Fatalf("appointment %d has no reference: %v", id, err)
	}
	for _, up := range f.sb.OpenDentalAppointments() {
		if strconv.FormatInt(up.AptNum, 10) == ref.ExternalID {
			return up, f.sb.Created().OpenDentalAppointments
		}
	}
	t.Fatalf("the sandbox has no appointment %s", ref.ExternalID)
	return sandbox.OpenDentalAppointment{}, 0
}

// TestSavingRequeuesParkedCreate: saving a record whose create was parked
// puts that same job back in the queue with the new values; no second job
// is added and the upstream gets what was saved.
func TestSavingRequeuesParkedCreate(t *testing.T) {
	forEachBackend(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		f.rec.setIntercept(refuseOp(7))
		m := f.manager()
		f.run(m)
		a, parked := parkedAppointment(t, f, m)
		if parked.Attempts != 3 || parked.LastHTTPStatus != http.StatusUnprocessableEntity {
			t.Fatalf("parked job = %d attempts, HTTP %d; want 3, 422", parked.Attempts, parked.LastHTTPStatus)
		}

		a.OperatoryRef, a.Notes = "1", "fixed operatory"
		states, err := m.UpdateAppointment(f.ctx, f.orgID, a)
		if err != nil {
			t.Fatal(err)
		}
		// A worker woken by the save may deliver the job before its state
		// is read: pending or already synced, the same job, no error.
		if len(states) != 1 || states[0].JobID != parked.ID || (states[0].Status != models.JobPending && states[0].Status != models.JobSynced) || states[0].Error != "" {
			t.Fatalf("states after the save = %+v, want job %d pending (or synced) without an error", states, parked.ID)
		}
		waitFor(t, 10*time.Second, "every job synced", f.allSettled)
		js := f.jobs(definition.EntityAppointment, a.ID)
		if len(js) != 1 || js[0].ID != parked.ID || js[0].Status != models.JobSynced || js[0].RecordVersion != a.Version {
			t.Fatalf("jobs = %+v, want only job %d, synced at version %d", js, parked.ID, a.Version)
		}
		if js[0].MaxAttempts != parked.Attempts+3 {
			t.Errorf("max attempts = %d, want a fresh budget of %d", js[0].MaxAttempts, parked.Attempts+3)
		}
		up, created := upstreamAppointment(t, f, a.ID)
		if created != 1 || up.Op != 1 || up.Note != "fixed operatory" {
			t.Errorf("upstream appointment = %+v (%d created), want one in operatory 1 with the new note", up, created)
		}
		_, attempts, _ := m.Job(f.ctx, f.orgID, parked.ID)
		var numbers []int
		for _, at := range attempts {
			numbers = append(numbers, at.Attempt)
		}
		if !slices.Equal(numbers, []int{1, 2, 3, 4}) || !attempts[3].OK {
			t.Errorf("attempts numbered %v, want 1-4 with the last one delivered", numbers)
		}
		if open, _ := m.Jobs(f.ctx, f.orgID, JobFilter{}); len(open) != 0 {
			t.Errorf("error log = %+v, want empty", open)
		}
	})
}

// TestSavingWhileCreateRuns: a save that lands while a worker is
// delivering the create leaves that worker's lease alone; the worker's
// finish sees the newer version and the job runs again with it.
func TestSavingWhileCreateRuns(t *testing.T) {
	forEachBackend(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		entered, release := make(chan struct{}), make(chan struct{})
		var released sync.Once
		free := func() { released.Do(func() { close(release) }) }
		t.Cleanup(free) // before the upstream closes, which waits for its requests
		var first sync.Once
		f.rec.setIntercept(func(w http.ResponseWriter, req *http.Request) bool {
			if req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, "/appointments") {
				first.Do(func() {
					close(entered)
					<-release
				})
			}
			return false
		})
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
		<-entered // the create is on its way, leased to the worker
		a.Notes = "saved during the delivery"
		if _, err := m.UpdateAppointment(f.ctx, f.orgID, a); err != nil {
			t.Fatal(err)
		}
		leased := f.jobs(definition.EntityAppointment, a.ID)
		if len(leased) != 1 || leased[0].LeaseOwner == "" || leased[0].RecordVersion != a.Version {
			t.Fatalf("jobs during the delivery = %+v, want the one leased job at version %d", leased, a.Version)
		}
		free()
		waitFor(t, 10*time.Second, "every job synced", f.allSettled)
		js := f.jobs(definition.EntityAppointment, a.ID)
		if len(js) != 1 || js[0].Status != models.JobSynced {
			t.Fatalf("jobs = %+v, want one synced job", js)
		}
		up, created := upstreamAppointment(t, f, a.ID)
		if created != 1 || up.Note != "saved during the delivery" {
			t.Errorf("upstream appointment = %+v (%d created), want one with the note saved during the delivery", up, created)
		}
		ref, err := f.tenant().ExternalRef(f.ctx, f.integ, definition.EntityAppointment, a.ID)
		if w := f.rec.writes(); !slices.Contains(w, "PUT /appointments/"+ref.ExternalID) {
			t.Errorf("writes = %v, want the create followed by an update with the newer version", w)
		}
		if err != nil || ref.SyncedVersion != a.Version {
			t.Errorf("reference = %+v, %v; want synced at version %d", ref, err, a.Version)
		}
	})
}

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

// lastAttempt waits for the appointment's job to have an attempt and
// returns its latest one.
func lastAttempt(t *testing.T, f *fixture, m *Manager, entity string, id int64) models.SyncAttempt {
	t.Helper()
	var as []models.SyncAttempt
	waitFor(t, 10*time.Second, "an attempt of the record", func() bool {
		js := f.jobs(entity, id)
		if len(js) == 1 {
			_, as, _ = m.Job(f.ctx, f.orgID, js[0].ID)
		}
		return len(as) > 0
	})
	return as[len(as)-1]
}

// bookInto books an appointment of a new patient into operatory op.
func bookInto(t *testing.T, f *fixture, m *Manager, op string) *models.Appointment {
	t.Helper()
	p := newPatient(0)
	if _, err := m.CreatePatient(f.ctx, f.orgID, p); err != nil {
		t.Fatal(err)
	}
	a := newAppointment(p.ID, time.Date(2030, 3, 4, 9, 0, 0, 0, time.UTC))
	a.OperatoryRef = op
	if _, err := m.CreateAppointment(f.ctx, f.orgID, a); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestAttemptRefusedBeforeSending: an attempt whose request fails the
// definition's checks is recorded as not sent.
func TestAttemptRefusedBeforeSending(t *testing.T) {
	forEachBackend(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		m := f.manager()
		f.run(m)
		a := bookInto(t, f, m, "") // Op is required
		at := lastAttempt(t, f, m, definition.EntityAppointment, a.ID)
		if at.Sent || at.HTTPStatus != 0 || !strings.Contains(at.Error, "validation_failed") {
			t.Errorf("attempt = %+v, want one not sent, failing validation", at)
		}
	})
}

// TestAttemptAnswered: an attempt the upstream answered is recorded as
// sent, with the answer's status.
func TestAttemptAnswered(t *testing.T) {
	forEachBackend(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		f.rec.setIntercept(refuseOp(7))
		m := f.manager()
		f.run(m)
		a := bookInto(t, f, m, "7")
		at := lastAttempt(t, f, m, definition.EntityAppointment, a.ID)
		if !at.Sent || at.HTTPStatus != http.StatusUnprocessableEntity {
			t.Errorf("attempt = %+v, want one sent and answered 422", at)
		}
	})
}

// TestAttemptToADownUpstream: a request sent to an upstream that is down
// is recorded as sent, with no answer.
func TestAttemptToADownUpstream(t *testing.T) {
	forEachBackend(t, func(t *testing.T, url string) {
		down := closedPort(t)
		f := newFixture(t, url, func(_ *fixture, doc *definition.Document, _ *models.SyncConfig) {
			doc.BaseURL = map[string]string{definition.EnvProduction: down, definition.EnvSandbox: down}
		})
		m := f.manager()
		f.run(m)
		p := newPatient(0)
		if _, err := m.CreatePatient(f.ctx, f.orgID, p); err != nil {
			t.Fatal(err)
		}
		if at := lastAttempt(t, f, m, definition.EntityPatient, p.ID); !at.Sent || at.HTTPStatus != 0 || !strings.Contains(at.Error, "upstream_unreachable") {
			t.Errorf("attempt = %+v, want one sent without an answer, unreachable", at)
		}
	})
}

// TestSavingRequeuesParkedPatient: the same holds for a patient.
func TestSavingRequeuesParkedPatient(t *testing.T) {
	forEachBackend(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		f.rec.setIntercept(func(w http.ResponseWriter, req *http.Request) bool {
			if req.Method != http.MethodPost || !strings.HasSuffix(req.URL.Path, "/patients") {
				return false
			}
			body, _ := io.ReadAll(req.Body)
			req.Body = io.NopCloser(bytes.NewReader(body))
			if !strings.Contains(string(body), `"LName":"Bad"`) {
				return false
			}
			w.WriteHeader(http.StatusUnprocessableEntity)
			_, _ = w.Write([]byte(`{"message":"LName is invalid."}`))
			return true
		})
		m := f.manager()
		f.run(m)
		p := newPatient(0)
		p.LastName = "Bad"
		if _, err := m.CreatePatient(f.ctx, f.orgID, p); err != nil {
			t.Fatal(err)
		}
		var parked models.SyncJob
		waitFor(t, 10*time.Second, "the patient's create to be parked", func() bool {
			parked = f.jobs(definition.EntityPatient, p.ID)[0]
			return parked.Status == models.JobFailed
		})
		p.LastName = "Good"
		if _, err := m.UpdatePatient(f.ctx, f.orgID, p); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 10*time.Second, "every job synced", f.allSettled)
		js := f.jobs(definition.EntityPatient, p.ID)
		if len(js) != 1 || js[0].ID != parked.ID || js[0].Status != models.JobSynced {
			t.Fatalf("jobs = %+v, want only job %d, synced", js, parked.ID)
		}
		ref, err := f.tenant().ExternalRef(f.ctx, f.integ, definition.EntityPatient, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, up := range f.sb.OpenDentalPatients() {
			if strconv.FormatInt(up.PatNum, 10) == ref.ExternalID {
				found = up.LName == "Good"
			}
		}
		if !found || f.sb.Created().OpenDentalPatients != 1 {
			t.Errorf("the sandbox lacks patient %s named Good (created %d)", ref.ExternalID, f.sb.Created().OpenDentalPatients)
		}
	})
}

// TestDeliverQueuedSaysWhatRemains: River's handler answers nil for a job
// its delivery left synced (without reading the row again), and a snooze
// for one whose record was saved during the delivery: the finish put it
// back for the newer version, which the next run delivers.
func TestDeliverQueuedSaysWhatRemains(t *testing.T) {
	forEachBackend(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		entered, release := make(chan struct{}), make(chan struct{})
		var released sync.Once
		free := func() { released.Do(func() { close(release) }) }
		t.Cleanup(free)
		var first sync.Once
		f.rec.setIntercept(func(w http.ResponseWriter, req *http.Request) bool {
			if req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, "/appointments") {
				first.Do(func() { close(entered); <-release })
			}
			return false
		})
		m := f.manager()
		p := newPatient(0)
		if _, err := m.CreatePatient(f.ctx, f.orgID, p); err != nil {
			t.Fatal(err)
		}
		pj := f.jobs(definition.EntityPatient, p.ID)
		if len(pj) != 1 {
			t.Fatalf("patient jobs = %+v", pj)
		}
		if err := m.DeliverQueued(f.ctx, pj[0].ID); err != nil {
			t.Fatalf("deliver the patient = %v, want nil (synced)", err)
		}
		a := newAppointment(p.ID, time.Date(2030, 3, 4, 9, 0, 0, 0, time.UTC))
		if _, err := m.CreateAppointment(f.ctx, f.orgID, a); err != nil {
			t.Fatal(err)
		}
		aj := f.jobs(definition.EntityAppointment, a.ID)
		if len(aj) != 1 {
			t.Fatalf("appointment jobs = %+v", aj)
		}
		done := make(chan error, 1)
		go func() { done <- m.DeliverQueued(f.ctx, aj[0].ID) }()
		<-entered
		a.Notes = "saved during the delivery"
		if _, err := m.UpdateAppointment(f.ctx, f.orgID, a); err != nil {
			t.Fatal(err)
		}
		free()
		if err := <-done; err == nil {
			t.Fatal("deliver a job saved during its delivery = nil, want a snooze (the newer version remains)")
		} else if _, ok := background.SnoozeOf(err); !ok {
			t.Fatalf("deliver a job saved during its delivery = %v, want a snooze", err)
		}
		if js := f.jobs(definition.EntityAppointment, a.ID); len(js) != 1 || js[0].Status != models.JobPending {
			t.Fatalf("job after the first delivery = %+v, want pending again", js)
		}
		if err := m.DeliverQueued(f.ctx, aj[0].ID); err != nil {
			t.Fatalf("deliver the newer version = %v, want nil (synced)", err)
		}
		ref, err := f.tenant().ExternalRef(f.ctx, f.integ, definition.EntityAppointment, a.ID)
		if err != nil || ref.SyncedVersion != a.Version || !slices.Contains(f.rec.writes(), "PUT /appointments/"+ref.ExternalID) {
			t.Errorf("reference = %+v, %v, writes %v; want the newer version delivered by an update", ref, err, f.rec.writes())
		}
	})
}
