package records

import (
	"context"
	"strconv"
	"strings"
	"time"

	"switchboard/accounts"
	"switchboard/apperr"
	"switchboard/clock"
	"switchboard/integrations/syncer"
	"switchboard/models"
)

// Appointment returns one appointment of the organization.
func (s *Service) Appointment(ctx context.Context, orgID, id int64) (*models.Appointment, error) {
	return s.store.Tenant(orgID).Appointment(ctx, id)
}

// Appointments lists the organization's appointments (cursor paging).
func (s *Service) Appointments(ctx context.Context, orgID int64, f models.AppointmentFilter) ([]models.Appointment, error) {
	return s.store.Tenant(orgID).Appointments(ctx, f)
}

// CreateAppointment validates the values and books the appointment; an
// unknown patient is a validation error of patient_id.
func (s *Service) CreateAppointment(ctx context.Context, orgID int64, in Values, last LastSteps[models.Appointment]) (*models.Appointment, []syncer.State, error) {
	ctx = models.WithReadMemo(ctx) // the organization and sync configurations, read once
	org, err := s.store.Tenant(orgID).Organization(ctx)
	if err != nil {
		return nil, nil, err
	}
	in, allow, err := takeAllow(in)
	if err != nil {
		return nil, nil, err
	}
	a := &models.Appointment{}
	if err := applyAppointment(a, in, true, org.Zone()); err != nil {
		return nil, nil, err
	}
	if err := s.checkAppointment(ctx, orgID, a, models.OpCreate, guard{org: org, allow: allow, now: time.Now()}); err != nil {
		return a, nil, err
	}
	details := fieldChanges(models.AppointmentFields, nil, a, org.Zone())
	states, err := s.sync.CreateAppointment(ctx, orgID, a, s.audited(ctx, last.of(a), TargetAppointment, func() (accounts.Action, int64, map[string]any) {
		return accounts.ActionAppointmentCreated, a.ID, details
	})...)
	return a, states, err
}

// UpdateAppointment overlays the values given on the appointment, derives
// its end or duration from the other, validates it and saves it.
func (s *Service) UpdateAppointment(ctx context.Context, orgID, id int64, in Values, last LastSteps[models.Appointment]) (*models.Appointment, []syncer.State, error) {
	ctx = models.WithReadMemo(ctx) // the organization and sync configurations, read once
	org, err := s.store.Tenant(orgID).Organization(ctx)
	if err != nil {
		return nil, nil, err
	}
	in, allow, err := takeAllow(in)
	if err != nil {
		return nil, nil, err
	}
	a, err := s.Appointment(ctx, orgID, id)
	if err != nil {
		return nil, nil, err
	}
	before := *a
	if err := applyAppointment(a, in, false, org.Zone()); err != nil {
		return a, nil, err
	}
	if before.Status == models.StatusCancelled && moved(&before, a) {
		return a, nil, apperr.New(apperr.CodeAppointmentCancelled,
			"appointment %d is cancelled: it cannot be moved; book a new appointment instead", a.ID)
	}
	if err := s.checkAppointment(ctx, orgID, a, models.OpUpdate, guard{org: org, before: &before, allow: allow, now: time.Now()}); err != nil {
		return a, nil, err
	}
	details := fieldChanges(models.AppointmentFields, &before, a, org.Zone())
	action := accounts.ActionAppointmentUpdated
	switch {
	case details == nil:
		action = ""
	case a.Status == models.StatusCancelled && before.Status != models.StatusCancelled:
		action = accounts.ActionAppointmentCancelled
	case moved(&before, a):
		action = accounts.ActionAppointmentMoved
	}
	states, err := s.sync.UpdateAppointment(ctx, orgID, a, s.audited(ctx, last.of(a), TargetAppointment, func() (accounts.Action, int64, map[string]any) {
		return action, a.ID, details
	})...)
	return a, states, err
}

// CancelAppointment cancels the appointment (the sync mapping's delete
// function runs in the external systems) and returns it cancelled; the
// last steps are given the appointment as the transaction cancels it.
func (s *Service) CancelAppointment(ctx context.Context, orgID, id int64, last LastSteps[models.Appointment]) (*models.Appointment, []syncer.State, error) {
	ctx = models.WithReadMemo(ctx) // the organization and sync configurations, read once
	a, err := s.Appointment(ctx, orgID, id)
	if err != nil {
		return nil, nil, err
	}
	if a.Status == models.StatusCancelled {
		return s.alreadyCancelled(ctx, orgID, a, last)
	}
	after := *a
	after.Status = models.StatusCancelled
	details := fieldChanges(models.AppointmentFields, a, &after, s.zoneOf(ctx, orgID))
	states, err := s.sync.CancelAppointment(ctx, orgID, a, s.audited(ctx, last.of(a), TargetAppointment, func() (accounts.Action, int64, map[string]any) {
		return accounts.ActionAppointmentCancelled, a.ID, details
	})...)
	if err != nil {
		return nil, nil, err
	}
	return a, states, nil
}

// alreadyCancelled answers the cancel of a cancelled appointment (a retry,
// say): the appointment as it is and its sync states; nothing is written
// or sent again. The last steps still run, so an Idempotency-Key keeps
// this answer.
func (s *Service) alreadyCancelled(ctx context.Context, orgID int64, a *models.Appointment, last LastSteps[models.Appointment]) (*models.Appointment, []syncer.State, error) {
	states, err := s.AppointmentStates(ctx, orgID, a.ID)
	if err != nil {
		return nil, nil, err
	}
	steps := last.of(a)
	err = s.store.Tenant(orgID).InTx(ctx, func(tx *models.Tenant) error {
		for _, step := range steps {
			if err := step(ctx, tx, states); err != nil {
				return err
			}
		}
		return nil
	})
	return a, states, err
}

// moved reports whether an update changes when, with whom or where the
// appointment is.
func moved(before, after *models.Appointment) bool {
	return !before.Start.Equal(after.Start) || !before.End.Equal(after.End) ||
		before.ProviderRef != after.ProviderRef || before.OperatoryRef != after.OperatoryRef || before.LocationRef != after.LocationRef
}

// applyAppointment copies the values given onto a, derives end or
// duration from the other and validates the result; times without an
// offset are practice time in zone.
func applyAppointment(a *models.Appointment, in Values, creating bool, zone clock.Zone) error {
	bad := unknownFields(models.AppointmentFields, in)
	setText(models.AppointmentFields, a, in)
	if v, ok := in["patient_id"]; ok {
		if id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
			a.PatientID = id
		}
	}
	bad = append(bad, setTimes(a, in, creating, zone)...)
	if a.Status == "" {
		a.Status = models.StatusScheduled
	}
	bad = append(bad, check(models.AppointmentFields, a)...)
	if len(bad) > 0 {
		return apperr.Validation(bad...)
	}
	return nil
}

// PatientNames names the patients of the appointments, by id, in one
// query; a patient since deleted has no name.
func (s *Service) PatientNames(ctx context.Context, orgID int64, as []models.Appointment) (map[int64]string, error) {
	names := make(map[int64]string, len(as))
	ids := make([]int64, 0, len(as))
	for _, a := range as {
		if _, seen := names[a.PatientID]; !seen {
			names[a.PatientID] = ""
			ids = append(ids, a.PatientID)
		}
	}
	ps, err := s.store.Tenant(orgID).PatientsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		names[p.ID] = p.FirstName + " " + p.LastName
	}
	return names, nil
}
