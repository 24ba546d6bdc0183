package syncer

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/models"
)

// CheckPatient maps and validates a patient's create or update (op)
// against the function of every enabled configuration that will push it,
// as its delivery would call it. A failure is a validation error whose
// fields are the record's internal names and whose messages begin with the
// integration's slug; nil when every target would take it.
func (m *Manager) CheckPatient(ctx context.Context, orgID int64, p *models.Patient, op string) error {
	return m.check(ctx, orgID, &write{op: op, patient: p})
}

// CheckAppointment is CheckPatient for an appointment.
func (m *Manager) CheckAppointment(ctx context.Context, orgID int64, a *models.Appointment, op string) error {
	return m.check(ctx, orgID, &write{op: op, appointment: a})
}

func (m *Manager) check(ctx context.Context, orgID int64, w *write) error {
	if m.exec == nil {
		return nil // no executor, no deliveries to check against
	}
	t := m.store.Tenant(orgID)
	cfgs, err := t.EnabledSyncConfigs(ctx)
	if err != nil {
		return err
	}
	var problems []apperr.FieldError
	for i := range cfgs {
		cfg := &cfgs[i]
		if !cfg.Pushes(w.entity(), w.op) {
			continue
		}
		tg, err := m.target(ctx, orgID, cfg, w.entity())
		if err != nil {
			return err
		}
		more, err := m.checkTarget(ctx, t, tg, w)
		if err != nil {
			return err
		}
		problems = append(problems, more...)
	}
	if len(problems) == 0 {
		return nil
	}
	e := apperr.Validation(problems...)
	e.Message = "the practice system would refuse this record; nothing was saved"
	return e
}

// checkTarget checks one target's function with the record's parameters,
// the way planJob builds them: an update of a record not yet in the
// external system is its create there.
func (m *Manager) checkTarget(ctx context.Context, t *models.Tenant, tg *target, w *write) ([]apperr.FieldError, error) {
	ext := ""
	if w.localID() != 0 {
		ref, err := t.ExternalRef(ctx, tg.cfg.IntegrationID, w.entity(), w.localID())
		if err != nil && !apperr.IsNotFound(err) {
			return nil, err
		}
		if ref != nil {
			ext = ref.ExternalID
		}
	}
	op := w.op
	if op == models.OpUpdate && ext == "" {
		op = models.OpCreate
	}
	if op == models.OpUpdate && tg.function(op) == "" {
		return m.unchangeable(ctx, t, tg, w)
	}
	fn := tg.function(op)
	ce := tg.entry.Compiled.Endpoints[fn]
	if fn == "" || ce == nil {
		return nil, nil // nothing that takes this write, or reported at delivery
	}
	fields, linked, err := m.checkParams(ctx, t, tg, w)
	if err != nil {
		return nil, err
	}
	params := forEndpoint(ce, fields)
	if op != models.OpCreate {
		params[tg.idParam(ce)] = ext
	}
	err = m.exec.Check(ctx, tg.request(t.OrgID(), fn, params, 0))
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		return nil, err
	}
	var out []apperr.FieldError
	for _, f := range ae.Fields {
		if f.Field == "patient_id" && !linked {
			continue // the patient's own sync brings its id
		}
		out = append(out, apperr.FieldError{Field: f.Field, Message: tg.entry.Slug + ": " + f.Message})
	}
	return out, nil
}

// unchangeable checks an update of a record already in a system whose
// mapping has no update function (Cloud9 books an appointment but cannot
// move it): a change to any field its create sent is refused, naming the
// field, since it could never reach that system; a change to fields it
// does not hold (notes, say) passes, and nothing is queued for it.
func (m *Manager) unchangeable(ctx context.Context, t *models.Tenant, tg *target, w *write) ([]apperr.FieldError, error) {
	ce := tg.entry.Compiled.Endpoints[tg.function(models.OpCreate)]
	if ce == nil {
		return nil, nil
	}
	before, after, err := m.storedAndNew(ctx, t, w)
	if err != nil {
		return nil, err
	}
	was, now := forEndpoint(ce, before), forEndpoint(ce, after)
	var out []apperr.FieldError
	for _, name := range changedKeys(was, now) {
		out = append(out, apperr.FieldError{Field: name, Message: tg.entry.Slug + ": " + unchangeableWhy(tg.entry.Slug, w.entity())})
	}
	return out, nil
}

// unchangeableWhy says why a change cannot reach a system with no update
// function, and what to do instead.
func unchangeableWhy(slug, entity string) string {
	if entity == definition.EntityAppointment {
		return fmt.Sprintf("%s cannot move or change an appointment it already holds; cancel it and book a new one", slug)
	}
	return fmt.Sprintf("%s cannot change a patient it already holds; change it in %s itself", slug, slug)
}

// storedAndNew are the record's parameters as stored and as the write
// leaves them, by internal name (an appointment's patient by its local id,
// so that moving it to another patient shows).
func (m *Manager) storedAndNew(ctx context.Context, t *models.Tenant, w *write) (map[string]any, map[string]any, error) {
	if w.patient != nil {
		p, err := t.Patient(ctx, w.patient.ID)
		if err != nil {
			return nil, nil, err
		}
		return patientParams(p), patientParams(w.patient), nil
	}
	a, err := t.Appointment(ctx, w.appointment.ID)
	if err != nil {
		return nil, nil, err
	}
	return appointmentParams(a, strconv.FormatInt(a.PatientID, 10)),
		appointmentParams(w.appointment, strconv.FormatInt(w.appointment.PatientID, 10)), nil
}

// changedKeys are the names whose values differ between a and b, sorted.
func changedKeys(a, b map[string]any) []string {
	var out []string
	for k := range a {
		if !reflect.DeepEqual(a[k], b[k]) {
			out = append(out, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// checkParams are the record's parameters by internal name (an
// appointment's with its patient's name, phone and email). An appointment
// whose patient is not in the external system yet is checked with its
// local patient id standing in (linked false): the patient's delivery
// comes first and brings the real one; for a configuration without
// patient nothing will, so none stands in.
func (m *Manager) checkParams(ctx context.Context, t *models.Tenant, tg *target, w *write) (map[string]any, bool, error) {
	if w.patient != nil {
		return patientParams(w.patient), true, nil
	}
	a := w.appointment
	pat, err := t.Patient(ctx, a.PatientID)
	if err != nil && !apperr.IsNotFound(err) {
		return nil, false, err
	}
	ref, err := t.ExternalRef(ctx, tg.cfg.IntegrationID, definition.EntityPatient, a.PatientID)
	switch {
	case err == nil:
		return withPatient(appointmentParams(a, ref.ExternalID), pat), true, nil
	case !apperr.IsNotFound(err):
		return nil, false, err
	case !tg.cfg.Syncs(definition.EntityPatient):
		return withPatient(appointmentParams(a, ""), pat), true, nil
	}
	return withPatient(appointmentParams(a, strconv.FormatInt(a.PatientID, 10)), pat), false, nil
}
