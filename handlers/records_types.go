package handlers

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"switchboard/clock"
	"switchboard/integrations/syncer"
	"switchboard/models"
	"switchboard/records"
	"switchboard/web/session"
)

// PatientRequest is the body of POST and PATCH /api/patients. A field left
// out of a PATCH keeps its value. The fields and their checks are those of
// models.PatientFields (a test keeps the two in step).
type PatientRequest struct {
	// FirstName is required, at most 100 characters.
	FirstName *string `json:"first_name"`
	// LastName is required, at most 100 characters.
	LastName *string `json:"last_name"`
	// Birthdate is a date, YYYY-MM-DD.
	Birthdate *string `json:"birthdate"`
	// Phone holds digits, spaces and + ( ) - .
	Phone *string `json:"phone"`
	// Email is an email address.
	Email       *string `json:"email"`
	Gender      *string `json:"gender"`
	AddressLine *string `json:"address_line"`
	City        *string `json:"city"`
	State       *string `json:"state"`
	PostalCode  *string `json:"postal_code"`
}

// AppointmentRequest is the body of POST and PATCH /api/appointments. A
// field left out of a PATCH keeps its value; end and duration_minutes are
// derived from each other. The fields are those of
// models.AppointmentFields.
type AppointmentRequest struct {
	// PatientID is the local patient's id (required).
	PatientID *int64 `json:"patient_id"`
	// Start is an RFC 3339 time, or a local date-time without offset
	// (2006-01-02T15:04) in practice time (required to book).
	Start *string `json:"start"`
	// End is a time as Start, after it; or give DurationMinutes.
	End *string `json:"end"`
	// DurationMinutes is between 1 and 1440.
	DurationMinutes *int    `json:"duration_minutes"`
	ProviderRef     *string `json:"provider_ref"`
	OperatoryRef    *string `json:"operatory_ref"`
	LocationRef     *string `json:"location_ref"`
	AppointmentType *string `json:"appointment_type"`
	// Status is scheduled (when left out), confirmed, cancelled,
	// completed or no_show.
	Status *string `json:"status"`
	Notes  *string `json:"notes"`
}

// PatientAnswer is a patient with its sync state per integration.
type PatientAnswer struct {
	*models.Patient
	Sync []syncer.State `json:"sync"`
}

// AppointmentAnswer is an appointment with its sync state per integration.
type AppointmentAnswer struct {
	*models.Appointment
	Sync []syncer.State `json:"sync"`
}

// DeletedAnswer is the answer of a delete.
type DeletedAnswer struct {
	Deleted bool           `json:"deleted"`
	ID      int64          `json:"id"`
	Sync    []syncer.State `json:"sync"`
}

// valuesOf lists the fields a request struct gives (non-nil pointers) by
// their JSON name, as text, for the records service.
func valuesOf(req any) records.Values {
	v := reflect.ValueOf(req)
	out := records.Values{}
	for i := range v.NumField() {
		f := v.Field(i)
		if f.Kind() != reflect.Pointer || f.IsNil() {
			continue
		}
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
		switch e := f.Elem(); e.Kind() {
		case reflect.String:
			out[name] = e.String()
		case reflect.Int, reflect.Int64:
			out[name] = strconv.FormatInt(e.Int(), 10)
		}
	}
	return out
}

// practiceZone is the time zone of the request's organization (loaded
// with the principal), in which answers and pages show times.
func practiceZone(c echo.Context) clock.Zone {
	if p := session.From(c); p != nil && p.Org != nil {
		return p.Org.Zone()
	}
	return clock.UTC()
}

// inZone returns the records with their times in the zone.
func inZone[R interface{ In(clock.Zone) *R }](rs []R, z clock.Zone) []R {
	out := make([]R, len(rs))
	for i := range rs {
		out[i] = *rs[i].In(z)
	}
	return out
}
