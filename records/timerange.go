package records

import (
	"errors"
	"strings"
	"time"

	"switchboard/apperr"
	"switchboard/clock"
)

// TimeRange is a list filter's range: either edge may be zero (open).
// Records starting at or after From and before To are in it.
type TimeRange struct {
	From, To time.Time
}

// ParseTimeRange reads the from and to of a list filter in the practice's
// zone: each is empty (no bound), a date (a whole practice-local day; to
// includes its day) or a date-time (an offset, Z, or local meaning
// practice time). A bad value, or a to not after from, is a validation error
// naming the field.
func ParseTimeRange(z clock.Zone, from, to string) (TimeRange, error) {
	var r TimeRange
	var bad []apperr.FieldError
	var err error
	if r.From, err = ParseListEdge(z, from, false); err != nil {
		bad = append(bad, apperr.FieldError{Field: "from", Message: err.Error()})
	}
	if r.To, err = ParseListEdge(z, to, true); err != nil {
		bad = append(bad, apperr.FieldError{Field: "to", Message: err.Error()})
	}
	if len(bad) == 0 && !r.From.IsZero() && !r.To.IsZero() && !r.To.After(r.From) {
		bad = append(bad, apperr.FieldError{Field: "to", Message: "must be after from (a date includes its whole day)"})
	}
	if len(bad) > 0 {
		return TimeRange{}, apperr.Validation(bad...)
	}
	return r, nil
}

// ParseListEdge reads one edge of a list filter (see ParseTimeRange): ""
// is the zero time; a date is the first instant of that practice-local
// day, or, for the end edge, of the day after it. The error's text says
// what is wrong with the value, without a field name.
func ParseListEdge(z clock.Zone, s string, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if len(s) != len(time.DateOnly) {
		t, err := z.Parse(s)
		return t, reason(err, " (or a date: YYYY-MM-DD)")
	}
	if end {
		t, err := z.ParseDayEnd(s)
		return t, reason(err, "")
	}
	t, err := z.ParseDate(s)
	return t, reason(err, "")
}

// reason is err as a field message: a clock input error's reason (with
// more appended), anything else as is.
func reason(err error, more string) error {
	var ie *clock.InputError
	if errors.As(err, &ie) {
		return errors.New(ie.Reason + more)
	}
	return err
}
