package syncer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/integrations/executor"
	"switchboard/models"
)

// plan is what running one job will do.
type plan struct {
	function   string
	ce         *definition.CompiledEndpoint
	params     map[string]any
	externalID string // for update and delete
	// wait, when set, defers the job without spending an attempt.
	wait string
	// done, when set, finishes the job without a call (nothing to do).
	done string
}

// errPermanent marks failures that another attempt cannot fix.
var errPermanent = errors.New("permanent")

// runJob runs one claimed job and writes its outcome. With next set, a
// delivered job's outcome transaction also claims the worker's next job
// into *next (one write transaction per job instead of two).
func (m *Manager) runJob(ctx context.Context, j *models.SyncJob, next **models.SyncJob) error {
	tg, err := m.targetFor(ctx, j.OrganizationID, j.IntegrationID, j.Entity)
	if err != nil {
		return m.failJob(ctx, j, nil, nil, err, 0)
	}
	p, err := m.planJob(ctx, tg, j)
	switch {
	case err != nil:
		return m.failJob(ctx, j, tg, nil, err, 0)
	case p.wait != "":
		return m.store.DeferSyncJob(ctx, j.ID, m.cfg.Owner, m.now().Add(dependencyWait), p.wait)
	case p.done != "":
		return m.store.Tenant(j.OrganizationID).FinishSyncJob(ctx, j.ID, m.cfg.Owner,
			models.SyncJobOutcome{Status: models.JobSynced, Attempts: j.Attempts, LastError: p.done})
	}
	start := time.Now()
	res, err := m.exec.Execute(ctx, tg.request(j.OrganizationID, p.function, p.params, j.ID))
	defer res.Release()
	elapsed := time.Since(start)
	if err != nil {
		return m.failJob(ctx, j, tg, res, err, elapsed)
	}
	ext := p.externalID
	if j.Operation == models.OpCreate || ext == "" {
		ext = tg.externalID(p.ce, res)
	}
	if ext == "" {
		return m.failJob(ctx, j, tg, res, fmt.Errorf("%w: the answer of %s carries no id at %q", errPermanent, p.function, tg.idPath(p.ce)), elapsed)
	}
	return m.succeedJob(ctx, j, tg, res, ext, elapsed, next)
}

// planJob loads the record and decides the call.
func (m *Manager) planJob(ctx context.Context, tg *target, j *models.SyncJob) (*plan, error) {
	t := m.store.Tenant(j.OrganizationID)
	ref, err := t.ExternalRef(ctx, j.IntegrationID, j.Entity, j.LocalID)
	if err != nil && !apperr.IsNotFound(err) {
		return nil, err
	}
	op := j.Operation
	p := &plan{}
	if ref != nil && ref.ID != 0 {
		p.externalID = ref.ExternalID
	}
	switch {
	case op == models.OpDelete && p.externalID == "":
		p.done = "the record was never written to the external system, so there is nothing to delete"
		return p, nil
	case op == models.OpUpdate && p.externalID == "":
		op = models.OpCreate // never created there (sync turned on later): create it now
	case op == models.OpCreate && p.externalID != "":
		op = models.OpUpdate // a retried create whose first delivery did land
	}
	p.function = tg.function(op)
	if p.function == "" {
		return nil, fmt.Errorf("%w: the sync mapping of %s has no %s function for %s", errPermanent, tg.entry.Slug, op, j.Entity)
	}
	if p.ce, err = tg.endpoint(p.function); err != nil {
		return nil, err
	}
	var fields map[string]any
	if op != models.OpDelete {
		if fields, p.wait, err = m.recordParams(ctx, t, tg, j); err != nil || p.wait != "" {
			return p, err
		}
	}
	p.params = forEndpoint(p.ce, fields)
	if op != models.OpCreate {
		p.params[tg.idParam(p.ce)] = p.externalID
	}
	return p, nil
}

// recordParams returns the record's fields by internal name; for an
// appointment whose patient is not in the external system yet, it returns
// a reason to wait (and queues the patient when nothing will bring it).
func (m *Manager) recordParams(ctx context.Context, t *models.Tenant, tg *target, j *models.SyncJob) (map[string]any, string, error) {
	if j.Entity == definition.EntityPatient {
		p, err := t.Patient(ctx, j.LocalID)
		if apperr.IsNotFound(err) {
			return nil, "", fmt.Errorf("%w: the patient no longer exists", errPermanent)
		}
		return patientParams(p), "", err
	}
	a, err := t.Appointment(ctx, j.LocalID)
	if apperr.IsNotFound(err) {
		return nil, "", fmt.Errorf("%w: the appointment no longer exists", errPermanent)
	}
	if err != nil {
		return nil, "", err
	}
	pref, err := t.ExternalRef(ctx, j.IntegrationID, definition.EntityPatient, a.PatientID)
	if err == nil {
		return appointmentParams(a, pref.ExternalID), "", nil
	}
	if !apperr.IsNotFound(err) {
		return nil, "", err
	}
	pending, err := t.HasUnfinishedSyncJob(ctx, j.IntegrationID, definition.EntityPatient, a.PatientID)
	if err != nil {
		return nil, "", err
	}
	if !pending {
		if err := m.enqueuePatient(ctx, t, j.IntegrationID, a.PatientID); err != nil {
			return nil, "", err
		}
	}
	return nil, "waiting for the patient to be synced first", nil
}

// enqueuePatient queues the creation of a patient an appointment needs.
func (m *Manager) enqueuePatient(ctx context.Context, t *models.Tenant, integrationID, patientID int64) error {
	p, err := t.Patient(ctx, patientID)
	if err != nil {
		return err
	}
	err = t.InsertSyncJob(ctx, &models.SyncJob{IntegrationID: integrationID, Entity: definition.EntityPatient,
		LocalID: patientID, Operation: models.OpCreate, MaxAttempts: m.cfg.MaxAttempts, RecordVersion: p.Version})
	if err == nil {
		m.Kick()
	}
	return err
}

// succeedJob stores the external id, the attempt and the synced status in
// one transaction, as long as this worker still holds the lease.
func (m *Manager) succeedJob(ctx context.Context, j *models.SyncJob, tg *target, res *executor.Result, ext string, elapsed time.Duration, next **models.SyncJob) error {
	err := m.store.Tenant(j.OrganizationID).InTx(ctx, func(t *models.Tenant) error {
		if err := t.InsertSyncAttempt(ctx, attempt(j, j.Attempts+1, res, nil, elapsed)); err != nil {
			return err
		}
		// external_updated_at stays the external system's own clock (from
		// inbound changes; a nil one keeps it): it orders inbound changes,
		// not our pushes.
		ref := &models.ExternalRef{IntegrationID: j.IntegrationID, Entity: j.Entity, LocalID: j.LocalID,
			ExternalID: ext, SyncedVersion: j.RecordVersion}
		if err := t.SaveExternalRef(ctx, ref); err != nil {
			return err
		}
		if err := t.FinishSyncJob(ctx, j.ID, m.cfg.Owner, models.SyncJobOutcome{Status: models.JobSynced,
			Attempts: j.Attempts + 1, ExternalID: ext, LastHTTPStatus: res.UpstreamStatus}); err != nil {
			return err
		}
		if err := m.setStatus(ctx, t, j.IntegrationID, "ok", ""); err != nil {
			return err
		}
		if next == nil {
			return nil
		}
		js, err := t.Unscoped().ClaimSyncJobs(ctx, m.cfg.Owner, m.now().Add(m.cfg.Lease), 1)
		if err == nil && len(js) > 0 {
			*next = &js[0]
		}
		return err
	})
	if err != nil {
		if next != nil {
			*next = nil // rolled back with the outcome
		}
		return fmt.Errorf("syncer: job %d delivered but not recorded: %w", j.ID, err)
	}
	m.Kick() // jobs waiting on this one may go now
	return nil
}

// failJob records a failed attempt and schedules the retry, parks the job,
// or defers it without spending an attempt when the integration is closed
// for now (access window, open circuit, rate limit).
func (m *Manager) failJob(ctx context.Context, j *models.SyncJob, tg *target, res *executor.Result, cause error, elapsed time.Duration) error {
	msg := errorText(cause)
	t := m.store.Tenant(j.OrganizationID)
	if wait, ok := deferral(cause); ok {
		if err := m.store.DeferSyncJob(ctx, j.ID, m.cfg.Owner, m.now().Add(wait), msg); err != nil {
			return err
		}
		return m.setStatus(ctx, t, j.IntegrationID, "deferred", msg)
	}
	n := j.Attempts + 1
	out := models.SyncJobOutcome{Status: models.JobRetrying, Attempts: n, LastError: msg, LastHTTPStatus: httpStatus(res, cause)}
	limit := j.MaxAttempts
	if limit <= 0 {
		limit = m.cfg.MaxAttempts
	}
	if n >= limit || permanent(cause) {
		out.Status = models.JobFailed
	} else {
		out.NextAttemptAt = m.now().Add(m.cfg.Backoff(n))
	}
	err := t.InTx(ctx, func(t *models.Tenant) error {
		if err := t.InsertSyncAttempt(ctx, attempt(j, n, res, cause, elapsed)); err != nil {
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
	m.log.Warn("syncer: job failed", "job", j.ID, "org", j.OrganizationID, "attempt", n, "status", out.Status, "err", msg)
	return nil
}

// deferral reports how long to wait when the failure says the integration
// may not be called yet (outside its access window, circuit open, over its
// rate limit): such a job waits without spending an attempt.
func deferral(err error) (time.Duration, bool) {
	ae, ok := apperr.As(err)
	if !ok {
		return 0, false
	}
	switch ae.Code {
	case apperr.CodeOutsideWindow, apperr.CodeCircuitOpen, apperr.CodeRateLimited:
	default:
		return 0, false
	}
	secs := 1
	switch v := ae.Extra["retry_after"].(type) {
	case int:
		secs = v
	case int64:
		secs = int(v)
	case float64:
		secs = int(v)
	}
	return time.Duration(max(secs, 1)) * time.Second, true
}

// permanent reports failures that retrying cannot fix.
func permanent(err error) bool {
	if errors.Is(err, errPermanent) {
		return true
	}
	switch apperr.Code(err) {
	case apperr.CodeValidationFailed, apperr.CodeUnknownFunction, apperr.CodeUnknownProvider, apperr.CodeInvalidRequest:
		return true
	}
	return false
}

// errorText is the safe description of a failure (the message of an
// application error, never its internal cause).
func errorText(err error) string {
	ae, ok := apperr.As(err)
	if !ok {
		return err.Error()
	}
	s := ae.Code + ": " + ae.Message
	for _, f := range ae.Fields {
		s += "; " + f.Field + ": " + f.Message
	}
	if ex, ok := ae.Extra["upstream_excerpt"].(string); ok && ex != "" {
		s += " — " + ex
	}
	return s
}

func httpStatus(res *executor.Result, err error) int {
	if res != nil && res.UpstreamStatus != 0 {
		return res.UpstreamStatus
	}
	if ae, ok := apperr.As(err); ok {
		if s, ok := ae.Extra["upstream_status"].(int); ok {
			return s
		}
	}
	return 0
}

// attempt builds the log row of one attempt from the redacted traces.
func attempt(j *models.SyncJob, n int, res *executor.Result, cause error, elapsed time.Duration) *models.SyncAttempt {
	a := &models.SyncAttempt{JobID: j.ID, Attempt: n, OK: cause == nil, HTTPStatus: httpStatus(res, cause), DurationMS: elapsed.Milliseconds()}
	if cause != nil {
		a.Error = errorText(cause)
	}
	if res != nil {
		a.RequestExcerpt = excerpt(res.Request.Method + " " + res.Request.URL + "\n" + res.Request.Body)
		a.ResponseExcerpt = excerpt(res.Response.Body)
	}
	return a
}

func excerpt(s string) string {
	const limit = 2048
	if len(s) > limit {
		return s[:limit] + "…"
	}
	return s
}
