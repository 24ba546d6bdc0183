package models_test

import (
	"context"
	"testing"
	"time"

	"switchboard/apperr"
	"switchboard/models"
	"switchboard/testsupport"
)

// TestRecordDeliveryIsOneWriteUnderTheLease: a delivery's record — the job
// synced, its attempt numbered after the last, the record's reference —
// is written whole by the worker holding the lease; a record saved while
// the worker held it puts the job back, pending and due now, with the
// rest written; a worker whose lease was taken writes nothing at all and
// is told so. Both databases (one statement on PostgreSQL, a transaction
// on SQLite).
func TestRecordDeliveryIsOneWriteUnderTheLease(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		clock := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
		store, org, in := syncSetup(t, dbURL, &clock)
		tn := store.Tenant(org.ID)
		integration := in.Integration.ID
		delivery := func(j *models.SyncJob, owner, ext string) models.Delivery {
			return models.Delivery{Owner: owner,
				Attempt: &models.SyncAttempt{JobID: j.ID, OK: true, Sent: true, HTTPStatus: 201, DurationMS: 12,
					RequestExcerpt: "POST /appointments", ResponseExcerpt: `{"AptNum":` + ext + `}`},
				Ref: &models.ExternalRef{IntegrationID: integration, Entity: "appointment", LocalID: j.LocalID,
					ExternalID: ext, SyncedVersion: j.RecordVersion},
				Outcome: models.SyncJobOutcome{Status: models.JobSynced, Attempts: 2, ExternalID: ext, LastHTTPStatus: 201,
					RecordVersion: j.RecordVersion}}
		}
		claim := func(j *models.SyncJob, owner string) {
			t.Helper()
			if got, err := store.ClaimSyncJob(ctx, j.ID, owner, clock.Add(time.Minute)); err != nil || got == nil {
				t.Fatalf("claim job %d: %v, %v", j.ID, got, err)
			}
		}
		attempts := func(j *models.SyncJob) []models.SyncAttempt {
			t.Helper()
			as, err := tn.SyncAttempts(ctx, j.ID)
			if err != nil {
				t.Fatal(err)
			}
			return as
		}
		ref := func(localID int64) string {
			t.Helper()
			r, err := tn.ExternalRef(ctx, integration, "appointment", localID)
			if apperr.IsNotFound(err) {
				return ""
			}
			if err != nil {
				t.Fatal(err)
			}
			return r.ExternalID
		}
		noThen := func(*models.Tenant) error { return nil }

		// Delivered and synced: all three written, the attempt numbered
		// after the job's first (failed) one; then runs.
		j := insertAppointmentJob(t, tn, integration, 1, clock, models.OpCreate, 3)
		if err := tn.InsertSyncAttempt(ctx, &models.SyncAttempt{JobID: j.ID, Error: "timeout"}); err != nil {
			t.Fatal(err)
		}
		claim(j, "w1")
		ran := false
		requeued, err := tn.RecordDelivery(ctx, delivery(j, "w1", "501"), func(*models.Tenant) error { ran = true; return nil })
		if err != nil || requeued || !ran {
			t.Fatalf("record = requeued %v, %v, then ran %v; want synced and then run", requeued, err, ran)
		}
		got, err := tn.SyncJob(ctx, j.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != models.JobSynced || got.LeaseOwner != "" || got.LeaseUntil != nil || got.FinishedAt == nil ||
			got.Attempts != 2 || got.ExternalID != "501" || got.LastHTTPStatus != 201 {
			t.Errorf("job after the record = %+v", got)
		}
		if as := attempts(j); len(as) != 2 || as[1].Attempt != 2 || !as[1].OK || as[1].HTTPStatus != 201 || as[1].DurationMS != 12 {
			t.Errorf("attempts = %+v, want the delivery as number 2", as)
		}
		if ext := ref(1); ext != "501" {
			t.Errorf("reference = %q, want 501", ext)
		}

		// Saved while the worker held it: pending again, due now, not
		// finished; the attempt and the reference are kept.
		clock = clock.Add(time.Minute)
		saved := insertAppointmentJob(t, tn, integration, 2, clock.Add(-time.Minute), models.OpCreate, 1)
		claim(saved, "w1")
		if _, err := tn.RequeueCreateJob(ctx, integration, "appointment", 2, 2, 0); err != nil {
			t.Fatal(err)
		}
		if requeued, err = tn.RecordDelivery(ctx, delivery(saved, "w1", "502"), noThen); err != nil || !requeued {
			t.Fatalf("record after a save = requeued %v, %v; want requeued", requeued, err)
		}
		if got, err = tn.SyncJob(ctx, saved.ID); err != nil {
			t.Fatal(err)
		}
		if got.Status != models.JobPending || got.LeaseOwner != "" || got.FinishedAt != nil || got.RecordVersion != 2 ||
			!got.NextAttemptAt.Equal(clock) || got.ExternalID != "502" {
			t.Errorf("job saved meanwhile = %+v, want pending for version 2, due %s", got, clock)
		}
		if as := attempts(saved); len(as) != 1 || ref(2) != "502" {
			t.Errorf("after a save: attempts %+v, reference %q; want one and 502", as, ref(2))
		}

		// A worker whose lease was taken: not found, nothing written.
		lost := insertAppointmentJob(t, tn, integration, 3, clock, models.OpCreate, 1)
		claim(lost, "w2")
		_, err = tn.RecordDelivery(ctx, delivery(lost, "w1", "503"), func(*models.Tenant) error {
			t.Error("then ran after a lost lease")
			return nil
		})
		if !apperr.IsNotFound(err) {
			t.Fatalf("record without the lease = %v, want not found", err)
		}
		if got, err = tn.SyncJob(ctx, lost.ID); err != nil || got.LeaseOwner != "w2" || got.Status != models.JobPending {
			t.Errorf("job of another worker = %+v, %v; want untouched", got, err)
		}
		if as := attempts(lost); len(as) != 0 || ref(3) != "" {
			t.Errorf("without the lease: attempts %+v, reference %q; want none", as, ref(3))
		}
	})
}
