package syncer

import (
	"context"
	"time"

	"switchboard/internal/loop"
	"switchboard/models"
)

// RetryWait bounds how long RetryNow waits for the retried job's attempt.
const RetryWait = 8 * time.Second

// retryPoll is how often RetryNow looks at the job while it waits.
const retryPoll = 25 * time.Millisecond

// RetryNow queues a parked job again, wakes the workers and waits (at most
// RetryWait) for its next attempt to finish, so that whoever pressed Retry
// is told what happened. It returns the job as it then is: synced, failed
// or retrying again with the reason in LastError, or still pending when no
// attempt came in time (waiting for its patient, an access window, or a
// busy queue). A job already synced is answered as it is; a job a worker
// is delivering right now (its own scheduled retry, taken as the page was
// drawn) is waited for within the same bound: its outcome is the answer
// when it synced, and a job it left failing is queued again.
func (m *Manager) RetryNow(ctx context.Context, orgID, id int64) (*models.SyncJob, error) {
	t := m.store.Tenant(orgID)
	wctx, cancel := context.WithTimeout(ctx, RetryWait)
	defer cancel()
	before, done, err := requeueForRetry(ctx, wctx, t, id)
	if err != nil || done != nil {
		return done, err
	}
	m.Kick()
	_ = loop.Until(wctx, retryPoll, func(ctx context.Context) (bool, error) {
		as, err := t.SyncAttempts(ctx, id)
		if err != nil || len(as) <= before {
			return false, err
		}
		j, err := t.SyncJob(ctx, id)
		return err == nil && j.LeaseOwner == "", err
	}) // a wait cut short is answered with the job as it is
	return t.SyncJob(ctx, id)
}

// requeueForRetry puts the job back in the queue for RetryNow and answers
// how many attempts it had then. A refusal is looked into: a job that is
// synced by now is answered as done; a job a worker holds is tried again
// once that worker lets go (until wait ends); a job refused while no
// worker holds it, twice, is the refusal.
func requeueForRetry(ctx, wait context.Context, t *models.Tenant, id int64) (before int, done *models.SyncJob, refused error) {
	freeBefore := false
	err := loop.Until(wait, retryPoll, func(context.Context) (bool, error) {
		refused = nil
		as, err := t.SyncAttempts(ctx, id)
		if err != nil {
			return false, err
		}
		if refused = t.RetrySyncJob(ctx, id); refused == nil {
			before = len(as)
			return true, nil
		}
		j, err := t.SyncJob(ctx, id)
		if err != nil {
			return true, nil
		}
		if j.Status == models.JobSynced {
			done, refused = j, nil
			return true, nil
		}
		// Free twice in a row: refused for another reason. Free once: its
		// worker may have let go between the refusal and this read.
		stop := j.LeaseOwner == "" && freeBefore
		freeBefore = j.LeaseOwner == ""
		return stop, nil
	})
	if refused == nil && done == nil && err != nil {
		return 0, nil, err
	}
	return before, done, refused
}
