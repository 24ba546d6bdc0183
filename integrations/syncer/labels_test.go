package syncer

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/integrations/definition"
	"switchboard/models"
	"switchboard/testsupport/dbhook"
)

// TestRecordLabels: the jobs of the sync error log are named by their
// patient and, for appointments, their start; a deleted patient says so;
// the labels of any number of jobs take one query per kind of record.
func TestRecordLabels(t *testing.T) {
	forEachBackend(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		var counting atomic.Bool // the SELECTs are counted while it is set
		selects := dbhook.Count(f.db, func(q string) bool { return counting.Load() && strings.HasPrefix(q, "SELECT") })
		m := f.manager() // no workers: the jobs stay pending
		start := time.Date(2030, 3, 4, 15, 0, 0, 0, time.UTC)
		var appointments []*models.Appointment
		var patients []*models.Patient
		for i := range 3 {
			p := newPatient(i)
			if _, err := m.CreatePatient(f.ctx, f.orgID, p); err != nil {
				t.Fatal(err)
			}
			a := newAppointment(p.ID, start.Add(time.Duration(i)*time.Hour))
			if _, err := m.CreateAppointment(f.ctx, f.orgID, a); err != nil {
				t.Fatal(err)
			}
			patients, appointments = append(patients, p), append(appointments, a)
		}
		gone := newPatient(9)
		gone.FirstName, gone.LastName = "Gone", "Soon"
		if _, err := m.CreatePatient(f.ctx, f.orgID, gone); err != nil {
			t.Fatal(err)
		}
		if _, err := m.DeletePatient(f.ctx, f.orgID, gone.ID); err != nil {
			t.Fatal(err)
		}
		jobs := f.allJobs()
		counting.Store(true)
		labels, err := m.RecordLabels(f.ctx, f.orgID, jobs)
		counting.Store(false)
		if err != nil {
			t.Fatal(err)
		}
		if n := selects.Load(); n != 2 {
			t.Errorf("labels of %d jobs took %d queries, want 2 (appointments, patients)", len(jobs), n)
		}
		for i, a := range appointments {
			l := labels[RecordKey{Entity: definition.EntityAppointment, ID: a.ID}]
			want := patients[i].FirstName + " " + patients[i].LastName
			if l.Name != want || !l.Start.Equal(a.Start) || l.Deleted {
				t.Errorf("appointment %d label = %+v, want %s at %s", a.ID, l, want, a.Start)
			}
		}
		if l := labels[RecordKey{Entity: definition.EntityPatient, ID: gone.ID}]; l.Name != "Gone Soon" || !l.Deleted {
			t.Errorf("deleted patient's label = %+v, want Gone Soon, deleted", l)
		}
		if l := labels[RecordKey{Entity: definition.EntityPatient, ID: patients[0].ID}]; l.Name == "" || l.Deleted || !l.Start.IsZero() {
			t.Errorf("patient label = %+v, want a name only", l)
		}
	})
}
