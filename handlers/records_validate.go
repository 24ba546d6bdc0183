package handlers

import (
	"net/mail"
	"strings"
	"time"

	"switchboard/apperr"
	"switchboard/models"
)

// patientIn is the body of POST and PATCH /api/patients. Pointers tell a
// field left out of a PATCH from one set to "".
type patientIn struct {
	FirstName   *string `json:"first_name"`
	LastName    *string `json:"last_name"`
	Birthdate   *string `json:"birthdate"`
	Phone       *string `json:"phone"`
	Email       *string `json:"email"`
	Gender      *string `json:"gender"`
	AddressLine *string `json:"address_line"`
	City        *string `json:"city"`
	State       *string `json:"state"`
	PostalCode  *string `json:"postal_code"`
}

// apply copies the given fields onto p and validates the result.
func (in patientIn) apply(p *models.Patient) error {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	set(&p.FirstName, in.FirstName)
	set(&p.LastName, in.LastName)
	set(&p.Birthdate, in.Birthdate)
	set(&p.Phone, in.Phone)
	set(&p.Email, in.Email)
	set(&p.Gender, in.Gender)
	set(&p.AddressLine, in.AddressLine)
	set(&p.City, in.City)
	set(&p.State, in.State)
	set(&p.PostalCode, in.PostalCode)
	var bad []apperr.FieldError
	req := func(field, v string) {
		if v == "" {
			bad = append(bad, apperr.FieldError{Field: field, Message: "is required"})
		}
	}
	req("first_name", p.FirstName)
	req("last_name", p.LastName)
	long := func(field, v string, n int) {
		if len(v) > n {
			bad = append(bad, apperr.FieldError{Field: field, Message: "must be at most " + itoa(n) + " characters"})
		}
	}
	long("first_name", p.FirstName, 100)
	long("last_name", p.LastName, 100)
	long("address_line", p.AddressLine, 200)
	if p.Birthdate != "" {
		if _, err := time.Parse("2006-01-02", p.Birthdate); err != nil {
			bad = append(bad, apperr.FieldError{Field: "birthdate", Message: "must be a date as YYYY-MM-DD"})
		}
	}
	if p.Email != "" {
		if a, err := mail.ParseAddress(p.Email); err != nil || a.Address != p.Email {
			bad = append(bad, apperr.FieldError{Field: "email", Message: "must be an email address"})
		}
	}
	if p.Phone != "" && strings.Trim(p.Phone, "+0123456789 ()-.") != "" {
		bad = append(bad, apperr.FieldError{Field: "phone", Message: "must be a phone number (digits, spaces, + ( ) - .)"})
	}
	if len(bad) > 0 {
		return apperr.Validation(bad...)
	}
	return nil
}

// appointmentIn is the body of POST and PATCH /api/appointments.
type appointmentIn struct {
	PatientID       *int64  `json:"patient_id"`
	Start           *string `json:"start"`
	End             *string `json:"end"`
	DurationMinutes *int    `json:"duration_minutes"`
	ProviderRef     *string `json:"provider_ref"`
	OperatoryRef    *string `json:"operatory_ref"`
	LocationRef     *string `json:"location_ref"`
	AppointmentType *string `json:"appointment_type"`
	Status          *string `json:"status"`
	Notes           *string `json:"notes"`
}

var appointmentStatuses = []string{models.StatusScheduled, models.StatusConfirmed, models.StatusCancelled, models.StatusCompleted, models.StatusNoShow}

// apply copies the given fields onto a, derives end or duration from the
// other, and validates the result.
func (in appointmentIn) apply(a *models.Appointment, creating bool) error {
	var bad []apperr.FieldError
	if in.PatientID != nil {
		a.PatientID = *in.PatientID
	}
	if a.PatientID <= 0 {
		bad = append(bad, apperr.FieldError{Field: "patient_id", Message: "is required"})
	}
	parse := func(field string, v *string, dst *time.Time) bool {
		if v == nil {
			return false
		}
		t, err := time.Parse(time.RFC3339, strings.TrimSpace(*v))
		if err != nil {
			bad = append(bad, apperr.FieldError{Field: field, Message: "must be an RFC 3339 time such as 2026-03-04T09:30:00-05:00"})
			return false
		}
		*dst = t.UTC()
		return true
	}
	startSet := parse("start", in.Start, &a.Start)
	endSet := parse("end", in.End, &a.End)
	if in.Start == nil && creating {
		bad = append(bad, apperr.FieldError{Field: "start", Message: "is required"})
	}
	bad = append(bad, in.span(a, creating, startSet, endSet)...)
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = strings.TrimSpace(*v)
		}
	}
	set(&a.ProviderRef, in.ProviderRef)
	set(&a.OperatoryRef, in.OperatoryRef)
	set(&a.LocationRef, in.LocationRef)
	set(&a.AppointmentType, in.AppointmentType)
	set(&a.Notes, in.Notes)
	set(&a.Status, in.Status)
	if a.Status == "" {
		a.Status = models.StatusScheduled
	}
	ok := false
	for _, s := range appointmentStatuses {
		ok = ok || a.Status == s
	}
	if !ok {
		bad = append(bad, apperr.FieldError{Field: "status", Message: "must be one of " + strings.Join(appointmentStatuses, ", ")})
	}
	if len(bad) > 0 {
		return apperr.Validation(bad...)
	}
	return nil
}

// maxAppointmentMinutes bounds an appointment's length, given as
// duration_minutes or as the span from start to end.
const maxAppointmentMinutes = 24 * 60

// span derives end or duration_minutes from the other once start and end
// are parsed, and reports a span that is not 1 to 1440 whole minutes (an
// end seconds after start gave a duration of 0 minutes) or that disagrees
// with a duration_minutes given beside end.
func (in appointmentIn) span(a *models.Appointment, creating, startSet, endSet bool) []apperr.FieldError {
	var bad []apperr.FieldError
	switch {
	case in.DurationMinutes != nil:
		if *in.DurationMinutes <= 0 || *in.DurationMinutes > maxAppointmentMinutes {
			bad = append(bad, apperr.FieldError{Field: "duration_minutes", Message: "must be between 1 and 1440"})
		} else {
			a.DurationMinutes = *in.DurationMinutes
			if !endSet {
				a.End = a.Start.Add(time.Duration(a.DurationMinutes) * time.Minute)
			} else if a.End.After(a.Start) && int(a.End.Sub(a.Start)/time.Minute) != a.DurationMinutes {
				bad = append(bad, apperr.FieldError{Field: "duration_minutes", Message: "must match the time from start to end"})
			}
		}
	case endSet || (startSet && !creating):
		if !endSet {
			a.End = a.Start.Add(time.Duration(a.DurationMinutes) * time.Minute)
		}
		a.DurationMinutes = int(a.End.Sub(a.Start) / time.Minute)
		if a.End.After(a.Start) && (a.DurationMinutes < 1 || a.DurationMinutes > maxAppointmentMinutes) {
			bad = append(bad, apperr.FieldError{Field: "end", Message: "must be 1 minute to 24 hours after start"})
		}
	case creating && in.Start != nil:
		bad = append(bad, apperr.FieldError{Field: "end", Message: "give end or duration_minutes"})
	}
	if !a.End.IsZero() && !a.End.After(a.Start) {
		bad = append(bad, apperr.FieldError{Field: "end", Message: "must be after start"})
	}
	return bad
}
