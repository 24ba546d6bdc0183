package records

import (
	"context"
	"strconv"
	"strings"
	"time"

	"switchboard/apperr"
	"switchboard/clock"
)

// WeekQuery asks for a week's free slots of a provider: week is a
// practice-local date inside the week ("" is the current week), the
// minutes are text ("" gives 30).
type WeekQuery struct {
	Week            string
	DurationMinutes string
	ProviderRef     string
	OperatoryRef    string
}

// WeekStepMinutes is the distance between the starts a week's grid
// offers.
const WeekStepMinutes = 30

// WeekDay is one practice-local day of a week: its date (a calendar
// date, in UTC), whether the practice is open that day at all, and its
// free slots.
type WeekDay struct {
	Date  time.Time
	Open  bool
	Slots []Slot
}

// Week is the free slots of the seven days from a Monday, with the
// Mondays before and after it (2006-01-02) and the zone to show them in.
type Week struct {
	Monday, Prev, Next string
	Duration           int
	Days               []WeekDay
	Zone               clock.Zone
	// Warning, when set, says the practice system did not answer within
	// the budget: the slots come from Switchboard's own data only.
	Warning string
}

// Week lists the provider's free slots (of the operatory too, when one is
// given) over the seven days starting at the Monday of the week asked for,
// grouped by practice-local day.
func (s *Service) Week(ctx context.Context, orgID int64, in WeekQuery, now time.Time) (*Week, error) {
	return s.WeekWithin(ctx, orgID, in, now, 0)
}

// WeekWithin is Week that waits at most budget (0: as long as the calls
// take) for the practice systems: when they fail or do not answer in
// time, the week is built from Switchboard's own appointments and opening
// hours, with a Warning saying so.
func (s *Service) WeekWithin(ctx context.Context, orgID int64, in WeekQuery, now time.Time, budget time.Duration) (*Week, error) {
	org, err := s.store.Tenant(orgID).Organization(ctx)
	if err != nil {
		return nil, err
	}
	z := org.Zone()
	monday, length, err := parseWeek(z, in, now)
	if err != nil {
		return nil, err
	}
	av, err := s.availability(ctx, orgID, AvailabilityQuery{From: monday.Format(time.DateOnly),
		To: monday.AddDate(0, 0, 6).Format(time.DateOnly), DurationMinutes: strconv.Itoa(length),
		StepMinutes: strconv.Itoa(WeekStepMinutes), ProviderRef: in.ProviderRef, OperatoryRef: in.OperatoryRef}, budget)
	if err != nil {
		return nil, err
	}
	w := &Week{Monday: monday.Format(time.DateOnly), Prev: monday.AddDate(0, 0, -7).Format(time.DateOnly),
		Next: monday.AddDate(0, 0, 7).Format(time.DateOnly), Duration: length, Zone: z, Warning: av.Warning}
	byDay := map[string][]Slot{}
	for _, sl := range av.Slots {
		day := z.In(sl.Start).Format(time.DateOnly)
		byDay[day] = append(byDay[day], sl)
	}
	hours := org.Hours()
	for i := range 7 {
		d := monday.AddDate(0, 0, i)
		key := d.Format(time.DateOnly)
		open, err := openOn(hours, z, key)
		if err != nil {
			return nil, err
		}
		w.Days = append(w.Days, WeekDay{Date: d, Open: open, Slots: byDay[key]})
	}
	return w, nil
}

// parseWeek reads the week's Monday (a calendar date) and the duration,
// naming each bad field; a provider is required.
func parseWeek(z clock.Zone, in WeekQuery, now time.Time) (time.Time, int, error) {
	var bad []apperr.FieldError
	day, err := time.Parse(time.DateOnly, z.In(now).Format(time.DateOnly))
	switch day.Weekday() {
	case time.Saturday: // the week at hand is the next one
		day = day.AddDate(0, 0, 2)
	case time.Sunday:
		day = day.AddDate(0, 0, 1)
	}
	if w := strings.TrimSpace(in.Week); w != "" {
		if _, perr := z.ParseDate(w); perr != nil {
			bad = append(bad, apperr.FieldError{Field: "week", Message: reason(perr, "").Error()})
		} else {
			day, err = time.Parse(time.DateOnly, w)
		}
	}
	if err != nil {
		return time.Time{}, 0, err
	}
	length, msg := minutes(in.DurationMinutes, 30)
	if msg != "" {
		bad = append(bad, apperr.FieldError{Field: "duration_minutes", Message: msg})
	}
	if strings.TrimSpace(in.ProviderRef) == "" {
		bad = append(bad, apperr.FieldError{Field: "provider_ref", Message: "is required: choose a provider"})
	}
	if len(bad) > 0 {
		return time.Time{}, 0, apperr.Validation(bad...)
	}
	return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7)), length, nil
}

// openOn reports whether the practice opens at all on the practice-local
// date (always, without opening hours).
func openOn(h clock.Hours, z clock.Zone, date string) (bool, error) {
	if h.IsZero() {
		return true, nil
	}
	start, err := z.ParseDate(date)
	if err != nil {
		return false, err
	}
	end, err := z.ParseDayEnd(date)
	if err != nil {
		return false, err
	}
	spans, err := h.OpenSpans(z, start, end)
	return len(spans) > 0, err
}
