package syncer

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/models"
)

// applyPatient writes an external patient change and returns the local
// id and the version now in step.
func (m *Manager) applyPatient(ctx context.Context, t *models.Tenant, c *Change, known bool, ref *models.ExternalRef) (int64, int64, error) {
	if !known {
		p := &models.Patient{}
		if err := setPatient(p, c.Data); err != nil {
			return 0, 0, err
		}
		if p.FirstName == "" && p.LastName == "" {
			return 0, 0, apperr.Validation(apperr.FieldError{Field: "data.last_name", Message: "is required for a new patient"})
		}
		if err := t.CreatePatient(ctx, p); err != nil {
			return 0, 0, err
		}
		return p.ID, p.Version, nil
	}
	p, err := t.Patient(ctx, ref.LocalID)
	if apperr.IsNotFound(err) {
		return 0, 0, errGone
	}
	if err != nil {
		return 0, 0, err
	}
	if c.Deleted {
		if err := t.DeletePatient(ctx, p.ID); err != nil {
			return 0, 0, err
		}
		return p.ID, p.Version + 1, nil
	}
	before := *p
	if err := setPatient(p, c.Data); err != nil {
		return 0, 0, err
	}
	if models.SameFields(models.PatientFields, &before, p) {
		return p.ID, p.Version, nil
	}
	if err := t.UpdatePatient(ctx, p); err != nil {
		return 0, 0, err
	}
	return p.ID, p.Version, nil
}

// setPatient overlays the fields data carries (by internal name).
func setPatient(p *models.Patient, data map[string]any) error {
	return setText(models.PatientFields, p, data)
}

// noDate is the date an external system sends for "no date" (Open
// Dental's empty birthdate, .NET's DateTime.MinValue): the record has none.
const noDate = "0001-01-01"

// setText overlays the text fields data carries (by internal name); a
// status that is not one of the statuses is ignored, a date of noDate is
// none, and fields kept in lower case are lowered. A value no field takes
// (too long, control characters) refuses the change, naming the field,
// as the records service refuses it from a form or the API.
func setText[R any](fields []models.Field[R], r *R, data map[string]any) error {
	var bad []apperr.FieldError
	for _, f := range fields {
		if f.Text == nil {
			continue
		}
		dst := f.Text(r)
		if v, ok := data[f.Name]; ok {
			s := text(v)
			if msg := f.TextProblem(s); msg != "" {
				bad = append(bad, apperr.FieldError{Field: "data." + f.Name, Message: msg})
				continue
			}
			if f.Kind == models.KindDate && strings.HasPrefix(s, noDate) {
				s = ""
			}
			if f.Kind == models.KindStatus {
				s = strings.ToLower(s)
			}
			if f.Kind != models.KindStatus || slices.Contains(models.AppointmentStatuses, s) {
				*dst = s
			}
		}
		if f.Lower {
			*dst = strings.ToLower(*dst)
		}
	}
	if len(bad) > 0 {
		return apperr.Validation(bad...)
	}
	return nil
}

// applyAppointment writes an external appointment change.
func (m *Manager) applyAppointment(ctx context.Context, t *models.Tenant, cfg *models.SyncConfig, c *Change, known bool, ref *models.ExternalRef) (int64, int64, error) {
	a := &models.Appointment{Status: models.StatusScheduled}
	if known {
		cur, err := t.Appointment(ctx, ref.LocalID)
		if apperr.IsNotFound(err) {
			return 0, 0, errGone
		}
		if err != nil {
			return 0, 0, err
		}
		a = cur
	}
	before := *a
	if err := m.setAppointment(ctx, t, cfg, a, c.Data); err != nil {
		return 0, 0, err
	}
	if c.Deleted {
		a.Status = models.StatusCancelled
	}
	if !known {
		if err := m.newAppointmentDefaults(ctx, t, cfg, a, c.Data); err != nil {
			return 0, 0, err
		}
		if a.PatientID == 0 || a.Start.IsZero() {
			return 0, 0, apperr.Validation(apperr.FieldError{Field: "data", Message: "a new appointment needs a known patient_id and start"})
		}
		if err := t.CreateAppointment(ctx, a); err != nil {
			return 0, 0, err
		}
		return a.ID, a.Version, nil
	}
	if models.SameFields(models.AppointmentFields, &before, a) {
		return a.ID, a.Version, nil
	}
	if err := t.UpdateAppointment(ctx, a); err != nil {
		return 0, 0, err
	}
	return a.ID, a.Version, nil
}

// setAppointment overlays the fields data carries; patient_id is the
// patient's external id and is turned into the local one.
func (m *Manager) setAppointment(ctx context.Context, t *models.Tenant, cfg *models.SyncConfig, a *models.Appointment, data map[string]any) error {
	if v, ok := data["patient_id"]; ok {
		ref, err := t.ExternalRefByExternalID(ctx, cfg.IntegrationID, definition.EntityPatient, text(v))
		if err != nil && !apperr.IsNotFound(err) {
			return err
		}
		if err == nil {
			a.PatientID = ref.LocalID
		}
	}
	if err := setText(models.AppointmentFields, a, data); err != nil {
		return err
	}
	if v, ok := data["duration_minutes"]; ok {
		if n, err := strconv.Atoi(text(v)); err == nil && n > 0 {
			a.DurationMinutes = n
		}
	} else if p, ok := data["Pattern"].(string); ok && p != "" {
		a.DurationMinutes = 5 * len(p) // Open Dental: one character per 5 minutes
	}
	if v, ok := data["start"]; ok {
		if ts, ok := parseTime(text(v)); ok {
			a.Start = ts
		}
	}
	if v, ok := data["end"]; ok {
		if ts, ok := parseTime(text(v)); ok {
			a.End = ts
		}
	}
	_, hasMinutes := data["duration_minutes"]
	if _, hasEnd := data["end"]; (hasEnd && !hasMinutes && a.End.After(a.Start)) || a.DurationMinutes <= 0 {
		// An end and no minutes (a calendar event): the minutes follow the
		// end, also when the event was made longer or shorter.
		a.DurationMinutes = 30
		if a.End.After(a.Start) {
			a.DurationMinutes = int(a.End.Sub(a.Start) / time.Minute)
		}
	}
	if _, ok := data["end"]; !ok && !a.Start.IsZero() {
		a.End = a.Start.Add(time.Duration(a.DurationMinutes) * time.Minute)
	}
	// Held to the records' longest span (the slot check relies on it).
	if a.DurationMinutes = min(a.DurationMinutes, int(models.MaxAppointmentSpan/time.Minute)); a.End.Sub(a.Start) > models.MaxAppointmentSpan {
		a.End = a.Start.Add(models.MaxAppointmentSpan)
	}
	return nil
}

func parseTime(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if ts, err := time.Parse(layout, s); err == nil {
			return ts.UTC(), true
		}
	}
	return time.Time{}, false
}

// text renders a JSON value as a string field.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	default:
		return fmt.Sprint(scalar(x))
	}
}

// newAppointmentDefaults completes an appointment brought in from an
// appointment-only source (a calendar, whose configuration does not sync
// patients): the configuration's provider_ref and operatory_ref defaults
// fill what the change does not say, and without a known patient the
// appointment goes to the patient whose email the change names
// (patient_email), else to the integration's own placeholder patient
// (see calendarPatient), its summary kept as the notes when it has none.
func (m *Manager) newAppointmentDefaults(ctx context.Context, t *models.Tenant, cfg *models.SyncConfig, a *models.Appointment, data map[string]any) error {
	defaults := cfg.DefaultsMap()
	if a.ProviderRef == "" {
		a.ProviderRef = defaults["provider_ref"]
	}
	if a.OperatoryRef == "" {
		a.OperatoryRef = defaults["operatory_ref"]
	}
	if a.PatientID != 0 || cfg.Syncs(definition.EntityPatient) {
		return nil
	}
	if email := strings.ToLower(strings.TrimSpace(text(data[ParamPatientEmail]))); email != "" {
		ps, err := t.Patients(ctx, models.PatientFilter{Search: email, Limit: 20})
		if err != nil {
			return err
		}
		for _, p := range ps {
			if strings.EqualFold(p.Email, email) {
				a.PatientID = p.ID
				return nil
			}
		}
	}
	id, err := m.calendarPatient(ctx, t, cfg)
	if err != nil {
		return err
	}
	a.PatientID = id
	if a.Notes == "" {
		a.Notes = strings.TrimSpace(text(data["summary"]))
	}
	return nil
}

// calendarPatient is the local patient that holds the appointments an
// appointment-only source brings in without naming a patient (events made
// in the calendar itself): one per integration, named after it ("Google
// Calendar", last name "events"), linked to it by the external id
// calendarPatientID so that renaming it keeps the link.
func (m *Manager) calendarPatient(ctx context.Context, t *models.Tenant, cfg *models.SyncConfig) (int64, error) {
	ref, err := t.ExternalRefByExternalID(ctx, cfg.IntegrationID, definition.EntityPatient, calendarPatientID)
	if err == nil {
		if _, perr := t.Patient(ctx, ref.LocalID); perr == nil {
			return ref.LocalID, nil
		}
	} else if !apperr.IsNotFound(err) {
		return 0, err
	}
	name := "Calendar"
	if in, err := t.Integration(ctx, cfg.IntegrationID); err == nil && in.Name != "" {
		name = in.Name
	}
	p := &models.Patient{FirstName: name, LastName: "events"}
	if err := t.CreatePatient(ctx, p); err != nil {
		return 0, err
	}
	now := m.now()
	err = t.SaveExternalRef(ctx, &models.ExternalRef{IntegrationID: cfg.IntegrationID, Entity: definition.EntityPatient, LocalID: p.ID,
		ExternalID: calendarPatientID, ExternalUpdatedAt: &now, SyncedVersion: p.Version})
	return p.ID, err
}

// calendarPatientID is the external id that links an integration to its
// placeholder patient (no upstream record has it).
const calendarPatientID = "switchboard:calendar-events"
