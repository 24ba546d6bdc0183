package syncer

import (
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"switchboard/models"
)

// Fifty times over, a new patient and, at once, ten appointments of that
// patient in different slots are written while two managers' workers
// deliver to the sandbox's Open Dental. Once the queue settles no job is
// parked (failed, retrying or conflict), each patient was created upstream
// exactly once, and every appointment is upstream with its patient's
// external id.
func TestRacePatientAndTenAppointments(t *testing.T) {
	const rounds, perPatient = 50, 10
	forEachBackend(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		fast := func(c *Config) { c.Workers = 4; c.PollEvery = 5 * time.Millisecond }
		writer := f.manager(fast)
		f.run(writer)
		f.run(f.manager(fast)) // a second process's workers
		base := time.Date(2031, 3, 3, 8, 0, 0, 0, time.UTC)
		patients := make([]*models.Patient, rounds)
		appts := make([][]*models.Appointment, rounds)
		for r := range rounds {
			p := &models.Patient{FirstName: "Race", LastName: "Round" + strconv.Itoa(r), Phone: "5551234567"}
			if _, err := writer.CreatePatient(f.ctx, f.orgID, p); err != nil {
				t.Fatalf("round %d: patient: %v", r, err)
			}
			patients[r] = p
			appts[r] = make([]*models.Appointment, perPatient)
			var wg sync.WaitGroup
			errs := make([]error, perPatient)
			for i := range perPatient {
				a := newAppointment(p.ID, base.Add(time.Duration(r*perPatient+i)*30*time.Minute))
				appts[r][i] = a
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, errs[i] = writer.CreateAppointment(f.ctx, f.orgID, a)
				}()
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Fatalf("round %d: appointment %d: %v", r, i, err)
				}
			}
		}
		waitFor(t, 45*time.Second, "the queue to settle", f.settledOrParked)
		f.wantNoParkedJob(t)
		f.wantEachPatientOnceUpstream(t, patients)
		f.wantAppointmentsUpstream(t, patients, appts)
	})
}

// settledOrParked reports whether no job is left to run: every job is
// finished, or has stopped short of it (failed, conflict).
func (f *fixture) settledOrParked() bool {
	js, err := f.tenant().SyncJobs(f.ctx, models.SyncJobFilter{Status: []string{models.JobPending, models.JobRetrying}, Limit: 1})
	if err != nil {
		f.t.Fatalf("jobs: %v", err)
	}
	return len(js) == 0
}

// wantNoParkedJob fails on every job that is not synced or dismissed.
func (f *fixture) wantNoParkedJob(t *testing.T) {
	t.Helper()
	js, err := f.tenant().SyncJobs(f.ctx, models.SyncJobFilter{Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range js {
		if j.Status != models.JobSynced && j.Status != models.JobDismissed {
			t.Errorf("job %d (%s %s of %d) is %s after %d attempts: %s", j.ID, j.Operation, j.Entity, j.LocalID, j.Status, j.Attempts, j.LastError)
		}
	}
}

// wantEachPatientOnceUpstream checks that each patient is in the sandbox
// exactly once, under the external id its reference holds.
func (f *fixture) wantEachPatientOnceUpstream(t *testing.T, patients []*models.Patient) {
	t.Helper()
	byName := map[string][]int64{}
	for _, up := range f.sb.OpenDentalPatients() {
		byName[up.LName] = append(byName[up.LName], up.PatNum)
	}
	for _, p := range patients {
		nums := byName[p.LastName]
		if len(nums) != 1 {
			t.Errorf("patient %s is upstream %d times (%v), want once", p.LastName, len(nums), nums)
			continue
		}
		ref, err := f.tenant().ExternalRef(f.ctx, f.integ, "patient", p.ID)
		if err != nil || ref.ExternalID != strconv.FormatInt(nums[0], 10) {
			t.Errorf("patient %s: reference %+v (%v), want external id %d", p.LastName, ref, err, nums[0])
		}
	}
	if got := f.sb.Created().OpenDentalPatients; got != len(patients) {
		t.Errorf("patients created upstream = %d, want %d", got, len(patients))
	}
}

// wantAppointmentsUpstream checks that every appointment is upstream once,
// booked for its patient's external id.
func (f *fixture) wantAppointmentsUpstream(t *testing.T, patients []*models.Patient, appts [][]*models.Appointment) {
	t.Helper()
	upstream := map[string]int64{} // AptNum -> PatNum
	for _, a := range f.sb.OpenDentalAppointments() {
		upstream[strconv.FormatInt(a.AptNum, 10)] = a.PatNum
	}
	total := 0
	for r, p := range patients {
		pref, err := f.tenant().ExternalRef(f.ctx, f.integ, "patient", p.ID)
		if err != nil {
			continue // reported by wantEachPatientOnceUpstream
		}
		for _, a := range appts[r] {
			total++
			ref, err := f.tenant().ExternalRef(f.ctx, f.integ, "appointment", a.ID)
			if err != nil {
				t.Errorf("appointment %d of %s: not synced: %v", a.ID, p.LastName, err)
				continue
			}
			patNum, ok := upstream[ref.ExternalID]
			if !ok || fmt.Sprint(patNum) != pref.ExternalID {
				t.Errorf("appointment %d upstream as %s for PatNum %d (found %v), want the patient's %s", a.ID, ref.ExternalID, patNum, ok, pref.ExternalID)
			}
		}
	}
	if got := f.sb.Created().OpenDentalAppointments; got != total {
		t.Errorf("appointments created upstream = %d, want %d", got, total)
	}
}
