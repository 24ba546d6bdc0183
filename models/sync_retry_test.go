package models_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"switchboard/apperr"
	"switchboard/models"
	"switchboard/testsupport"
)

// TestRetryLeavesAJobBeingDeliveredToItsWorker: Retry of a job a worker
// holds is refused (freeing the lease would let a second worker deliver
// it again); once the lease is free or expired, Retry requeues it due now
// with its last error cleared.
func TestRetryLeavesAJobBeingDeliveredToItsWorker(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		clock := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
		store, org, in := syncSetup(t, dbURL, &clock)
		tenant := store.Tenant(org.ID)
		j := &models.SyncJob{IntegrationID: in.Integration.ID, Entity: "patient", LocalID: 1, Operation: models.OpUpdate,
			Status: models.JobRetrying, Attempts: 1, LastError: "HTTP 503"}
		if err := tenant.InsertSyncJob(ctx, j); err != nil {
			t.Fatal(err)
		}
		claimed, err := store.ClaimSyncJobs(ctx, "worker-1", clock.Add(time.Minute), 10)
		if err != nil || len(claimed) != 1 {
			t.Fatalf("claim = %v, %v", claimed, err)
		}
		err = tenant.RetrySyncJob(ctx, j.ID)
		if e, ok := apperr.As(err); !ok || e.Code != apperr.CodeConflict {
			t.Fatalf("retry of a job being delivered = %v, want a conflict", err)
		}
		held, err := tenant.SyncJob(ctx, j.ID)
		if err != nil || held.LeaseOwner != "worker-1" {
			t.Fatalf("after the refused retry the job is %+v (%v), want it still held by worker-1", held, err)
		}

		clock = clock.Add(2 * time.Minute) // the worker died: its lease ran out
		if err := tenant.RetrySyncJob(ctx, j.ID); err != nil {
			t.Fatalf("retry after the lease expired: %v", err)
		}
		got, err := tenant.SyncJob(ctx, j.ID)
		if err != nil || got.Status != models.JobPending || got.LeaseOwner != "" || got.LastError != "" || got.Attempts != 0 {
			t.Fatalf("after the retry the job is %+v (%v), want pending, free, no last error, attempts reset", got, err)
		}
	})
}

// TestAJobDeferredWithAnErrorIsOpen: a job deferred without spending an
// attempt (its integration's circuit open during an outage) stays pending
// with its error; the sync error log's default view lists it, the open
// count counts it and Retry takes it — a pending job without an error is
// none of these.
func TestAJobDeferredWithAnErrorIsOpen(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		clock := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
		store, org, in := syncSetup(t, dbURL, &clock)
		tenant := store.Tenant(org.ID)
		waiting := &models.SyncJob{IntegrationID: in.Integration.ID, Entity: "appointment", LocalID: 1, Operation: models.OpCreate}
		fresh := &models.SyncJob{IntegrationID: in.Integration.ID, Entity: "appointment", LocalID: 2, Operation: models.OpCreate}
		for _, j := range []*models.SyncJob{waiting, fresh} {
			if err := tenant.InsertSyncJob(ctx, j); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := store.ClaimSyncJobs(ctx, "worker-1", clock.Add(time.Minute), 1); err != nil {
			t.Fatal(err)
		}
		if err := store.DeferSyncJob(ctx, waiting.ID, "worker-1", clock.Add(30*time.Second), "circuit_open: od is failing"); err != nil {
			t.Fatal(err)
		}
		open, err := tenant.SyncJobs(ctx, models.SyncJobFilter{Open: true})
		if err != nil || len(open) != 1 || open[0].ID != waiting.ID || open[0].Status != models.JobPending {
			t.Fatalf("open jobs = %+v (%v), want only the waiting job %d", open, err, waiting.ID)
		}
		if n, err := tenant.CountOpenSyncJobs(ctx); err != nil || n != 1 {
			t.Fatalf("open count = %d (%v), want 1", n, err)
		}
		if err := tenant.RetrySyncJob(ctx, waiting.ID); err != nil {
			t.Fatalf("retry of the waiting job: %v", err)
		}
		if err := tenant.RetrySyncJob(ctx, fresh.ID); err == nil {
			t.Fatal("retry of a pending job without an error was taken")
		}
	})
}

// TestSyncAttemptsNumberedPerJob: each attempt inserted takes the next
// number of its own job (1, 2, 3, whatever other jobs hold), in the row
// and in the attempt handed in, on both databases.
func TestSyncAttemptsNumberedPerJob(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		clock := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
		store, org, in := syncSetup(t, dbURL, &clock)
		tenant := store.Tenant(org.ID)
		var jobs [2]int64
		for i := range jobs {
			j := &models.SyncJob{IntegrationID: in.Integration.ID, Entity: "patient", LocalID: int64(i + 1),
				Operation: models.OpCreate, Status: models.JobPending}
			if err := tenant.InsertSyncJob(ctx, j); err != nil {
				t.Fatal(err)
			}
			jobs[i] = j.ID
		}
		insert := func(job int64) int {
			a := &models.SyncAttempt{JobID: job, Attempt: 99, OK: false, Sent: true, HTTPStatus: 503, DurationMS: 42,
				Error: "HTTP 503", RequestExcerpt: "POST /appointments", ResponseExcerpt: `{"error":"busy"}`}
			if err := tenant.InsertSyncAttempt(ctx, a); err != nil {
				t.Fatal(err)
			}
			if a.ID == 0 {
				t.Fatalf("attempt of job %d inserted without its id", job)
			}
			return a.Attempt
		}
		got := []int{insert(jobs[0]), insert(jobs[0]), insert(jobs[1]), insert(jobs[0]), insert(jobs[1])}
		if want := []int{1, 2, 1, 3, 2}; !slices.Equal(got, want) {
			t.Errorf("numbers handed back = %v, want %v", got, want)
		}
		as, err := tenant.SyncAttempts(ctx, jobs[0])
		if err != nil {
			t.Fatal(err)
		}
		var stored []int
		for _, a := range as {
			stored = append(stored, a.Attempt)
			if a.OK || !a.Sent || a.HTTPStatus != 503 || a.DurationMS != 42 || a.Error != "HTTP 503" ||
				a.RequestExcerpt != "POST /appointments" || a.ResponseExcerpt != `{"error":"busy"}` ||
				a.OrganizationID != org.ID || a.CreatedAt.IsZero() {
				t.Errorf("stored attempt = %+v, want every field as inserted", a)
			}
		}
		if want := []int{1, 2, 3}; !slices.Equal(stored, want) {
			t.Errorf("numbers stored for job %d = %v, want %v", jobs[0], stored, want)
		}
	})
}

// TestSaveExternalRefInsertsThenUpdatesInPlace: a record's reference is
// inserted once and then updated in place (same id, first created_at); a
// save without the external system's clock keeps the one stored; every
// field reads back as saved, on both databases.
func TestSaveExternalRefInsertsThenUpdatesInPlace(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		clock := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
		store, org, in := syncSetup(t, dbURL, &clock)
		tenant := store.Tenant(org.ID)
		theirs := time.Date(2027, 1, 3, 17, 30, 0, 0, time.UTC)
		first := &models.ExternalRef{IntegrationID: in.Integration.ID, Entity: "patient", LocalID: 7, ExternalID: "P-1",
			ExternalVersion: "v1", ExternalUpdatedAt: &theirs, SyncedVersion: 1}
		if err := tenant.SaveExternalRef(ctx, first); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(time.Hour)
		again := &models.ExternalRef{IntegrationID: in.Integration.ID, Entity: "patient", LocalID: 7, ExternalID: "P-2",
			ExternalVersion: "v2", SyncedVersion: 3}
		if err := tenant.SaveExternalRef(ctx, again); err != nil {
			t.Fatal(err)
		}
		if again.ID != first.ID || !again.CreatedAt.Equal(first.CreatedAt) || first.ID == 0 {
			t.Errorf("second save = id %d created %s, want the first row (id %d, created %s)", again.ID, again.CreatedAt, first.ID, first.CreatedAt)
		}
		got, err := tenant.ExternalRef(ctx, in.Integration.ID, "patient", 7)
		if err != nil {
			t.Fatal(err)
		}
		other, err := store.CreateOrganization(ctx, "globex", "Globex")
		if err != nil {
			t.Fatal(err)
		}
		if r, err := store.Tenant(other.ID).ExternalRef(ctx, in.Integration.ID, "patient", 7); !apperr.IsNotFound(err) {
			t.Errorf("another organization read acme's reference: %+v, %v", r, err)
		}
		if got.ID != first.ID || got.ExternalID != "P-2" || got.ExternalVersion != "v2" || got.SyncedVersion != 3 ||
			got.ExternalUpdatedAt == nil || !got.ExternalUpdatedAt.Equal(theirs) ||
			!got.CreatedAt.Equal(clock.Add(-time.Hour)) || !got.UpdatedAt.Equal(clock) {
			t.Errorf("stored reference = %+v (updated at %v), want P-2 v2 synced 3, their clock kept %s, created %s, updated %s",
				got, got.ExternalUpdatedAt, theirs, clock.Add(-time.Hour), clock)
		}
	})
}

// TestClaimSyncJobByID: the background engine's claim of one job takes a
// due, free job under the owner's lease and hands it back whole; a job
// leased to another owner, one not yet due and one whose record has an
// older open job are not taken; SyncJobByID reads any job and nil for an
// unknown id. Both databases.
func TestClaimSyncJobByID(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		clock := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
		store, org, in := syncSetup(t, dbURL, &clock)
		job := func(localID int64, due time.Time, op string) *models.SyncJob {
			return insertAppointmentJob(t, store.Tenant(org.ID), in.Integration.ID, localID, due, op, 4)
		}
		due, later := job(1, clock.Add(-time.Minute), models.OpCreate), job(2, clock.Add(time.Hour), models.OpCreate)
		older, newer := job(3, clock.Add(-time.Minute), models.OpCreate), job(3, clock.Add(-time.Minute), models.OpUpdate)
		lease := clock.Add(2 * time.Minute)

		got, err := store.ClaimSyncJob(ctx, due.ID, "w1", lease)
		if err != nil || got == nil {
			t.Fatalf("claim of a due free job = %v, %v", got, err)
		}
		if got.ID != due.ID || got.LeaseOwner != "w1" || got.LeaseUntil == nil || !got.LeaseUntil.Equal(lease) ||
			got.OrganizationID != org.ID || got.LocalID != 1 || got.RecordVersion != 4 || got.Status != models.JobPending {
			t.Errorf("claimed job = %+v, want job %d leased to w1 until %s", got, due.ID, lease)
		}
		for name, id := range map[string]int64{"leased to w1": due.ID, "not due": later.ID, "behind an older job": newer.ID} {
			if j, err := store.ClaimSyncJob(ctx, id, "w2", lease); err != nil || j != nil {
				t.Errorf("claim of a job %s = %+v, %v; want none", name, j, err)
			}
		}
		if j, err := store.ClaimSyncJob(ctx, older.ID, "w2", lease); err != nil || j == nil || j.LeaseOwner != "w2" {
			t.Errorf("claim of the older job = %+v, %v", j, err)
		}
		if j, err := store.SyncJobByID(ctx, due.ID); err != nil || j == nil || j.LeaseOwner != "w1" || j.ID != due.ID {
			t.Errorf("SyncJobByID = %+v, %v", j, err)
		}
		if j, err := store.SyncJobByID(ctx, 999999); err != nil || j != nil {
			t.Errorf("SyncJobByID of an unknown id = %+v, %v; want nil, nil", j, err)
		}
	})
}

// TestFinishSyncJobShapes: a worker's finish stores the outcome and frees
// the lease (synced: finished with the external id; a conflict: its
// detail; a retry: due at the time given); a finish by an owner that no
// longer holds the lease is not found and changes nothing; a record saved
// again meanwhile (a newer version) puts the job back, pending and due now,
// instead of marking it synced. Both databases.
func TestFinishSyncJobShapes(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		clock := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
		store, org, in := syncSetup(t, dbURL, &clock)
		tenant := store.Tenant(org.ID)
		claimed := func(localID int64) *models.SyncJob {
			t.Helper()
			j := &models.SyncJob{IntegrationID: in.Integration.ID, Entity: "appointment", LocalID: localID, Operation: models.OpCreate,
				Status: models.JobPending, NextAttemptAt: clock.Add(-time.Minute), RecordVersion: 2}
			if err := tenant.InsertSyncJob(ctx, j); err != nil {
				t.Fatal(err)
			}
			c, err := store.ClaimSyncJob(ctx, j.ID, "w1", clock.Add(time.Minute))
			if err != nil || c == nil {
				t.Fatalf("claim = %v, %v", c, err)
			}
			return c
		}
		read := func(id int64) *models.SyncJob {
			t.Helper()
			j, err := tenant.SyncJob(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return j
		}

		synced := claimed(1)
		if err := tenant.FinishSyncJob(ctx, synced.ID, "w2", models.SyncJobOutcome{Status: models.JobSynced}); !apperr.IsNotFound(err) {
			t.Errorf("finish by another owner = %v, want not found", err)
		}
		if j := read(synced.ID); j.LeaseOwner != "w1" || j.Status != models.JobPending {
			t.Errorf("after a stranger's finish the job is %+v, want it untouched", j)
		}
		if requeued, err := tenant.FinishSyncJobRequeued(ctx, synced.ID, "w1", models.SyncJobOutcome{Status: models.JobSynced, Attempts: 1,
			ExternalID: "A-9", LastHTTPStatus: 201, RecordVersion: 2}); err != nil || requeued {
			t.Fatalf("finish of the version carried out = requeued %v, %v; want synced", requeued, err)
		}
		if j := read(synced.ID); j.Status != models.JobSynced || j.Attempts != 1 || j.ExternalID != "A-9" || j.LastHTTPStatus != 201 ||
			j.LeaseOwner != "" || j.LeaseUntil != nil || j.FinishedAt == nil || !j.FinishedAt.Equal(clock) {
			t.Errorf("synced job = %+v, want synced, A-9, 201, lease free, finished now", j)
		}

		conflict := claimed(2)
		if err := tenant.FinishSyncJob(ctx, conflict.ID, "w1", models.SyncJobOutcome{Status: models.JobConflict, Attempts: 1,
			ConflictDetail: `{"fields":[]}`, LastError: "changed on both sides"}); err != nil {
			t.Fatal(err)
		}
		if j := read(conflict.ID); j.Status != models.JobConflict || j.ConflictDetail != `{"fields":[]}` ||
			j.LastError != "changed on both sides" || j.FinishedAt != nil {
			t.Errorf("conflict job = %+v, want its detail and error, not finished", j)
		}

		retry := claimed(3)
		next := clock.Add(30 * time.Second)
		if err := tenant.FinishSyncJob(ctx, retry.ID, "w1", models.SyncJobOutcome{Status: models.JobRetrying, Attempts: 1,
			NextAttemptAt: next, LastError: "HTTP 503", LastHTTPStatus: 503}); err != nil {
			t.Fatal(err)
		}
		if j := read(retry.ID); j.Status != models.JobRetrying || !j.NextAttemptAt.Equal(next) || j.LastHTTPStatus != 503 || j.LeaseOwner != "" {
			t.Errorf("retrying job = %+v, want retrying at %s", j, next)
		}

		moved := claimed(4)
		if _, err := store.DB().ExecContext(ctx, "UPDATE sync_jobs SET record_version = 3 WHERE id = ?", moved.ID); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(5 * time.Second)
		if requeued, err := tenant.FinishSyncJobRequeued(ctx, moved.ID, "w1", models.SyncJobOutcome{Status: models.JobSynced, Attempts: 1,
			ExternalID: "A-10", RecordVersion: 2}); err != nil || !requeued {
			t.Fatalf("finish of an older version = requeued %v, %v; want requeued", requeued, err)
		}
		if j := read(moved.ID); j.Status != models.JobPending || !j.NextAttemptAt.Equal(clock) || j.LeaseOwner != "" ||
			j.FinishedAt != nil || j.ExternalID != "A-10" {
			t.Errorf("job of a record saved meanwhile = %+v, want pending, due now, lease free, its external id kept", j)
		}
	})
}

// syncSetup is a store on dbURL whose clock reads *clock, an organization
// (acme) and its integration od, for the sync job tests.
func syncSetup(t *testing.T, dbURL string, clock *time.Time) (*models.Store, *models.Organization, *models.IntegrationRows) {
	t.Helper()
	store := models.NewStore(testsupport.OpenDB(t, dbURL)).WithClock(func() time.Time { return *clock })
	org, _ := testsupport.Seed(t, store, "acme", "owner@acme.test", models.RoleOwner)
	in := &models.IntegrationRows{Integration: models.Integration{Slug: "od", Name: "OD", AuthType: "none",
		RequestFormat: "json", Settings: "{}", Enabled: true}}
	if err := store.Tenant(org.ID).SaveIntegrationRows(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	return store, org, in
}

// TestClaimStaleSyncJobTakesOnlyWhatWasLeftAlone: the sweep's claim takes
// a job whose lease ran out and an unleased job named stalled (a process
// took its delivery and died before beginning it), in due order; it
// leaves a job merely waiting in the queue however long it has been due,
// a job whose lease still runs, and a job behind an older one of its
// record. Both databases.
func TestClaimStaleSyncJobTakesOnlyWhatWasLeftAlone(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		clock := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
		store, org, in := syncSetup(t, dbURL, &clock)
		job := func(localID int64, due time.Time, op string) *models.SyncJob {
			return insertAppointmentJob(t, store.Tenant(org.ID), in.Integration.ID, localID, due, op, 0)
		}
		waiting := job(1, clock.Add(-time.Hour), models.OpCreate) // due an hour ago, never taken
		expired := job(2, clock.Add(-10*time.Minute), models.OpCreate)
		running := job(3, clock.Add(-20*time.Minute), models.OpCreate)
		stalled := job(4, clock.Add(-time.Minute), models.OpCreate)
		older, newer := job(5, clock.Add(-time.Minute), models.OpCreate), job(5, clock.Add(-time.Minute), models.OpUpdate)
		lease := func(j *models.SyncJob, until time.Time) {
			if got, err := store.ClaimSyncJob(ctx, j.ID, "dead", until); err != nil || got == nil {
				t.Fatalf("lease job %d: %v, %v", j.ID, got, err)
			}
		}
		lease(expired, clock.Add(-time.Second))
		lease(running, clock.Add(time.Minute))
		lease(older, clock.Add(-time.Second))

		var took []int64
		for {
			j, err := store.ClaimStaleSyncJob(ctx, "sweeper", clock.Add(2*time.Minute), []int64{stalled.ID, newer.ID, running.ID})
			if err != nil {
				t.Fatal(err)
			}
			if j == nil {
				break
			}
			if j.LeaseOwner != "sweeper" || j.LeaseUntil == nil || !j.LeaseUntil.Equal(clock.Add(2*time.Minute)) {
				t.Errorf("claimed job %d = owner %q until %v, want sweeper's lease", j.ID, j.LeaseOwner, j.LeaseUntil)
			}
			took = append(took, j.ID)
		}
		want := []int64{expired.ID, stalled.ID, older.ID}
		if fmt.Sprint(took) != fmt.Sprint(want) {
			t.Errorf("swept jobs = %v, want %v (expired lease, stalled, the record's older job) and not the waiting %d, the running %d or the newer %d",
				took, want, waiting.ID, running.ID, newer.ID)
		}
		if j, err := store.ClaimStaleSyncJob(ctx, "sweeper", clock.Add(2*time.Minute), nil); err != nil || j != nil {
			t.Errorf("claim with nothing stalled = %+v, %v; want none", j, err)
		}
	})
}

// insertAppointmentJob inserts a pending job of appointment localID, due
// at due, carrying the record's version.
func insertAppointmentJob(t *testing.T, tenant *models.Tenant, integrationID, localID int64, due time.Time, op string, version int64) *models.SyncJob {
	t.Helper()
	j := &models.SyncJob{IntegrationID: integrationID, Entity: "appointment", LocalID: localID, Operation: op,
		Status: models.JobPending, NextAttemptAt: due, RecordVersion: version}
	if err := tenant.InsertSyncJob(context.Background(), j); err != nil {
		t.Fatal(err)
	}
	return j
}
