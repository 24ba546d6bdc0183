package syncer

import (
	"testing"
	"time"

	"switchboard/models"
)

// TestRetryNowWaitsForTheWorkerOnTheJob: Retry pressed while a worker is
// delivering the job (its own scheduled retry, taken as the page was
// drawn) is not refused: the worker's outcome is the answer when it
// synced, and a job it left failing is queued again and delivered.
func TestRetryNowWaitsForTheWorkerOnTheJob(t *testing.T) {
	for _, workerSyncs := range []bool{true, false} {
		name := map[bool]string{true: "the worker syncs it", false: "the worker fails again"}[workerSyncs]
		t.Run(name, func(t *testing.T) {
			forEachBackend(t, func(t *testing.T, url string) {
				f := newFixture(t, url)
				worker := f.manager(func(c *Config) { c.Owner = "worker" })
				seeded := len(f.sb.OpenDentalPatients())
				p := newPatient(0)
				if _, err := worker.CreatePatient(f.ctx, f.orgID, p); err != nil {
					t.Fatal(err)
				}
				// The job failed once and is due again; the worker takes it.
				j, err := worker.claim(f.ctx)
				if err != nil || j == nil {
					t.Fatalf("claim = %v, %v", j, err)
				}
				failed := models.SyncJobOutcome{Status: models.JobRetrying, Attempts: 1, LastError: "the practice system is down",
					NextAttemptAt: time.Now()}
				if err := f.tenant().FinishSyncJob(f.ctx, j.ID, "worker", failed); err != nil {
					t.Fatal(err)
				}
				held, err := worker.claim(f.ctx)
				if err != nil || held == nil || held.ID != j.ID {
					t.Fatalf("second claim = %+v, %v; want job %d", held, err, j.ID)
				}
				pressed := f.manager(func(c *Config) { c.Owner = "pressed" })
				stop := f.run(pressed)
				defer stop()
				type answer struct {
					job *models.SyncJob
					err error
				}
				answered := make(chan answer, 1)
				go func() {
					got, err := pressed.RetryNow(f.ctx, f.orgID, j.ID)
					answered <- answer{got, err}
				}()
				select {
				case a := <-answered:
					t.Fatalf("Retry answered while the worker held the job: %+v, %v", a.job, a.err)
				case <-time.After(300 * time.Millisecond):
				}
				if workerSyncs {
					if _, synced, err := worker.runJob(f.ctx, held, false); err != nil || !synced {
						t.Fatalf("the worker's delivery = synced %v, %v", synced, err)
					}
				} else {
					failed.Attempts, failed.LastError, failed.NextAttemptAt = 2, "still down", time.Now().Add(time.Hour)
					if err := f.tenant().FinishSyncJob(f.ctx, held.ID, "worker", failed); err != nil {
						t.Fatal(err)
					}
				}
				a := <-answered
				if a.err != nil || a.job == nil || a.job.Status != models.JobSynced {
					t.Fatalf("Retry = %+v, %v; want the job synced", a.job, a.err)
				}
				if n := len(f.sb.OpenDentalPatients()); n != seeded+1 {
					t.Errorf("the practice system holds %d patients, want its %d and this one", n, seeded)
				}
			})
		})
	}
}
