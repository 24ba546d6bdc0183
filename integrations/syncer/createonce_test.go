package syncer

import (
	"testing"
	"time"

	"switchboard/models"
)

// The database holds at most one open create job per record and
// integration; EnsureCreateJob reuses the open one.
func TestDatabaseRefusesASecondOpenCreateJob(t *testing.T) {
	forEachBackend(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		m := f.manager()
		p := newPatient(0)
		if _, err := m.CreatePatient(f.ctx, f.orgID, p); err != nil {
			t.Fatal(err)
		}
		err := f.tenant().InsertSyncJob(f.ctx, &models.SyncJob{IntegrationID: f.integ, Entity: "patient", LocalID: p.ID, Operation: models.OpCreate})
		if err == nil {
			t.Fatalf("a second open create job was stored")
		}
		added, err := f.tenant().EnsureCreateJob(f.ctx, &models.SyncJob{IntegrationID: f.integ, Entity: "patient", LocalID: p.ID})
		if err != nil || added {
			t.Fatalf("EnsureCreateJob = %v, %v; want the open job reused", added, err)
		}
		if js := f.jobs("patient", p.ID); len(js) != 1 {
			t.Fatalf("jobs = %d, want 1", len(js))
		}
	})
}

// A create job whose record is already in the integration is sent as an
// update (whose answer carries no id) and ends synced.
func TestCreateOfARecordAlreadyThereIsAnUpdate(t *testing.T) {
	forEachBackend(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		m := f.manager()
		p := newPatient(0)
		if _, err := m.CreatePatient(f.ctx, f.orgID, p); err != nil {
			t.Fatal(err)
		}
		if ran, err := m.RunOne(f.ctx); !ran || err != nil {
			t.Fatalf("RunOne = %v, %v", ran, err)
		}
		ref, err := f.tenant().ExternalRef(f.ctx, f.integ, "patient", p.ID)
		if err != nil || ref.ExternalID == "" {
			t.Fatalf("ref = %+v, %v", ref, err)
		}
		if _, err := f.tenant().EnsureCreateJob(f.ctx, &models.SyncJob{IntegrationID: f.integ, Entity: "patient", LocalID: p.ID}); err != nil {
			t.Fatal(err)
		}
		f.run(m)
		waitFor(t, 10*time.Second, "every job synced", func() bool { return f.allSettled() || f.anyParked(t) })
		for _, j := range f.jobs("patient", p.ID) {
			if j.Status != models.JobSynced || j.ExternalID != ref.ExternalID {
				t.Errorf("job = %+v, want synced with external id %s", j, ref.ExternalID)
			}
		}
		if c := f.sb.Created(); c.OpenDentalPatients != 1 {
			t.Errorf("created upstream = %+v, want one patient", c)
		}
	})
}
