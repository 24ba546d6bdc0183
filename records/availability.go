package records

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"switchboard/apperr"
	"switchboard/clock"
	"switchboard/integrations/syncer"
	"switchboard/models"
)

// Availability limits.
const (
	// MaxAvailabilityDays is the longest range one availability search
	// covers.
	MaxAvailabilityDays = 31
	// DefaultStepMinutes is the distance between candidate starts.
	DefaultStepMinutes = 15
	maxMinutes         = 24 * 60
)

// AvailabilityQuery is an availability search as given: from and to are
// dates (2006-01-02, whole days in practice time, to inclusive) or
// date-times (an offset, Z, or practice time); the minutes are integers
// as text ("" for step: the default).
type AvailabilityQuery struct {
	From, To        string
	DurationMinutes string
	StepMinutes     string
	ProviderRef     string
	OperatoryRef    string
}

// Slot is one free interval.
type Slot struct {
	Start, End   time.Time
	ProviderRef  string
	OperatoryRef string
}

// Availability is the answer of a search: its free slots and the zone to
// render them in.
type Availability struct {
	Slots []Slot
	Zone  clock.Zone
	// Warning, when set, says the practice systems were left out: they
	// did not answer within the budget (see WeekWithin).
	Warning string
}

// search is a validated query.
type search struct {
	from, to       time.Time
	fromDay, toDay string // practice dates of the range, to inclusive
	length, step   time.Duration
	provider, op   string
}

// Availability lists the free slots of the query: candidates start every
// step_minutes on the practice's wall clock (counted from midnight), last
// duration_minutes, lie in the future and inside one open span of the
// opening hours (an organization without opening hours has no such
// restriction: every hour is open), overlap no non-cancelled appointment
// of the provider or of the operatory asked for, and, when a practice
// system with a slots function is synced, lie inside one of its slots.
func (s *Service) Availability(ctx context.Context, orgID int64, in AvailabilityQuery) (*Availability, error) {
	return s.availability(ctx, orgID, in, 0)
}

// availability is Availability waiting at most budget (0: no limit) for
// the practice systems, and leaving them out with a warning when they fail
// or run out of it.
func (s *Service) availability(ctx context.Context, orgID int64, in AvailabilityQuery, budget time.Duration) (*Availability, error) {
	t := s.store.Tenant(orgID)
	org, err := t.Organization(ctx)
	if err != nil {
		return nil, err
	}
	zone := org.Zone()
	q, err := parseSearch(zone, in)
	if err != nil {
		return nil, err
	}
	open, err := openSpans(org.Hours(), zone, q.from, q.to)
	if err != nil {
		return nil, err
	}
	busy, err := t.AppointmentsBetween(ctx, q.from, q.to, q.provider, q.op)
	if err != nil {
		return nil, err
	}
	sys, err := s.systemConstraints(ctx, orgID, q, budget)
	if err != nil {
		return nil, err
	}
	slots := candidates(zone, q, open, time.Now(), func(start, end time.Time) bool {
		return !overlapsAny(busy, start, end) && !overlapsSpan(sys.busy, start, end) && (!sys.asked || insideEvery(sys.perSystem, start, end))
	})
	return &Availability{Slots: slots, Zone: zone, Warning: sys.warning}, nil
}

// constraints are what the practice systems say of a search: the free
// spans of each system asked (asked: any was), the busy spans of the
// calendars, or a warning that they were left out.
type constraints struct {
	perSystem [][]clock.Span
	asked     bool
	busy      []clock.Span
	warning   string
}

// systemConstraints asks the practice systems and calendars about q. With
// a budget, a system that fails or does not answer within it is left out
// with a warning instead of failing the search; Switchboard's own errors
// (a database that fails) still do.
func (s *Service) systemConstraints(ctx context.Context, orgID int64, q search, budget time.Duration) (constraints, error) {
	sctx := ctx
	if budget > 0 {
		var cancel context.CancelFunc
		sctx, cancel = context.WithTimeout(ctx, budget)
		defer cancel()
	}
	var c constraints
	var err error
	c.perSystem, c.asked, err = s.sync.SystemSlots(sctx, orgID, syncer.SlotQuery{From: q.fromDay, To: q.toDay,
		DurationMinutes: int(q.length / time.Minute), ProviderRef: q.provider, OperatoryRef: q.op})
	if err == nil {
		c.busy, err = s.sync.SystemBusy(sctx, orgID, q.from, q.to)
	}
	if err == nil || budget == 0 || ctx.Err() != nil {
		return c, err
	}
	if e, ok := apperr.As(err); sctx.Err() == nil && (!ok || e.Code == apperr.CodeInternal) {
		return c, err
	}
	return constraints{warning: systemsLeftOut(err, sctx.Err() != nil, budget)}, nil
}

// systemsLeftOut is the warning of a search without the practice systems.
func systemsLeftOut(err error, late bool, budget time.Duration) string {
	why := "did not answer within " + clock.Words(budget) + "."
	if e, ok := apperr.As(err); ok && !late {
		why = "could not be asked: " + apperr.Explain(e.Code)
	}
	return "The practice system " + why + " These free times come from Switchboard's own appointments and opening hours only: check them in the practice system before booking."
}

// openSpans are the open spans of the range; without opening hours the
// whole range is one.
func openSpans(h clock.Hours, z clock.Zone, from, to time.Time) ([]clock.Span, error) {
	if h.IsZero() {
		return []clock.Span{{Start: from, End: to}}, nil
	}
	return h.OpenSpans(z, from, to)
}

// candidates walks each open span from its first step boundary after now
// and keeps the slots free says are free.
func candidates(z clock.Zone, q search, open []clock.Span, now time.Time, free func(start, end time.Time) bool) []Slot {
	out := []Slot{}
	for _, sp := range open {
		start := sp.Start
		if start.Before(now) {
			start = now
		}
		for c := stepBoundary(z, start, q.step); !c.Add(q.length).After(sp.End); c = stepBoundary(z, c.Add(q.step), q.step) {
			if free(c, c.Add(q.length)) {
				out = append(out, Slot{Start: c, End: c.Add(q.length), ProviderRef: q.provider, OperatoryRef: q.op})
			}
		}
	}
	return out
}

// stepBoundary is the first instant at or after t whose practice
// wall-clock time is a whole number of steps after midnight.
func stepBoundary(z clock.Zone, t time.Time, step time.Duration) time.Time {
	local := z.In(t)
	midnight := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	wall := time.Date(local.Year(), local.Month(), local.Day(), local.Hour(), local.Minute(), local.Second(), local.Nanosecond(), time.UTC)
	since := wall.Sub(midnight)
	rem := since % step
	if rem == 0 {
		return t
	}
	return t.Add(step - rem)
}

// overlapsAny reports whether [start, end) overlaps one of the
// appointments (sorted by start).
func overlapsAny(as []models.Appointment, start, end time.Time) bool {
	for i := range as {
		if !as[i].Start.Before(end) {
			return false
		}
		if as[i].End.After(start) {
			return true
		}
	}
	return false
}

// overlapsSpan reports whether [start, end) overlaps one of the spans (a
// calendar's busy times).
func overlapsSpan(spans []clock.Span, start, end time.Time) bool {
	for _, sp := range spans {
		if sp.Start.Before(end) && sp.End.After(start) {
			return true
		}
	}
	return false
}

// insideEvery reports whether [start, end) lies inside one merged slot of
// each system's list.
func insideEvery(perSystem [][]clock.Span, start, end time.Time) bool {
	for _, spans := range perSystem {
		if !slices.ContainsFunc(mergeSpans(spans), func(sp clock.Span) bool {
			return !sp.Start.After(start) && !sp.End.Before(end)
		}) {
			return false
		}
	}
	return true
}

// mergeSpans joins overlapping and touching spans (a system that answers
// consecutive one-hour blocks is free for the whole run of them).
func mergeSpans(in []clock.Span) []clock.Span {
	spans := slices.Clone(in)
	slices.SortFunc(spans, func(a, b clock.Span) int { return a.Start.Compare(b.Start) })
	var out []clock.Span
	for _, sp := range spans {
		if n := len(out); n > 0 && !sp.Start.After(out[n-1].End) {
			if sp.End.After(out[n-1].End) {
				out[n-1].End = sp.End
			}
			continue
		}
		out = append(out, sp)
	}
	return out
}

// parseSearch validates the query, naming each bad field.
func parseSearch(z clock.Zone, in AvailabilityQuery) (search, error) {
	var bad []apperr.FieldError
	fail := func(field, msg string) { bad = append(bad, apperr.FieldError{Field: field, Message: msg}) }
	q := search{provider: strings.TrimSpace(in.ProviderRef), op: strings.TrimSpace(in.OperatoryRef)}
	var fromOK, toOK bool
	q.from, q.fromDay, fromOK = rangeEdge(z, in.From, false, "from", fail)
	q.to, q.toDay, toOK = rangeEdge(z, in.To, true, "to", fail)
	if fromOK && toOK {
		switch {
		case !q.to.After(q.from):
			fail("to", "must be after from")
		case q.to.Sub(q.from) > MaxAvailabilityDays*24*time.Hour+time.Hour:
			fail("to", "the range must not exceed 31 days")
		}
	}
	if n, msg := minutes(in.DurationMinutes, 0); msg != "" {
		fail("duration_minutes", msg)
	} else {
		q.length = time.Duration(n) * time.Minute
	}
	if n, msg := minutes(in.StepMinutes, DefaultStepMinutes); msg != "" {
		fail("step_minutes", msg)
	} else {
		q.step = time.Duration(n) * time.Minute
	}
	if len(bad) > 0 {
		return q, apperr.Validation(bad...)
	}
	return q, nil
}

// rangeEdge reads from or to: a date (to: the end of that day) or a
// date-time. It returns the instant and its practice date (to: the date of
// the range's last instant).
func rangeEdge(z clock.Zone, s string, end bool, field string, fail func(field, msg string)) (time.Time, string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		fail(field, "is required: a date (2006-01-02) or a date-time")
		return time.Time{}, "", false
	}
	var t time.Time
	var err error
	if len(s) == len(time.DateOnly) {
		if end {
			t, err = z.ParseDayEnd(s)
		} else {
			t, err = z.ParseDate(s)
		}
	} else {
		t, err = z.Parse(s)
	}
	if err != nil {
		var ie *clock.InputError
		if errors.As(err, &ie) {
			fail(field, ie.Reason)
		} else {
			fail(field, "is not a date or date-time")
		}
		return time.Time{}, "", false
	}
	day := t
	if end {
		day = t.Add(-time.Nanosecond)
	}
	return t, z.In(day).Format(time.DateOnly), true
}

// minutes reads a positive whole number of minutes ("" gives def; a def
// of 0 means required).
func minutes(s string, def int) (int, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		if def > 0 {
			return def, ""
		}
		return 0, "is required: a whole number of minutes"
	}
	n, err := strconv.Atoi(s)
	switch {
	case err != nil:
		return 0, "must be a whole number of minutes"
	case n <= 0:
		return 0, "must be greater than 0"
	case n > maxMinutes:
		return 0, "must be at most 1440 (one day)"
	}
	return n, ""
}
