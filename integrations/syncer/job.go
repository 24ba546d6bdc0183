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
	op         string // the operation carried out (a create becomes an update once the record is there)
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

// planJob loads the record and decides the call.
func (m *Manager) planJob(ctx context.Context, tg *target, j *models.SyncJob) (*plan, error) {
	t := m.store.Tenant(j.OrganizationID)
	rec, externalID, err := readRecord(ctx, t, j)
	if err != nil {
		return nil, err
	}
	op := j.Operation
	p := &plan{externalID: externalID}
	switch {
	case op == models.OpDelete && p.externalID == "":
		p.done = "the record was never written to the external system, so there is nothing to delete"
		return p, nil
	case op == models.OpUpdate && p.externalID == "":
		op = models.OpCreate // never created there (sync turned on later): create it now
	case op == models.OpCreate && p.externalID != "":
		op = models.OpUpdate // a retried create whose first delivery did land
	}
	p.op, p.function = op, tg.function(op)
	if p.function == "" && op == models.OpUpdate && tg.function(models.OpCreate) != "" {
		// Saved while its create was on its way: the check before accepting
		// could not refuse a change this system cannot take.
		return nil, fmt.Errorf("%w: the record reached %s before this change, and %s", errPermanent, tg.entry.Slug, unchangeableWhy(tg.entry.Slug, j.Entity))
	}
	if p.function == "" {
		return nil, fmt.Errorf("%w: the sync mapping of %s has no %s function for %s", errPermanent, tg.entry.Slug, op, j.Entity)
	}
	if p.ce, err = tg.endpoint(p.function); err != nil {
		return nil, err
	}
	var fields map[string]any
	if op != models.OpDelete {
		if fields, p.wait, err = m.recordParams(ctx, t, tg, j, rec); err != nil || p.wait != "" {
			return p, err
		}
	}
	p.params = forEndpoint(p.ce, tg.withDefaults(fields))
	if op != models.OpCreate {
		p.params[tg.idParam(p.ce)] = p.externalID
	}
	return p, nil
}

// readRecord reads what the job delivers before its plan: an appointment
// to create or update with its patient and both external ids in one read
// (rec), else the record's external id alone; externalID is "" when the
// record has none. rec is nil for a patient, a delete, or an appointment
// no longer there.
func readRecord(ctx context.Context, t *models.Tenant, j *models.SyncJob) (rec *models.AppointmentDelivery, externalID string, err error) {
	if j.Entity == definition.EntityAppointment && j.Operation != models.OpDelete {
		rec, err = t.AppointmentForDelivery(ctx, j.IntegrationID, j.LocalID)
		if err == nil {
			return rec, rec.ExternalID, nil
		}
		if !apperr.IsNotFound(err) {
			return nil, "", err
		}
	}
	ref, err := t.ExternalRef(ctx, j.IntegrationID, j.Entity, j.LocalID)
	if err != nil && !apperr.IsNotFound(err) {
		return nil, "", err
	}
	if ref != nil && ref.ID != 0 {
		externalID = ref.ExternalID
	}
	return nil, externalID, nil
}

// recordParams returns the record's fields by internal name (an
// appointment's, read by readRecord, with its local patient's name, phone
// and email); for an appointment whose patient is not in the external
// system yet, it returns a reason to wait (and queues the patient when
// nothing will bring it). A configuration without patient (a calendar)
// sends no patient id unless the patient is there already, and never
// queues one.
func (m *Manager) recordParams(ctx context.Context, t *models.Tenant, tg *target, j *models.SyncJob, rec *models.AppointmentDelivery) (map[string]any, string, error) {
	if j.Entity == definition.EntityPatient {
		p, err := t.Patient(ctx, j.LocalID)
		if apperr.IsNotFound(err) {
			return nil, "", fmt.Errorf("%w: the patient no longer exists", errPermanent)
		}
		return patientParams(p), "", err
	}
	if rec == nil {
		return nil, "", fmt.Errorf("%w: the appointment no longer exists", errPermanent)
	}
	a, ext := rec.Appointment, rec.PatientExternalID
	if !tg.cfg.Syncs(definition.EntityPatient) || ext != "" {
		return withPatient(appointmentParams(a, ext), rec.Patient), "", nil
	}
	ext, err := m.patientRef(ctx, t, tg, a.PatientID)
	if err != nil || ext == "" {
		return nil, "waiting for the patient to be synced first", err
	}
	return withPatient(appointmentParams(a, ext), rec.Patient), "", nil
}

// patientRef returns the patient's external id in the integration, or ""
// when the patient is not there yet; then it makes sure the patient's
// create job is queued (the one already open, if any: the database holds
// at most one). The reference is read again after the queue: a patient job
// that finished in between left it, and no second create is queued. A
// patient that can never arrive (its job parked or dismissed, or no
// function to create it) is a permanent failure naming what to do, so the
// appointment is parked instead of waiting forever.
func (m *Manager) patientRef(ctx context.Context, t *models.Tenant, tg *target, patientID int64) (string, error) {
	integrationID := tg.cfg.IntegrationID
	ref, err := t.ExternalRef(ctx, integrationID, definition.EntityPatient, patientID)
	if err == nil || !apperr.IsNotFound(err) {
		return ref.ExternalID, err
	}
	if err := neverArrives(ctx, t, tg, patientID); err != nil {
		return "", err
	}
	pending, err := t.HasUnfinishedSyncJob(ctx, integrationID, definition.EntityPatient, patientID)
	if err != nil || pending {
		return "", err
	}
	ref, err = t.ExternalRef(ctx, integrationID, definition.EntityPatient, patientID)
	if err == nil || !apperr.IsNotFound(err) {
		return ref.ExternalID, err
	}
	return "", m.enqueuePatient(ctx, t, integrationID, patientID)
}

// neverArrives is a permanent failure when the patient an appointment
// needs cannot reach the integration by itself: no function creates
// patients there, or the patient's last job was parked or dismissed.
func neverArrives(ctx context.Context, t *models.Tenant, tg *target, patientID int64) error {
	slug := tg.entry.Slug
	if ps := tg.entry.Compiled.Doc.Sync[definition.EntityPatient]; ps == nil || ps.Create == "" {
		return fmt.Errorf("%w: the appointment needs its patient's %s id, but %s has no function to create patients (sync.patient.create); "+
			"take patient out of this configuration's entities so appointments are sent with patient_name, patient_phone and patient_email instead",
			errPermanent, slug, slug)
	}
	last, err := t.LastSyncJob(ctx, tg.cfg.IntegrationID, definition.EntityPatient, patientID)
	if apperr.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	switch last.Status {
	case models.JobFailed, models.JobConflict:
		return fmt.Errorf("%w: the patient's sync job #%d to %s is %s (%s); fix and retry that job first, then retry this one",
			errPermanent, last.ID, slug, last.Status, last.LastError)
	case models.JobDismissed:
		return fmt.Errorf("%w: the patient's sync job #%d to %s was dismissed, so the patient will not reach %s; retry that job first, then retry this one",
			errPermanent, last.ID, slug, slug)
	}
	return nil
}

// enqueuePatient queues the creation of a patient an appointment needs,
// unless its create job is already open.
func (m *Manager) enqueuePatient(ctx context.Context, t *models.Tenant, integrationID, patientID int64) error {
	p, err := t.Patient(ctx, patientID)
	if err != nil {
		return err
	}
	added, err := t.EnsureCreateJob(ctx, &models.SyncJob{IntegrationID: integrationID, Entity: definition.EntityPatient,
		LocalID: patientID, MaxAttempts: m.cfg.MaxAttempts, RecordVersion: p.Version})
	if added {
		m.Kick()
	}
	return err
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
	secs, _ := ae.RetryAfter()
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
	if ex := ae.UpstreamExcerpt(); ex != "" {
		s += " — " + ex
	}
	return s
}

// httpStatus is the external system's status of a failed or answered call
// (0 when it never answered).
func httpStatus(res *executor.Result, err error) int {
	if res != nil && res.UpstreamStatus != 0 {
		return res.UpstreamStatus
	}
	if ae, ok := apperr.As(err); ok {
		return ae.UpstreamStatus()
	}
	return 0
}

// sent reports whether the attempt's request went out. The executor
// answers a result only once it has sent a request (Attempts counts them);
// a destination the outbound policy blocks fails at the dial, with nothing
// sent.
func sent(o outcome) bool {
	return o.res != nil && o.res.Attempts > 0 && apperr.Code(o.err) != apperr.CodeDestinationBlocked
}

// attempt builds the log row of one attempt from the redacted traces.
func attempt(j *models.SyncJob, n int, o outcome) *models.SyncAttempt {
	a := &models.SyncAttempt{JobID: j.ID, Attempt: n, OK: o.err == nil, Sent: sent(o), HTTPStatus: httpStatus(o.res, o.err),
		DurationMS: o.elapsed.Milliseconds()}
	if o.err != nil {
		a.Error = errorText(o.err)
	}
	if res := o.res; res != nil {
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
