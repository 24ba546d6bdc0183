package api

import (
	"reflect"
	"strconv"
	"strings"

	"switchboard/clock"
	"switchboard/integrations/reference"
	"switchboard/integrations/syncer"
	"switchboard/models"
	"switchboard/records"
	"switchboard/web"
)

// PatientRequest is the body of POST and PATCH /api/patients. A field left
// out of a PATCH keeps its value. The fields and their checks are those of
// models.PatientFields (a test keeps the two in step).
type PatientRequest struct {
	// FirstName is required, at most 100 characters.
	FirstName *string `json:"first_name" doc:"First name (required to create), at most 100 characters." required:"create"`
	// LastName is required, at most 100 characters.
	LastName *string `json:"last_name" doc:"Last name (required to create), at most 100 characters." required:"create"`
	// Birthdate is a date, YYYY-MM-DD (also read as date_of_birth).
	Birthdate *string `json:"birthdate" alias:"date_of_birth" doc:"Date of birth, YYYY-MM-DD."`
	// Phone holds digits, spaces and + ( ) - .
	Phone *string `json:"phone" doc:"Phone number: digits, spaces and + ( ) - . (searched by its digits)."`
	// Email is an email address.
	Email       *string `json:"email" doc:"E-mail address."`
	Gender      *string `json:"gender" doc:"Gender as the practice records it (male, female, other, unknown)."`
	AddressLine *string `json:"address_line" doc:"Street address."`
	City        *string `json:"city" doc:"City."`
	State       *string `json:"state" doc:"State or region."`
	PostalCode  *string `json:"postal_code" doc:"Postal code."`
}

// AppointmentRequest is the body of POST and PATCH /api/appointments. A
// field left out of a PATCH keeps its value; end and duration_minutes are
// derived from each other. The fields are those of
// models.AppointmentFields.
type AppointmentRequest struct {
	// PatientID is the local patient's id (required).
	PatientID *int64 `json:"patient_id" doc:"Switchboard's patient id (required to book), not a practice system's patient number." required:"create"`
	// Start is an RFC 3339 time, or a local date-time without offset
	// (2006-01-02T15:04) in practice time (required to book). Also read
	// as appointment_datetime.
	Start *string `json:"start" alias:"appointment_datetime" doc:"Start, in practice time: RFC 3339 with an offset, or a local date-time without one (2026-12-15T10:30) meaning the practice's clock. Required to book." required:"create"`
	// End is a time as Start, after it; or give DurationMinutes.
	End *string `json:"end" doc:"End, as start (practice time); or give duration_minutes." required:"create,anyof:end"`
	// DurationMinutes is between 1 and 1440. ProviderRef and OperatoryRef
	// are also read as provider_id and operatory_id (a number is read as
	// its digits).
	DurationMinutes *int    `json:"duration_minutes" doc:"Length in minutes, 1 to 1440 (derived from end when left out)." required:"create,anyof:duration"`
	ProviderRef     *string `json:"provider_ref" alias:"provider_id" doc:"The practice system's provider id (GET /api/reference/providers); refused when its list does not hold it."`
	OperatoryRef    *string `json:"operatory_ref" alias:"operatory_id" doc:"The practice system's operatory (chair) id; left out where one is needed, a free one is chosen."`
	LocationRef     *string `json:"location_ref" doc:"The practice system's location id."`
	AppointmentType *string `json:"appointment_type" doc:"The practice system's appointment type id."`
	// Status is scheduled (when left out), confirmed, cancelled,
	// completed or no_show.
	Status *string `json:"status" doc:"Status; scheduled when left out." enum:"scheduled,confirmed,cancelled,completed,no_show"`
	Notes  *string `json:"notes" doc:"A note for the practice."`
	// AllowOutsideHours books a start in the past or outside the opening
	// hours on purpose (refused otherwise, naming start). Not stored.
	AllowOutsideHours *bool `json:"allow_outside_hours" doc:"Book a start in the past or outside the opening hours on purpose (refused otherwise, naming start). Not stored."`
}

// PatientAnswer is a patient with its sync state per integration.
type PatientAnswer struct {
	*models.Patient
	Sync []syncer.State `json:"sync" doc:"The patient's sync state in each integration it is delivered to."`
}

// AppointmentAnswer is an appointment with its sync state per integration.
type AppointmentAnswer struct {
	*models.Appointment
	Sync []syncer.State `json:"sync" doc:"The appointment's sync state in each integration it is delivered to."`
}

// DeletedAnswer is the answer of a delete.
type DeletedAnswer struct {
	Deleted bool           `json:"deleted" doc:"Always true: the record was deleted."`
	ID      int64          `json:"id" doc:"The deleted record's id (Switchboard's)."`
	Sync    []syncer.State `json:"sync" doc:"The deletion's sync state in each integration it is delivered to."`
}

// Values lists the fields a request struct gives (non-nil pointers) by
// their JSON name, as text, for the records service.
func Values(req any) records.Values {
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
		case reflect.Bool:
			out[name] = strconv.FormatBool(e.Bool())
		}
	}
	return out
}

// PatientListQuery is the query of GET /api/patients.
type PatientListQuery struct {
	// Q finds patients by name, email or phone.
	Q string `query:"q" doc:"Finds patients by name, e-mail or phone (digits in any format)."`
	// Phone finds patients by the digits of their phone number, whatever
	// its format.
	Phone string `query:"phone" doc:"Finds patients by the digits of their phone number, whatever its format (a leading NANP 1 ignored)."`
	web.PageQuery
}

// AppointmentListQuery is the query of GET /api/appointments.
type AppointmentListQuery struct {
	// From and To are practice time: a day (YYYY-MM-DD, To included) or a
	// date-time (see records.ParseTimeRange).
	From      string `query:"from" doc:"First day (YYYY-MM-DD) or date-time, in practice time."`
	To        string `query:"to" doc:"Last day (YYYY-MM-DD, included) or date-time, in practice time."`
	PatientID int64  `query:"patient_id" invalid:"must be a number" doc:"Only this patient's appointments (Switchboard's patient id)."`
	Status    string `query:"status" doc:"Only appointments of this status." enum:"scheduled,confirmed,cancelled,completed,no_show"`
	web.PageQuery
}

// WaitQuery is the query of the JSON API's record writes.
type WaitQuery struct {
	// Wait, a duration such as 2s (at most 10s), waits for the first sync
	// attempts before answering.
	Wait string `query:"wait" doc:"Wait up to this long (at most 10s) for the first sync attempts before answering."`
}

// AvailabilityQuery is the query of GET /api/availability.
type AvailabilityQuery struct {
	From            string `query:"from" doc:"First day (YYYY-MM-DD) or date-time to search, in practice time."`
	To              string `query:"to" doc:"Last day (included) or date-time to search, in practice time; at most 31 days after from."`
	DurationMinutes string `query:"duration_minutes" doc:"Length of the appointment in minutes."`
	StepMinutes     string `query:"step_minutes" doc:"Minutes between candidate starts (default 15)."`
	ProviderRef     string `query:"provider_ref" doc:"Only slots free for this provider (the practice system's id)."`
	OperatoryRef    string `query:"operatory_ref" doc:"Only slots free in this operatory (the practice system's id)."`
}

// Slot is one free slot, its times in the practice's offset.
type Slot struct {
	Start        string `json:"start" doc:"Start, RFC 3339 with the practice's UTC offset (practice time)."`
	End          string `json:"end" doc:"End, RFC 3339 with the practice's UTC offset (practice time)."`
	ProviderRef  string `json:"provider_ref" doc:"The practice system's provider id free for the slot; empty when none is tracked."`
	OperatoryRef string `json:"operatory_ref" doc:"The practice system's operatory (chair) id free for the slot; empty when none is tracked."`
}

// AvailabilityAnswer is the answer of GET /api/availability.
type AvailabilityAnswer struct {
	Items []Slot `json:"items" doc:"The free slots, earliest first."`
}

// AvailabilityOf is the answer of an availability search, its times in
// the practice's offset.
func AvailabilityOf(av *records.Availability) AvailabilityAnswer {
	out := AvailabilityAnswer{Items: make([]Slot, 0, len(av.Slots))}
	for _, s := range av.Slots {
		out.Items = append(out.Items, Slot{Start: av.Zone.Format(s.Start), End: av.Zone.Format(s.End),
			ProviderRef: s.ProviderRef, OperatoryRef: s.OperatoryRef})
	}
	return out
}

// ReferenceQuery is the query of GET /api/reference/{kind}: the
// integration (slug) to ask; left out, the first enabled sync target that
// lists the kind.
type ReferenceQuery struct {
	Integration string `query:"integration" doc:"The integration (slug) to ask; left out, the first enabled sync target that lists the kind."`
}

// ReferenceAnswer is the answer of GET /api/reference/{kind}.
type ReferenceAnswer struct {
	Integration string           `json:"integration" doc:"The slug of the integration asked."`
	Kind        string           `json:"kind" doc:"The kind of reference data." enum:"providers,operatories,locations,appointment_types"`
	Items       []reference.Item `json:"items" doc:"The list's entries: the practice system's id and a label."`
	Meta        ReferenceMeta    `json:"meta" doc:"Where the list came from."`
}

// ReferenceMeta says whether the list came from the cache.
type ReferenceMeta struct {
	Cached bool `json:"cached" doc:"Whether the list came from the cache rather than the practice system just now."`
}

// PatientsOf are patients with their sync states, their times in z.
func PatientsOf(ps []models.Patient, z clock.Zone, states map[int64][]syncer.State) []PatientAnswer {
	out := make([]PatientAnswer, len(ps))
	for i := range ps {
		out[i] = PatientAnswer{Patient: ps[i].In(z), Sync: states[ps[i].ID]}
	}
	return out
}

// AppointmentsOf are appointments with their sync states, their times in
// z.
func AppointmentsOf(as []models.Appointment, z clock.Zone, states map[int64][]syncer.State) []AppointmentAnswer {
	out := make([]AppointmentAnswer, len(as))
	for i := range as {
		out[i] = AppointmentAnswer{Appointment: as[i].In(z), Sync: states[as[i].ID]}
	}
	return out
}
