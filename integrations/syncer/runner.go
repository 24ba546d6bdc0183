package syncer

import (
	"context"
	"fmt"
	"time"

	"switchboard/integrations/executor"
	"switchboard/models"
)

// jobRun is one claimed job on its way through the steps of a delivery:
// plan the call, make it, record the outcome and, for a worker, claim the
// next job with the outcome (on SQLite in its transaction).
type jobRun struct {
	m  *Manager
	j  *models.SyncJob
	tg *target // known once planned
	// synced: the job's outcome, recorded, left it synced (not put back
	// for a newer version of its record), so nothing remains to do.
	synced bool
}

// outcome is what one call to the external system gave.
type outcome struct {
	res     *executor.Result
	ext     string // the record's external id, once delivered
	elapsed time.Duration
	err     error
}

// runJob runs one claimed job and records its outcome. With claimNext, a
// delivered job's outcome also claims the worker's next job and returns it
// (on SQLite in the outcome's transaction: one write transaction per job
// instead of two). synced
// says the job is known to be finished, synced, once it returns.
func (m *Manager) runJob(ctx context.Context, j *models.SyncJob, claimNext bool) (next *models.SyncJob, synced bool, err error) {
	r := &jobRun{m: m, j: j}
	next, err = r.execute(ctx, claimNext)
	return next, r.synced && err == nil, err
}

// execute runs the job's steps (see runJob).
func (r *jobRun) execute(ctx context.Context, claimNext bool) (*models.SyncJob, error) {
	m, j := r.m, r.j
	if held, err := m.heldByConflict(ctx, j); err != nil {
		return nil, r.fail(ctx, outcome{err: err})
	} else if held {
		return nil, r.tenant().FinishSyncJob(ctx, j.ID, m.cfg.Owner,
			models.SyncJobOutcome{Status: models.JobDismissed, Attempts: j.Attempts, LastError: heldBack})
	}
	p, err := r.plan(ctx)
	switch {
	case err != nil:
		return nil, r.fail(ctx, outcome{err: err})
	case p.wait != "":
		return nil, m.store.DeferSyncJob(ctx, j.ID, m.cfg.Owner, m.now().Add(dependencyWait), p.wait)
	case p.done != "":
		return nil, r.tenant().FinishSyncJob(ctx, j.ID, m.cfg.Owner,
			models.SyncJobOutcome{Status: models.JobSynced, Attempts: j.Attempts, LastError: p.done})
	}
	o := r.call(ctx, p)
	defer o.res.Release()
	if o.err != nil {
		return nil, r.fail(ctx, o)
	}
	return r.succeed(ctx, o, claimNext)
}

func (r *jobRun) tenant() *models.Tenant { return r.m.store.Tenant(r.j.OrganizationID) }

// plan loads the job's integration and decides the call.
func (r *jobRun) plan(ctx context.Context) (*plan, error) {
	tg, err := r.m.targetFor(ctx, r.j.OrganizationID, r.j.IntegrationID, r.j.Entity)
	if err != nil {
		return nil, err
	}
	r.tg = tg
	return r.m.planJob(ctx, tg, r.j)
}

// call makes the planned call and reads the record's external id from
// its answer.
func (r *jobRun) call(ctx context.Context, p *plan) outcome {
	start := time.Now()
	res, err := r.m.exec.Execute(ctx, r.tg.request(r.j.OrganizationID, p.function, p.params, r.j.ID))
	o := outcome{res: res, elapsed: time.Since(start), err: err}
	if err != nil {
		return o
	}
	// Only a create's answer names the record: an update or a delete
	// keeps the id it was sent with.
	o.ext = p.externalID
	if p.op == models.OpCreate {
		o.ext = r.tg.externalID(p.ce, res)
	}
	if o.ext == "" {
		o.err = fmt.Errorf("%w: the answer of %s carries no id at %q", errPermanent, p.function, r.tg.idPath(p.ce))
	}
	return o
}

// succeed stores the external id, the attempt and the synced status as
// one write, as long as this worker still holds the lease; with claimNext
// the write (on SQLite, its transaction) also claims the next job, which
// it returns.
func (r *jobRun) succeed(ctx context.Context, o outcome, claimNext bool) (*models.SyncJob, error) {
	j := r.j
	// external_updated_at stays the external system's own clock (from
	// inbound changes; a nil one keeps it): it orders inbound changes,
	// not our pushes.
	d := models.Delivery{Owner: r.m.cfg.Owner, Attempt: attempt(j, j.Attempts+1, o),
		Ref: &models.ExternalRef{IntegrationID: j.IntegrationID, Entity: j.Entity, LocalID: j.LocalID,
			ExternalID: o.ext, SyncedVersion: j.RecordVersion},
		Outcome: models.SyncJobOutcome{Status: models.JobSynced, Attempts: j.Attempts + 1, ExternalID: o.ext,
			LastHTTPStatus: o.res.UpstreamStatus, RecordVersion: j.RecordVersion}}
	var next *models.SyncJob
	requeued, err := r.tenant().RecordDelivery(ctx, d, func(t *models.Tenant) error {
		if err := r.m.setStatus(ctx, t, j.IntegrationID, "ok", ""); err != nil || !claimNext {
			return err
		}
		var err error
		next, err = r.m.claimFrom(ctx, t.Unscoped())
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("syncer: job %d delivered; recording it: %w", j.ID, err)
	}
	r.synced = !requeued
	r.m.Kick() // jobs waiting on this one may go now
	r.m.outcome(models.JobSynced, r.m.now().Sub(j.CreatedAt))
	return next, nil
}

// fail records a failed attempt and schedules the retry, parks the job,
// or defers it without spending an attempt when the integration is closed
// for now (access window, open circuit, rate limit).
func (r *jobRun) fail(ctx context.Context, o outcome) error {
	m, j, msg := r.m, r.j, errorText(o.err)
	t := r.tenant()
	if wait, ok := deferral(o.err); ok {
		if err := m.store.DeferSyncJob(ctx, j.ID, m.cfg.Owner, m.now().Add(wait), msg); err != nil {
			return err
		}
		m.outcome("deferred", 0)
		return m.setStatus(ctx, t, j.IntegrationID, "deferred", msg)
	}
	out := r.failure(o, msg)
	err := t.InTx(ctx, func(t *models.Tenant) error {
		if err := t.InsertSyncAttempt(ctx, attempt(j, out.Attempts, o)); err != nil {
			return err
		}
		if err := t.FinishSyncJob(ctx, j.ID, m.cfg.Owner, out); err != nil {
			return err
		}
		return m.setStatus(ctx, t, j.IntegrationID, "error", msg)
	})
	if err != nil {
		return fmt.Errorf("syncer: record failure of job %d: %w", j.ID, err)
	}
	m.outcome(out.Status, 0)
	m.log.Warn("syncer: job failed", "job", j.ID, "org", j.OrganizationID, "attempt", out.Attempts, "status", out.Status, "err", msg)
	if out.Status == models.JobFailed && m.cfg.Parked != nil {
		parked := *j
		parked.Status, parked.Attempts, parked.LastError = out.Status, out.Attempts, msg
		m.cfg.Parked.Parked(ctx, &parked)
	}
	return nil
}

// failure is the outcome of a failed attempt: retrying after the backoff,
// or failed for good after the last attempt or a permanent failure.
func (r *jobRun) failure(o outcome, msg string) models.SyncJobOutcome {
	n := r.j.Attempts + 1
	out := models.SyncJobOutcome{Status: models.JobRetrying, Attempts: n, LastError: msg, LastHTTPStatus: httpStatus(o.res, o.err),
		RecordVersion: r.j.RecordVersion}
	limit := r.j.MaxAttempts
	if limit <= 0 {
		limit = r.m.cfg.MaxAttempts
	}
	if n >= limit || permanent(o.err) {
		out.Status = models.JobFailed
	} else {
		out.NextAttemptAt = r.m.now().Add(r.m.cfg.Backoff(n))
	}
	return out
}

// outcome reports a delivery attempt's outcome to Config.Outcome.
func (m *Manager) outcome(status string, lag time.Duration) {
	if m.cfg.Outcome != nil {
		m.cfg.Outcome(status, lag)
	}
}
