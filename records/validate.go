package records

import (
	"errors"
	"maps"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"

	"switchboard/apperr"
	"switchboard/clock"
	"switchboard/models"
)

// applyPatient copies the values given onto p and validates the result.
func applyPatient(p *models.Patient, in Values) error {
	bad := unknownFields(models.PatientFields, in)
	setText(models.PatientFields, p, in)
	bad = append(bad, check(models.PatientFields, p)...)
	if len(bad) > 0 {
		return apperr.Validation(bad...)
	}
	return nil
}

// unknownFields names the values that are no field of the record.
func unknownFields[R any](fields []models.Field[R], in Values) []apperr.FieldError {
	var bad []apperr.FieldError
	for _, name := range slices.Sorted(maps.Keys(in)) {
		if !slices.ContainsFunc(fields, func(f models.Field[R]) bool { return f.Name == name }) {
			bad = append(bad, apperr.FieldError{Field: name, Message: "is not a field of this record"})
		}
	}
	return bad
}

// setText copies the text values given onto r, trimmed.
func setText[R any](fields []models.Field[R], r *R, in Values) {
	for _, f := range fields {
		if v, ok := in[f.Name]; ok && f.Text != nil {
			*f.Text(r) = strings.TrimSpace(v)
		}
	}
}

// check validates r's text fields and references against the table.
func check[R any](fields []models.Field[R], r *R) []apperr.FieldError {
	var bad []apperr.FieldError
	for _, f := range fields {
		if f.ID != nil && f.Required && *f.ID(r) <= 0 {
			bad = append(bad, apperr.FieldError{Field: f.Name, Message: "is required"})
		}
		if f.Text == nil {
			continue
		}
		if msg := checkText(f, *f.Text(r)); msg != "" {
			bad = append(bad, apperr.FieldError{Field: f.Name, Message: msg})
		}
	}
	return bad
}

// checkText returns what is wrong with a text value, or "".
func checkText[R any](f models.Field[R], v string) string {
	if v == "" {
		if f.Required {
			return "is required"
		}
		return ""
	}
	if msg := f.TextProblem(v); msg != "" {
		return msg
	}
	switch f.Kind {
	case models.KindDate:
		if _, err := time.Parse("2006-01-02", v); err != nil {
			return "must be a date as YYYY-MM-DD"
		}
	case models.KindEmail:
		if a, err := mail.ParseAddress(v); err != nil || a.Address != v {
			return "must be an email address"
		}
	case models.KindPhone:
		if strings.Trim(v, "+0123456789 ()-.") != "" {
			return "must be a phone number (digits, spaces, + ( ) - .)"
		}
	case models.KindStatus:
		if !slices.Contains(models.AppointmentStatuses, v) {
			return "must be one of " + strings.Join(models.AppointmentStatuses, ", ")
		}
	}
	return ""
}

// setTimes copies start, end and duration_minutes onto a, deriving end
// from duration or duration from end; a create needs start and one of
// end or duration_minutes. A time is RFC 3339 with an offset or Z, or a
// local date-time without offset, which is practice time in zone.
func setTimes(a *models.Appointment, in Values, creating bool, zone clock.Zone) []apperr.FieldError {
	var bad []apperr.FieldError
	parse := func(field string, dst *time.Time) bool {
		v, ok := in[field]
		if !ok {
			return false
		}
		t, err := zone.Parse(v)
		if err != nil {
			bad = append(bad, apperr.FieldError{Field: field, Message: clockReason(err)})
			return false
		}
		*dst = t.UTC()
		return true
	}
	startSet, endSet := parse("start", &a.Start), parse("end", &a.End)
	_, startGiven := in["start"]
	if !startGiven && creating {
		bad = append(bad, apperr.FieldError{Field: "start", Message: "is required"})
	}
	return append(bad, span(a, in, creating, startGiven, startSet, endSet)...)
}

// maxAppointmentMinutes bounds an appointment's length, given as
// duration_minutes or as the span from start to end.
const maxAppointmentMinutes = 24 * 60

// span derives end or duration_minutes from the other once start and end
// are parsed, and reports a span that is not 1 to 1440 whole minutes (an
// end seconds after start gave a duration of 0 minutes) or that disagrees
// with a duration_minutes given beside end.
func span(a *models.Appointment, in Values, creating, startGiven, startSet, endSet bool) []apperr.FieldError {
	var bad []apperr.FieldError
	dur, durGiven := in["duration_minutes"]
	switch {
	case durGiven:
		n, err := strconv.Atoi(strings.TrimSpace(dur))
		if err != nil || n <= 0 || n > maxAppointmentMinutes {
			bad = append(bad, apperr.FieldError{Field: "duration_minutes", Message: "must be between 1 and 1440"})
			break
		}
		a.DurationMinutes = n
		if !endSet {
			a.End = a.Start.Add(time.Duration(n) * time.Minute)
		} else if a.End.After(a.Start) && int(a.End.Sub(a.Start)/time.Minute) != n {
			bad = append(bad, apperr.FieldError{Field: "duration_minutes", Message: "must match the time from start to end"})
		}
	case endSet || (startSet && !creating):
		if !endSet {
			a.End = a.Start.Add(time.Duration(a.DurationMinutes) * time.Minute)
		}
		a.DurationMinutes = int(a.End.Sub(a.Start) / time.Minute)
		if a.End.After(a.Start) && (a.DurationMinutes < 1 || a.DurationMinutes > maxAppointmentMinutes) {
			bad = append(bad, apperr.FieldError{Field: "end", Message: "must be 1 minute to 24 hours after start"})
		}
	case creating && startGiven:
		bad = append(bad, apperr.FieldError{Field: "end", Message: "give end or duration_minutes"})
	}
	if !a.End.IsZero() && !a.End.After(a.Start) {
		bad = append(bad, apperr.FieldError{Field: "end", Message: "must be after start"})
	}
	return bad
}

// clockReason is the message of a time the clock package refused.
func clockReason(err error) string {
	var ie *clock.InputError
	if errors.As(err, &ie) {
		return ie.Reason
	}
	return err.Error()
}
