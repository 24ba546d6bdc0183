package records

import (
	"context"
	"strconv"
	"strings"

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
	zone, err := s.zone(ctx, orgID)
	if err != nil {
		return nil, nil, err
	}
	a := &models.Appointment{}
	if err := applyAppointment(a, in, true, zone); err != nil {
		return nil, nil, err
	}
	if err := s.sync.CheckAppointment(ctx, orgID, a, models.OpCreate); err != nil {
		return a, nil, err
	}
	states, err := s.sync.CreateAppointment(ctx, orgID, a, last.of(a)...)
	return a, states, err
}

// UpdateAppointment overlays the values given on the appointment, derives
// its end or duration from the other, validates it and saves it.
func (s *Service) UpdateAppointment(ctx context.Context, orgID, id int64, in Values, last LastSteps[models.Appointment]) (*models.Appointment, []syncer.State, error) {
	ctx = models.WithReadMemo(ctx) // the organization and sync configurations, read once
	zone, err := s.zone(ctx, orgID)
	if err != nil {
		return nil, nil, err
	}
	a, err := s.Appointment(ctx, orgID, id)
	if err != nil {
		return nil, nil, err
	}
	if err := applyAppointment(a, in, false, zone); err != nil {
		return a, nil, err
	}
	if err := s.sync.CheckAppointment(ctx, orgID, a, models.OpUpdate); err != nil {
		return a, nil, err
	}
	states, err := s.sync.UpdateAppointment(ctx, orgID, a, last.of(a)...)
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
	states, err := s.sync.CancelAppointment(ctx, orgID, a, last.of(a)...)
	if err != nil {
		return nil, nil, err
	}
	return a, states, nil
}

// zone is the organization's time zone, in which a time given without an
// offset is read: once per write, not once per field.
func (s *Service) zone(ctx context.Context, orgID int64) (clock.Zone, error) {
	o, err := s.store.Tenant(orgID).Organization(ctx)
	if err != nil {
		return clock.Zone{}, err
	}
	return o.Zone(), nil
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
