package syncer

import (
	"cmp"
	"context"
	"slices"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/models"
)

// LastStep runs last inside a write's transaction, with the sync states the
// write answers with; an error rolls the whole write back. The records API
// stores the answer to a request sent with an Idempotency-Key this way, so
// that a committed write always has its answer and a request that dies
// before the commit leaves its key free.
type LastStep func(ctx context.Context, tx *models.Tenant, states []State) error

// write is one local write going through the write path: a patient's or
// an appointment's (exactly one is set).
type write struct {
	op          string
	patient     *models.Patient
	appointment *models.Appointment
	// last run at the end of the transaction.
	last []LastStep
}

// entity is the kind of record written.
func (w *write) entity() string {
	if w.patient != nil {
		return definition.EntityPatient
	}
	return definition.EntityAppointment
}

// localID is the record's id, known once local has run (0 before, for a
// create).
func (w *write) localID() int64 {
	if w.patient != nil {
		return w.patient.ID
	}
	return w.appointment.ID
}

// version is the record version the write leaves (a deleted patient's row
// goes one version past the one read).
func (w *write) version() int64 {
	switch {
	case w.patient != nil && w.op == models.OpDelete:
		return w.patient.Version + 1
	case w.patient != nil:
		return w.patient.Version
	}
	return w.appointment.Version
}

// local writes the record inside the transaction t. An appointment's
// delete is its cancellation: the row stays, with its new status. An
// appointment created or moved first claims its slot, in the same
// transaction, so that no two bookings of one slot both pass.
func (w *write) local(ctx context.Context, t *models.Tenant) error {
	switch {
	case w.patient != nil && w.op == models.OpCreate:
		return t.CreatePatient(ctx, w.patient)
	case w.patient != nil && w.op == models.OpUpdate:
		return t.UpdatePatient(ctx, w.patient)
	case w.patient != nil:
		return t.DeletePatient(ctx, w.patient.ID)
	case w.op == models.OpDelete:
		return t.UpdateAppointment(ctx, w.appointment)
	}
	if err := t.ClaimSlot(ctx, w.appointment); err != nil {
		return err
	}
	if w.op == models.OpCreate {
		return t.CreateAppointment(ctx, w.appointment)
	}
	return t.UpdateAppointment(ctx, w.appointment)
}

// checkSlot checks, before an external system is written directly, that
// an appointment's slot is free; the transaction checks again, locked.
func (w *write) checkSlot(ctx context.Context, t *models.Tenant) error {
	if w.appointment == nil || w.op == models.OpDelete {
		return nil
	}
	return t.ClaimSlot(ctx, w.appointment)
}

// params gives the record's fields for an external_only call made before
// the local write; an appointment's patient must already be in the
// external system.
func (w *write) params(ctx context.Context, t *models.Tenant, tg *target) (map[string]any, error) {
	if w.patient != nil {
		return patientParams(w.patient), nil
	}
	a := w.appointment
	ref, err := t.ExternalRef(ctx, tg.cfg.IntegrationID, definition.EntityPatient, a.PatientID)
	if apperr.IsNotFound(err) {
		return nil, apperr.New(apperr.CodeConflict, "the patient is not in %s yet; write the patient first", tg.entry.Slug)
	}
	if err != nil {
		return nil, err
	}
	return appointmentParams(a, ref.ExternalID), nil
}

// takesNothing reports whether a target has no function for the write:
// no such operation (e.g. no patient delete), or an update of a record it
// already holds when it has only a create (the check before accepting
// refused every change it would hold, so nothing is left to send). An
// update of a record not there yet is its create.
func (m *Manager) takesNothing(ctx context.Context, t *models.Tenant, tg *target, w *write) (bool, error) {
	if tg.function(w.op) != "" {
		return false, nil
	}
	if w.op != models.OpUpdate || tg.mapping.Create == "" {
		return true, nil
	}
	_, err := t.ExternalRef(ctx, tg.cfg.IntegrationID, w.entity(), w.localID())
	if apperr.IsNotFound(err) {
		return false, nil
	}
	return err == nil, err
}

// direct is an external_only write already carried out, whose external id
// is stored with the local row.
type direct struct {
	tg  *target
	ext string
}

// apply runs the write path: external_only integrations are written first
// (a failure fails the whole write and nothing local is kept); then, in one
// transaction, the local row, the external references of those direct
// writes, one job per integration that pushes this entity and operation,
// and the write's last steps. The workers are woken after the commit.
func (m *Manager) apply(ctx context.Context, orgID int64, w *write) ([]State, error) {
	t := m.store.Tenant(orgID)
	queued, directs, err := m.route(ctx, t, w)
	if err != nil {
		return nil, err
	}
	var states []State
	err = t.InTx(ctx, func(tx *models.Tenant) error {
		var err error
		states, err = m.commit(ctx, tx, w, queued, directs)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(queued) > 0 {
		m.Kick()
	}
	if states != nil {
		return states, nil
	}
	return m.States(ctx, orgID, w.entity(), w.localID())
}

// route decides, per enabled configuration that takes this write, whether
// a job is queued or the external system is written now (external_only,
// carried out before anything local).
func (m *Manager) route(ctx context.Context, t *models.Tenant, w *write) ([]*target, []direct, error) {
	cfgs, err := t.EnabledSyncConfigs(ctx)
	if err != nil {
		return nil, nil, err
	}
	var queued []*target
	var directs []direct
	for i := range cfgs {
		cfg := &cfgs[i]
		if !cfg.Pushes(w.entity(), w.op) {
			continue
		}
		tg, err := m.target(ctx, t.OrgID(), cfg, w.entity())
		if err != nil {
			return nil, nil, err
		}
		if skip, err := m.takesNothing(ctx, t, tg, w); err != nil || skip {
			if err != nil {
				return nil, nil, err
			}
			continue
		}
		if cfg.Direction != models.DirectionExternalOnly {
			queued = append(queued, tg)
			continue
		}
		if len(directs) == 0 {
			if err := w.checkSlot(ctx, t); err != nil {
				return nil, nil, err
			}
		}
		ext, err := m.writeDirect(ctx, t, tg, w)
		if err != nil {
			return nil, nil, err
		}
		directs = append(directs, direct{tg: tg, ext: ext})
	}
	return queued, directs, nil
}

// commit claims the request's Idempotency-Key, if any, then writes, inside tx, the local row, the references of the direct
// writes and the queued jobs, then runs the last steps. It returns the record's
// states when they are known without a read after the commit (a create's,
// or a write's with last steps, read inside the transaction), else nil.
func (m *Manager) commit(ctx context.Context, tx *models.Tenant, w *write, queued []*target, directs []direct) ([]State, error) {
	// A request's Idempotency-Key is claimed before anything else, so that
	// a duplicate running meanwhile waits here for this answer rather than
	// finding its own booking's slot taken.
	if err := tx.ClaimIdempotencyKey(ctx); err != nil {
		return nil, err
	}
	if err := w.local(ctx, tx); err != nil {
		return nil, err
	}
	for _, d := range directs {
		if d.ext == "" {
			continue
		}
		ref := &models.ExternalRef{IntegrationID: d.tg.cfg.IntegrationID, Entity: w.entity(), LocalID: w.localID(),
			ExternalID: d.ext, SyncedVersion: w.version()}
		if err := tx.SaveExternalRef(ctx, ref); err != nil {
			return nil, err
		}
	}
	jobs := make([]*models.SyncJob, 0, len(queued))
	for _, tg := range queued {
		j, err := m.queue(ctx, tx, w, tg)
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, j)
	}
	var states []State
	if w.op == models.OpCreate {
		states = createdStates(queued, jobs, directs)
	} else if len(w.last) > 0 {
		var err error
		if states, err = m.statesIn(ctx, tx, w.entity(), w.localID()); err != nil {
			return nil, err
		}
	}
	for _, step := range w.last {
		if err := step(ctx, tx, states); err != nil {
			return nil, err
		}
	}
	if m.beforeCommit != nil {
		if err := m.beforeCommit(); err != nil {
			return nil, err
		}
	}
	return states, nil
}

// queue adds, inside tx, the job that delivers w to tg. An update of a
// record whose create has not got through yet (pending, retrying, or
// parked as failed) puts that create back in the queue with the new
// version instead: it then delivers the record's current values, and the
// failure it was parked with leaves the sync error log.
func (m *Manager) queue(ctx context.Context, tx *models.Tenant, w *write, tg *target) (*models.SyncJob, error) {
	j := &models.SyncJob{IntegrationID: tg.cfg.IntegrationID, Entity: w.entity(), LocalID: w.localID(),
		Operation: w.op, MaxAttempts: m.cfg.MaxAttempts, RecordVersion: w.version()}
	if w.op == models.OpUpdate {
		id, err := tx.RequeueCreateJob(ctx, j.IntegrationID, j.Entity, j.LocalID, j.RecordVersion, m.cfg.MaxAttempts)
		if err != nil || id != 0 {
			j.ID, j.Operation, j.Status = id, models.OpCreate, models.JobPending
			return j, err
		}
	}
	return j, tx.InsertSyncJob(ctx, j)
}

// createdStates is the sync state of a record just created: its jobs,
// pending, and its direct writes, synced; nothing else can refer to a new
// record, so States' reads are not needed.
func createdStates(queued []*target, jobs []*models.SyncJob, directs []direct) []State {
	out := make([]State, 0, len(jobs)+len(directs))
	for i, j := range jobs {
		tg := queued[i]
		out = append(out, State{Integration: tg.entry.Slug, Mode: tg.cfg.Direction, Status: j.Status, JobID: j.ID,
			integrationID: j.IntegrationID})
	}
	for _, d := range directs {
		if d.ext != "" {
			out = append(out, State{Integration: d.tg.entry.Slug, Mode: d.tg.cfg.Direction, Status: models.JobSynced,
				ExternalID: d.ext, integrationID: d.tg.cfg.IntegrationID})
		}
	}
	// The same order as States: jobs, then references, each by integration.
	byIntegration := func(a, b State) int { return cmp.Compare(a.integrationID, b.integrationID) }
	slices.SortStableFunc(out[:len(jobs)], byIntegration)
	slices.SortStableFunc(out[len(jobs):], byIntegration)
	return out
}

// writeDirect writes an external_only integration synchronously and
// returns the record's external id.
func (m *Manager) writeDirect(ctx context.Context, t *models.Tenant, tg *target, w *write) (string, error) {
	op := w.op
	ext := ""
	if op != models.OpCreate {
		ref, err := t.ExternalRef(ctx, tg.cfg.IntegrationID, w.entity(), w.localID())
		switch {
		case apperr.IsNotFound(err) && op == models.OpDelete:
			return "", nil
		case apperr.IsNotFound(err):
			op = models.OpCreate
		case err != nil:
			return "", err
		default:
			ext = ref.ExternalID
		}
	}
	fn := tg.function(op)
	if fn == "" {
		return ext, nil
	}
	ce, err := tg.endpoint(fn)
	if err != nil {
		return "", err
	}
	params := map[string]any{}
	if op != models.OpDelete {
		fields, err := w.params(ctx, t, tg)
		if err != nil {
			return "", err
		}
		params = forEndpoint(ce, fields)
	}
	if op != models.OpCreate {
		params[tg.idParam(ce)] = ext
	}
	res, err := m.exec.Execute(ctx, tg.request(t.OrgID(), fn, params, 0))
	defer res.Release()
	if err != nil {
		_ = m.setStatus(ctx, t, tg.cfg.IntegrationID, "error", errorText(err))
		return "", err
	}
	_ = m.setStatus(ctx, t, tg.cfg.IntegrationID, "ok", "")
	if op == models.OpCreate {
		if ext = tg.externalID(ce, res); ext == "" {
			return "", apperr.New(apperr.CodeUpstreamError, "%s created the record but its answer carries no id", tg.entry.Slug)
		}
	}
	return ext, nil
}

// CreatePatient creates a patient through the write path and returns its
// sync states.
func (m *Manager) CreatePatient(ctx context.Context, orgID int64, p *models.Patient, last ...LastStep) ([]State, error) {
	return m.apply(ctx, orgID, &write{op: models.OpCreate, patient: p, last: last})
}

// UpdatePatient saves a patient through the write path.
func (m *Manager) UpdatePatient(ctx context.Context, orgID int64, p *models.Patient, last ...LastStep) ([]State, error) {
	if _, err := m.store.Tenant(orgID).Patient(ctx, p.ID); err != nil {
		return nil, err
	}
	return m.apply(ctx, orgID, &write{op: models.OpUpdate, patient: p, last: last})
}

// DeletePatient deletes a patient through the write path.
func (m *Manager) DeletePatient(ctx context.Context, orgID, id int64, last ...LastStep) ([]State, error) {
	p, err := m.store.Tenant(orgID).Patient(ctx, id)
	if err != nil {
		return nil, err
	}
	return m.apply(ctx, orgID, &write{op: models.OpDelete, patient: p, last: last})
}

// CreateAppointment creates an appointment through the write path.
// An unknown patient is a validation error of patient_id.
func (m *Manager) CreateAppointment(ctx context.Context, orgID int64, a *models.Appointment, last ...LastStep) ([]State, error) {
	if _, err := m.store.Tenant(orgID).Patient(ctx, a.PatientID); apperr.IsNotFound(err) {
		return nil, apperr.Validation(apperr.FieldError{Field: "patient_id", Message: "no such patient in this organization"})
	} else if err != nil {
		return nil, err
	}
	return m.apply(ctx, orgID, &write{op: models.OpCreate, appointment: a, last: last})
}

// UpdateAppointment saves an appointment through the write path.
func (m *Manager) UpdateAppointment(ctx context.Context, orgID int64, a *models.Appointment, last ...LastStep) ([]State, error) {
	if _, err := m.store.Tenant(orgID).Appointment(ctx, a.ID); err != nil {
		return nil, err
	}
	return m.apply(ctx, orgID, &write{op: models.OpUpdate, appointment: a, last: last})
}

// CancelAppointment sets the status of the appointment a (as read) to
// cancelled and queues the sync mapping's delete function (Open Dental:
// BreakAppointment). The row is written from a, so a holds the row as
// cancelled when the last steps run and after.
func (m *Manager) CancelAppointment(ctx context.Context, orgID int64, a *models.Appointment, last ...LastStep) ([]State, error) {
	a.Status = models.StatusCancelled
	return m.apply(ctx, orgID, &write{op: models.OpDelete, appointment: a, last: last})
}
