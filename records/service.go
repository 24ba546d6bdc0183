// Package records is the records service: local patients and
// appointments, validated against their field tables (models.PatientFields,
// models.AppointmentFields) and written through the syncer's write path,
// which commits the local row and its sync jobs together. The staff pages
// and the JSON API both call it.
package records

import (
	"context"

	"slices"
	"strconv"
	"strings"
	"switchboard/accounts"
	"switchboard/clock"
	"time"

	"switchboard/integrations/definition"
	"switchboard/integrations/syncer"
	"switchboard/models"
)

// Values are the fields a request gives, by internal name, as text. A
// field left out keeps its value (PATCH semantics).
type Values map[string]string

// LastSteps gives the last steps of a write once its record is known (see
// syncer.LastStep): the JSON API stores an idempotent answer this way. nil
// gives none.
type LastSteps[R any] func(r *R) []syncer.LastStep

func (s LastSteps[R]) of(r *R) []syncer.LastStep {
	if s == nil {
		return nil
	}
	return s(r)
}

// Service is the records service of the organizations' patients and
// appointments.
type Service struct {
	store *models.Store
	sync  *syncer.Manager
	refs  ReferenceLists
	audit *accounts.Audit
}

// New returns the records service.
func New(store *models.Store, sync *syncer.Manager) *Service {
	return &Service{store: store, sync: sync}
}

// Patient returns one patient of the organization.
func (s *Service) Patient(ctx context.Context, orgID, id int64) (*models.Patient, error) {
	return s.store.Tenant(orgID).Patient(ctx, id)
}

// Patients lists the organization's patients (cursor paging).
func (s *Service) Patients(ctx context.Context, orgID int64, f models.PatientFilter) ([]models.Patient, error) {
	return s.store.Tenant(orgID).Patients(ctx, f)
}

// CreatePatient validates the values and creates the patient.
func (s *Service) CreatePatient(ctx context.Context, orgID int64, in Values, last LastSteps[models.Patient]) (*models.Patient, []syncer.State, error) {
	ctx = models.WithReadMemo(ctx) // the organization and sync configurations, read once
	p := &models.Patient{}
	if err := applyPatient(p, in); err != nil {
		return nil, nil, err
	}
	if err := s.sync.CheckPatient(ctx, orgID, p, models.OpCreate); err != nil {
		return p, nil, err
	}
	details := fieldChanges(models.PatientFields, nil, p, clock.UTC())
	states, err := s.sync.CreatePatient(ctx, orgID, p, s.audited(ctx, last.of(p), TargetPatient, func() (accounts.Action, int64, map[string]any) {
		return accounts.ActionPatientCreated, p.ID, details
	})...)
	return p, states, err
}

// UpdatePatient overlays the values given on the patient, validates it
// and saves it.
func (s *Service) UpdatePatient(ctx context.Context, orgID, id int64, in Values, last LastSteps[models.Patient]) (*models.Patient, []syncer.State, error) {
	ctx = models.WithReadMemo(ctx) // the organization and sync configurations, read once
	p, err := s.Patient(ctx, orgID, id)
	if err != nil {
		return nil, nil, err
	}
	before := *p
	if err := applyPatient(p, in); err != nil {
		return p, nil, err
	}
	if err := s.sync.CheckPatient(ctx, orgID, p, models.OpUpdate); err != nil {
		return p, nil, err
	}
	details := fieldChanges(models.PatientFields, &before, p, clock.UTC())
	action := accounts.ActionPatientUpdated
	if details == nil {
		action = ""
	}
	states, err := s.sync.UpdatePatient(ctx, orgID, p, s.audited(ctx, last.of(p), TargetPatient, func() (accounts.Action, int64, map[string]any) {
		return action, p.ID, details
	})...)
	return p, states, err
}

// DeletePatient deletes the patient.
func (s *Service) DeletePatient(ctx context.Context, orgID, id int64, last LastSteps[models.Patient]) ([]syncer.State, error) {
	p, err := s.Patient(ctx, orgID, id)
	if err != nil {
		return nil, err
	}
	details := map[string]any{"name": p.FirstName + " " + p.LastName}
	return s.sync.DeletePatient(ctx, orgID, p.ID, s.audited(ctx, last.of(p), TargetPatient, func() (accounts.Action, int64, map[string]any) {
		return accounts.ActionPatientDeleted, p.ID, details
	})...)
}

// PatientStates returns the patient's sync state per integration.
func (s *Service) PatientStates(ctx context.Context, orgID, id int64) ([]syncer.State, error) {
	return s.sync.States(ctx, orgID, definition.EntityPatient, id)
}

// PatientStatesOf returns the sync states of many patients, by id, in a
// few queries.
func (s *Service) PatientStatesOf(ctx context.Context, orgID int64, ps []models.Patient) (map[int64][]syncer.State, error) {
	ids := make([]int64, len(ps))
	for i := range ps {
		ids[i] = ps[i].ID
	}
	return s.sync.StatesOf(ctx, orgID, definition.EntityPatient, ids)
}

// AppointmentStatesOf returns the sync states of many appointments, by
// id, in a few queries.
func (s *Service) AppointmentStatesOf(ctx context.Context, orgID int64, as []models.Appointment) (map[int64][]syncer.State, error) {
	ids := make([]int64, len(as))
	for i := range as {
		ids[i] = as[i].ID
	}
	return s.sync.StatesOf(ctx, orgID, definition.EntityAppointment, ids)
}

// AppointmentStates returns the appointment's sync state per integration.
func (s *Service) AppointmentStates(ctx context.Context, orgID, id int64) ([]syncer.State, error) {
	return s.sync.States(ctx, orgID, definition.EntityAppointment, id)
}

// WaitFirstAttempt waits up to d for the first attempt of each of the
// record's newest jobs, then returns its states.
func (s *Service) WaitFirstAttempt(ctx context.Context, orgID int64, entity string, id int64, d time.Duration) ([]syncer.State, error) {
	return s.sync.WaitFirstAttempt(ctx, orgID, entity, id, d)
}

// PatientChoiceLimit is how many patients a picker search answers.
const PatientChoiceLimit = 20

// PatientChoices finds the patients whose name, email or phone contains
// q (all of them, by id, when q is blank) for a patient picker: at most
// PatientChoiceLimit, and whether more match.
//
// The patient of selected (an id, as a form sends it), when there is one,
// is among them even when q does not find it, and found says so.
func (s *Service) PatientChoices(ctx context.Context, orgID int64, q, selected string) (ps []models.Patient, more, found bool, err error) {
	ps, err = s.Patients(ctx, orgID, models.PatientFilter{Search: strings.TrimSpace(q), Limit: PatientChoiceLimit + 1})
	if err != nil {
		return nil, false, false, err
	}
	if more = len(ps) > PatientChoiceLimit; more {
		ps = ps[:PatientChoiceLimit]
	}
	id, perr := strconv.ParseInt(selected, 10, 64)
	if perr != nil {
		return ps, more, false, nil
	}
	p, err := s.Patient(ctx, orgID, id)
	if err != nil {
		return ps, more, false, nil // a patient gone is no longer chosen
	}
	if !slices.ContainsFunc(ps, func(x models.Patient) bool { return x.ID == id }) {
		ps = append([]models.Patient{*p}, ps...)
	}
	return ps, more, true, nil
}

// NotYetSynced waits up to d for the first sync attempts of a record just
// written and names the integrations it has not reached yet (their names,
// not slugs), for the flash message that follows a booking.
func (s *Service) NotYetSynced(ctx context.Context, orgID int64, entity string, id int64, states []syncer.State, d time.Duration) []string {
	if len(states) == 0 {
		return nil
	}
	if st, err := s.WaitFirstAttempt(ctx, orgID, entity, id, d); err == nil {
		states = st
	}
	var names []string
	for _, st := range states {
		if st.Status == "synced" || st.Status == "dismissed" {
			continue
		}
		name := st.Integration
		if in, err := s.store.Tenant(orgID).IntegrationBySlug(ctx, st.Integration); err == nil && in.Name != "" {
			name = in.Name
		}
		names = append(names, name)
	}
	return names
}
