package syncer

import (
	"context"
	"time"

	"switchboard/internal/loop"
	"switchboard/models"
)

// RetryWait bounds how long RetryNow waits for the retried job's attempt.
const RetryWait = 8 * time.Second

// RetryNow queues a parked job again, wakes the workers and waits (at most
// RetryWait) for its next attempt to finish, so that whoever pressed Retry
// is told what happened. It returns the job as it then is: synced, failed
// or retrying again with the reason in LastError, or still pending when no
// attempt came in time (waiting for its patient, an access window, or a
// busy queue). A job already synced is answered as it is.
func (m *Manager) RetryNow(ctx context.Context, orgID, id int64) (*models.SyncJob, error) {
	t := m.store.Tenant(orgID)
	before, err := t.SyncAttempts(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := t.RetrySyncJob(ctx, id); err != nil {
		// A job that got through on its own since the page was drawn is
		// answered as it is: synced.
		if j, jerr := t.SyncJob(ctx, id); jerr == nil && j.Status == models.JobSynced {
			return j, nil
		}
		return nil, err
	}
	m.Kick()
	wctx, cancel := context.WithTimeout(ctx, RetryWait)
	defer cancel()
	_ = loop.Until(wctx, 25*time.Millisecond, func(ctx context.Context) (bool, error) {
		as, err := t.SyncAttempts(ctx, id)
		if err != nil || len(as) <= len(before) {
			return false, err
		}
		j, err := t.SyncJob(ctx, id)
		return err == nil && j.LeaseOwner == "", err
	}) // a wait cut short is answered with the job as it is
	return t.SyncJob(ctx, id)
}
