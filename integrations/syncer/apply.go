package syncer

import (
	"context"
	"encoding/json"
	"fmt"
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
		setPatient(p, c.Data)
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
	setPatient(p, c.Data)
	if samePatient(&before, p) {
		return p.ID, p.Version, nil
	}
	if err := t.UpdatePatient(ctx, p); err != nil {
		return 0, 0, err
	}
	return p.ID, p.Version, nil
}

func samePatient(a, b *models.Patient) bool {
	return a.FirstName == b.FirstName && a.LastName == b.LastName && a.Birthdate == b.Birthdate && a.Phone == b.Phone &&
		a.Email == b.Email && a.Gender == b.Gender && a.AddressLine == b.AddressLine && a.City == b.City &&
		a.State == b.State && a.PostalCode == b.PostalCode
}

// setPatient overlays the fields data carries (by internal name).
func setPatient(p *models.Patient, data map[string]any) {
	fields := map[string]*string{
		"first_name": &p.FirstName, "last_name": &p.LastName, "birthdate": &p.Birthdate, "phone": &p.Phone,
		"email": &p.Email, "gender": &p.Gender, "address_line": &p.AddressLine, "city": &p.City,
		"state": &p.State, "postal_code": &p.PostalCode,
	}
	for name, dst := range fields {
		if v, ok := data[name]; ok {
			*dst = text(v)
		}
	}
	p.Gender = strings.ToLower(p.Gender)
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
		if a.PatientID == 0 || a.Start.IsZero() {
			return 0, 0, apperr.Validation(apperr.FieldError{Field: "data", Message: "a new appointment needs a known patient_id and start"})
		}
		if err := t.CreateAppointment(ctx, a); err != nil {
			return 0, 0, err
		}
		return a.ID, a.Version, nil
	}
	if sameAppointment(&before, a) {
		return a.ID, a.Version, nil
	}
	if err := t.UpdateAppointment(ctx, a); err != nil {
		return 0, 0, err
	}
	return a.ID, a.Version, nil
}

func sameAppointment(a, b *models.Appointment) bool {
	return a.PatientID == b.PatientID && a.Start.Equal(b.Start) && a.End.Equal(b.End) && a.DurationMinutes == b.DurationMinutes &&
		a.ProviderRef == b.ProviderRef && a.OperatoryRef == b.OperatoryRef && a.LocationRef == b.LocationRef &&
		a.AppointmentType == b.AppointmentType && a.Status == b.Status && a.Notes == b.Notes
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
	strs := map[string]*string{"provider_ref": &a.ProviderRef, "operatory_ref": &a.OperatoryRef, "location_ref": &a.LocationRef,
		"appointment_type": &a.AppointmentType, "notes": &a.Notes}
	for name, dst := range strs {
		if v, ok := data[name]; ok {
			*dst = text(v)
		}
	}
	if v, ok := data["status"]; ok {
		switch s := strings.ToLower(text(v)); s {
		case models.StatusScheduled, models.StatusConfirmed, models.StatusCancelled, models.StatusCompleted, models.StatusNoShow:
			a.Status = s
		}
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
	if a.DurationMinutes <= 0 {
		a.DurationMinutes = 30
		if a.End.After(a.Start) {
			a.DurationMinutes = int(a.End.Sub(a.Start) / time.Minute)
		}
	}
	if _, ok := data["end"]; !ok && !a.Start.IsZero() {
		a.End = a.Start.Add(time.Duration(a.DurationMinutes) * time.Minute)
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
