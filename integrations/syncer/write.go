package syncer

import (
	"cmp"
	"context"
	"slices"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/models"
)

// write is one local write going through the write path.
type write struct {
	entity string
	op     string
	// localID is the record's id, known once local runs (0 before, for a
	// create).
	localID func() int64
	version func() int64
	// local writes the record (inside the transaction).
	local func(ctx context.Context, t *models.Tenant) error
	// params gives the record's fields for an external_only call made
	// before the local write.
	params func(ctx context.Context, t *models.Tenant, tg *target) (map[string]any, error)
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
// writes and one job per integration that pushes this entity and
// operation. The workers are woken after the commit.
func (m *Manager) apply(ctx context.Context, orgID int64, w *write) ([]State, error) {
	t := m.store.Tenant(orgID)
	cfgs, err := t.EnabledSyncConfigs(ctx)
	if err != nil {
		return nil, err
	}
	var queued []*target
	var directs []direct
	for i := range cfgs {
		cfg := &cfgs[i]
		if !cfg.Pushes(w.entity, w.op) {
			continue
		}
		tg, err := m.target(ctx, orgID, cfg, w.entity)
		if err != nil {
			return nil, err
		}
		if tg.function(w.op) == "" && !(w.op == models.OpUpdate && tg.mapping.Create != "") {
			continue // this system takes no such write (e.g. no patient delete)
		}
		if cfg.Direction != models.DirectionExternalOnly {
			queued = append(queued, tg)
			continue
		}
		ext, err := m.writeDirect(ctx, t, tg, w)
		if err != nil {
			return nil, err
		}
		directs = append(directs, direct{tg: tg, ext: ext})
	}
	var jobs []*models.SyncJob
	err = t.InTx(ctx, func(tx *models.Tenant) error {
		if err := w.local(ctx, tx); err != nil {
			return err
		}
		for _, d := range directs {
			if d.ext == "" {
				continue
			}
			ref := &models.ExternalRef{IntegrationID: d.tg.cfg.IntegrationID, Entity: w.entity, LocalID: w.localID(),
				ExternalID: d.ext, SyncedVersion: w.version()}
			if err := tx.SaveExternalRef(ctx, ref); err != nil {
				return err
			}
		}
		jobs = jobs[:0]
		for _, tg := range queued {
			j := &models.SyncJob{IntegrationID: tg.cfg.IntegrationID, Entity: w.entity, LocalID: w.localID(),
				Operation: w.op, MaxAttempts: m.cfg.MaxAttempts, RecordVersion: w.version()}
			if err := tx.InsertSyncJob(ctx, j); err != nil {
				return err
			}
			jobs = append(jobs, j)
		}
		if m.beforeCommit != nil {
			return m.beforeCommit()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(queued) > 0 {
		m.Kick()
	}
	if w.op == models.OpCreate {
		return createdStates(queued, jobs, directs), nil
	}
	return m.States(ctx, orgID, w.entity, w.localID())
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
		ref, err := t.ExternalRef(ctx, tg.cfg.IntegrationID, w.entity, w.localID())
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

// patientParamsFor returns p's fields for a direct write.
func patientParamsFor(p *models.Patient) func(context.Context, *models.Tenant, *target) (map[string]any, error) {
	return func(context.Context, *models.Tenant, *target) (map[string]any, error) { return patientParams(p), nil }
}

// appointmentParamsFor returns a's fields for a direct write; its patient
// must already be in the external system.
func appointmentParamsFor(a *models.Appointment) func(context.Context, *models.Tenant, *target) (map[string]any, error) {
	return func(ctx context.Context, t *models.Tenant, tg *target) (map[string]any, error) {
		ref, err := t.ExternalRef(ctx, tg.cfg.IntegrationID, definition.EntityPatient, a.PatientID)
		if apperr.IsNotFound(err) {
			return nil, apperr.New(apperr.CodeConflict, "the patient is not in %s yet; write the patient first", tg.entry.Slug)
		}
		if err != nil {
			return nil, err
		}
		return appointmentParams(a, ref.ExternalID), nil
	}
}

// CreatePatient creates a patient through the write path and returns its
// sync states.
func (m *Manager) CreatePatient(ctx context.Context, orgID int64, p *models.Patient) ([]State, error) {
	return m.apply(ctx, orgID, &write{entity: definition.EntityPatient, op: models.OpCreate,
		localID: func() int64 { return p.ID }, version: func() int64 { return p.Version },
		local:  func(ctx context.Context, t *models.Tenant) error { return t.CreatePatient(ctx, p) },
		params: patientParamsFor(p)})
}

// UpdatePatient saves a patient through the write path.
func (m *Manager) UpdatePatient(ctx context.Context, orgID int64, p *models.Patient) ([]State, error) {
	if _, err := m.store.Tenant(orgID).Patient(ctx, p.ID); err != nil {
		return nil, err
	}
	return m.apply(ctx, orgID, &write{entity: definition.EntityPatient, op: models.OpUpdate,
		localID: func() int64 { return p.ID }, version: func() int64 { return p.Version },
		local:  func(ctx context.Context, t *models.Tenant) error { return t.UpdatePatient(ctx, p) },
		params: patientParamsFor(p)})
}

// DeletePatient deletes a patient through the write path.
func (m *Manager) DeletePatient(ctx context.Context, orgID, id int64) ([]State, error) {
	p, err := m.store.Tenant(orgID).Patient(ctx, id)
	if err != nil {
		return nil, err
	}
	return m.apply(ctx, orgID, &write{entity: definition.EntityPatient, op: models.OpDelete,
		localID: func() int64 { return id }, version: func() int64 { return p.Version + 1 },
		local:  func(ctx context.Context, t *models.Tenant) error { return t.DeletePatient(ctx, id) },
		params: patientParamsFor(p)})
}

// CreateAppointment creates an appointment through the write path.
// An unknown patient is a validation error of patient_id.
func (m *Manager) CreateAppointment(ctx context.Context, orgID int64, a *models.Appointment) ([]State, error) {
	if _, err := m.store.Tenant(orgID).Patient(ctx, a.PatientID); apperr.IsNotFound(err) {
		return nil, apperr.Validation(apperr.FieldError{Field: "patient_id", Message: "no such patient in this organization"})
	} else if err != nil {
		return nil, err
	}
	return m.apply(ctx, orgID, &write{entity: definition.EntityAppointment, op: models.OpCreate,
		localID: func() int64 { return a.ID }, version: func() int64 { return a.Version },
		local:  func(ctx context.Context, t *models.Tenant) error { return t.CreateAppointment(ctx, a) },
		params: appointmentParamsFor(a)})
}

// UpdateAppointment saves an appointment through the write path.
func (m *Manager) UpdateAppointment(ctx context.Context, orgID int64, a *models.Appointment) ([]State, error) {
	if _, err := m.store.Tenant(orgID).Appointment(ctx, a.ID); err != nil {
		return nil, err
	}
	return m.apply(ctx, orgID, &write{entity: definition.EntityAppointment, op: models.OpUpdate,
		localID: func() int64 { return a.ID }, version: func() int64 { return a.Version },
		local:  func(ctx context.Context, t *models.Tenant) error { return t.UpdateAppointment(ctx, a) },
		params: appointmentParamsFor(a)})
}

// CancelAppointment sets an appointment's status to cancelled and queues
// the sync mapping's delete function (Open Dental: BreakAppointment).
func (m *Manager) CancelAppointment(ctx context.Context, orgID, id int64) (*models.Appointment, []State, error) {
	a, err := m.store.Tenant(orgID).Appointment(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	a.Status = models.StatusCancelled
	states, err := m.apply(ctx, orgID, &write{entity: definition.EntityAppointment, op: models.OpDelete,
		localID: func() int64 { return a.ID }, version: func() int64 { return a.Version },
		local:  func(ctx context.Context, t *models.Tenant) error { return t.UpdateAppointment(ctx, a) },
		params: appointmentParamsFor(a)})
	if err != nil {
		return nil, nil, err
	}
	return a, states, nil
}
