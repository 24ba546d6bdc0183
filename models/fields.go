package models

import (
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"
)

// FieldKind is what a record field holds and how it is checked.
type FieldKind int

// The kinds of record fields.
const (
	// KindText is free text.
	KindText FieldKind = iota
	// KindDate is a calendar date, YYYY-MM-DD.
	KindDate
	// KindEmail is an email address.
	KindEmail
	// KindPhone is a phone number: digits, spaces and + ( ) - .
	KindPhone
	// KindStatus is one of AppointmentStatuses.
	KindStatus
	// KindTime is an instant, RFC 3339 on the wire.
	KindTime
	// KindMinutes is a whole number of minutes.
	KindMinutes
	// KindPatientRef is a patient's id (the external system's id in sync
	// parameters).
	KindPatientRef
)

// Field describes one field of a record of type R: the single list of a
// record's fields that validation, the staff forms, the JSON API, the
// sync parameters and inbound changes all read. Adding a field to a
// record means one row here (plus the model column and its migration).
type Field[R any] struct {
	// Name is the internal name: the JSON and form key and the sync
	// parameter.
	Name string
	// Label is the field's label on the staff forms.
	Label    string
	Kind     FieldKind
	Required bool
	// Max is the most characters a text field takes; every text field
	// has one (a test walks the tables).
	Max int
	// Multiline marks free text that may hold line breaks and tabs; no
	// other control character is accepted in any field.
	Multiline bool
	// Form marks the fields the staff page's form edits.
	Form bool
	// Lower marks text stored in lower case when an external system
	// sends it.
	Lower bool
	// Text, Time, Int and ID point at the record's value: Text for the
	// text kinds, Time for KindTime, Int for KindMinutes, ID for
	// KindPatientRef.
	Text func(r *R) *string
	Time func(r *R) *time.Time
	Int  func(r *R) *int
	ID   func(r *R) *int64
}

// AppointmentStatuses are the statuses an appointment may have.
var AppointmentStatuses = []string{StatusScheduled, StatusConfirmed, StatusCancelled, StatusCompleted, StatusNoShow}

// PatientFields are a patient's fields.
var PatientFields = []Field[Patient]{
	{Name: "first_name", Label: "First name", Required: true, Max: 100, Form: true, Text: func(p *Patient) *string { return &p.FirstName }},
	{Name: "last_name", Label: "Last name", Required: true, Max: 100, Form: true, Text: func(p *Patient) *string { return &p.LastName }},
	{Name: "birthdate", Label: "Birthdate", Kind: KindDate, Max: 10, Form: true, Text: func(p *Patient) *string { return &p.Birthdate }},
	{Name: "phone", Label: "Phone", Kind: KindPhone, Max: 32, Form: true, Text: func(p *Patient) *string { return &p.Phone }},
	{Name: "email", Label: "Email", Kind: KindEmail, Max: 254, Form: true, Text: func(p *Patient) *string { return &p.Email }},
	{Name: "gender", Label: "Gender", Max: 32, Lower: true, Text: func(p *Patient) *string { return &p.Gender }},
	{Name: "address_line", Label: "Address", Max: 200, Text: func(p *Patient) *string { return &p.AddressLine }},
	{Name: "city", Label: "City", Max: 100, Text: func(p *Patient) *string { return &p.City }},
	{Name: "state", Label: "State", Max: 64, Text: func(p *Patient) *string { return &p.State }},
	{Name: "postal_code", Label: "Postal code", Max: 16, Text: func(p *Patient) *string { return &p.PostalCode }},
}

// AppointmentFields are an appointment's fields.
var AppointmentFields = []Field[Appointment]{
	{Name: "patient_id", Label: "Patient", Kind: KindPatientRef, Required: true, Form: true, ID: func(a *Appointment) *int64 { return &a.PatientID }},
	{Name: "start", Label: "Start", Kind: KindTime, Required: true, Form: true, Time: func(a *Appointment) *time.Time { return &a.Start }},
	{Name: "end", Label: "End", Kind: KindTime, Time: func(a *Appointment) *time.Time { return &a.End }},
	{Name: "duration_minutes", Label: "Duration (minutes)", Kind: KindMinutes, Form: true, Int: func(a *Appointment) *int { return &a.DurationMinutes }},
	{Name: "provider_ref", Label: "Provider", Max: 100, Form: true, Text: func(a *Appointment) *string { return &a.ProviderRef }},
	{Name: "operatory_ref", Label: "Operatory", Max: 100, Form: true, Text: func(a *Appointment) *string { return &a.OperatoryRef }},
	{Name: "location_ref", Label: "Location", Max: 100, Form: true, Text: func(a *Appointment) *string { return &a.LocationRef }},
	{Name: "appointment_type", Label: "Type", Max: 100, Form: true, Text: func(a *Appointment) *string { return &a.AppointmentType }},
	{Name: "status", Label: "Status", Kind: KindStatus, Max: 20, Lower: true, Text: func(a *Appointment) *string { return &a.Status }},
	{Name: "notes", Label: "Notes", Max: 4000, Multiline: true, Form: true, Text: func(a *Appointment) *string { return &a.Notes }},
}

// TextProblem says what is wrong with v as the value of text field f
// whatever its kind ("" when nothing is): not UTF-8, over its length (in
// characters), or holding a control character (an ANSI escape, a NUL, a
// line break outside free text), which would reach terminals, logs, CSV
// exports and the practice systems as-is.
func (f Field[R]) TextProblem(v string) string {
	if !utf8.ValidString(v) {
		return "must be UTF-8 text"
	}
	if n := utf8.RuneCountInString(v); f.Max > 0 && n > f.Max {
		return "must be at most " + strconv.Itoa(f.Max) + " characters"
	}
	for _, r := range v {
		if unicode.IsControl(r) && !(f.Multiline && (r == '\n' || r == '\r' || r == '\t')) {
			if f.Multiline {
				return "must not contain control characters other than line breaks and tabs"
			}
			return "must not contain control characters (line breaks, tabs, escape sequences)"
		}
	}
	return ""
}

// FormFieldNames are the names of the fields the staff form of a record
// edits, in table order.
func FormFieldNames[R any](fields []Field[R]) []string {
	var out []string
	for _, f := range fields {
		if f.Form {
			out = append(out, f.Name)
		}
	}
	return out
}

// SameFields reports whether a and b hold the same value in every field.
func SameFields[R any](fields []Field[R], a, b *R) bool {
	for _, f := range fields {
		switch {
		case f.Text != nil && *f.Text(a) != *f.Text(b),
			f.Time != nil && !f.Time(a).Equal(*f.Time(b)),
			f.Int != nil && *f.Int(a) != *f.Int(b),
			f.ID != nil && *f.ID(a) != *f.ID(b):
			return false
		}
	}
	return true
}
