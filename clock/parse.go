package clock

import (
	"fmt"
	"strings"
	"time"
)

// InputError is a value that clock cannot accept. Reason is written for
// the person or agent who sent it: callers put it in a field error under
// their own field name (start, time_zone…).
type InputError struct {
	Input  string
	Reason string
}

// Error implements error.
func (e *InputError) Error() string { return "clock: " + e.Reason }

// Years outside this range are refused: no appointment is that far away,
// and every instant inside renders and parses back in any zone.
const (
	minYear = 1900
	maxYear = 2999
)

// Layouts of a date-time with an offset or Z (RFC 3339; seconds may be left
// out, fractions of a second are accepted by time.Parse after the seconds).
var offsetLayouts = []string{time.RFC3339, "2006-01-02T15:04Z07:00"}

// Layouts of a local date-time without offset: practice time. These are
// also what an HTML datetime-local input sends.
var localLayouts = []string{"2006-01-02T15:04:05", "2006-01-02T15:04"}

const inputHint = "use a date-time such as 2026-12-15T10:30 (practice time) or RFC 3339 with an offset (2026-12-15T10:30:00-06:00)"

// Parse reads a record time: RFC 3339 with an offset or Z (an instant), or
// a local date-time without offset (2006-01-02T15:04 or …T15:04:05), which
// is wall-clock time in the zone. A local time that the zone skips (the
// hour lost when clocks go forward) is refused; one that occurs twice (the
// hour repeated when clocks go back) means its first occurrence.
func (z Zone) Parse(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, &InputError{Input: s, Reason: "is required: " + inputHint}
	}
	for _, layout := range offsetLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return checkYear(s, t)
		}
	}
	for _, layout := range localLayouts {
		wall, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		if _, err := checkYear(s, wall); err != nil {
			return time.Time{}, err
		}
		t, exact := z.wallInstant(wall)
		if !exact {
			return time.Time{}, &InputError{Input: s, Reason: fmt.Sprintf("%s does not exist in %s (the clocks skip it when they go forward)", s, z.Name())}
		}
		return t, nil
	}
	return time.Time{}, &InputError{Input: s, Reason: fmt.Sprintf("%q is not a date-time: %s", s, inputHint)}
}

// ParseDate reads a date (2006-01-02) and returns the first instant of that
// day in the zone (midnight, or the end of the skipped hour when a zone
// changes its clocks at midnight).
func (z Zone) ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, &InputError{Input: s, Reason: fmt.Sprintf("%q is not a date: use YYYY-MM-DD", s)}
	}
	if _, err := checkYear(s, d); err != nil {
		return time.Time{}, err
	}
	t, _ := z.wallInstant(d)
	return t, nil
}

// ParseDayEnd reads a date like ParseDate and returns the first instant
// of the day after it in z: the exclusive end of that practice-local day.
func (z Zone) ParseDayEnd(s string) (time.Time, error) {
	if _, err := z.ParseDate(s); err != nil {
		return time.Time{}, err
	}
	d, _ := time.Parse(time.DateOnly, strings.TrimSpace(s))
	t, _ := z.wallInstant(d.AddDate(0, 0, 1))
	return t, nil
}

func checkYear(s string, t time.Time) (time.Time, error) {
	if y := t.UTC().Year(); y < minYear || y > maxYear {
		return time.Time{}, &InputError{Input: s, Reason: fmt.Sprintf("%s is out of range: years %d to %d", s, minYear, maxYear)}
	}
	return t, nil
}

// wallInstant returns the instant at which the zone's clocks show the wall
// time of wall (whose own zone is ignored). When they show it twice, the
// first instant; when never (skipped when the clocks go forward), the
// instant the clocks jump (the first one after it) and exact false.
func (z Zone) wallInstant(wall time.Time) (t time.Time, exact bool) {
	loc := z.Location()
	naive := time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), wall.Nanosecond(), time.UTC)
	// Every offset in force within a day of the wall time is a candidate:
	// zones change their clocks at most once in that span.
	for _, probe := range []time.Duration{-24 * time.Hour, 0, 24 * time.Hour} {
		_, off := naive.Add(probe).In(loc).Zone()
		cand := naive.Add(-time.Duration(off) * time.Second).In(loc)
		if sameWall(cand, naive) && (!exact || cand.Before(t)) {
			t, exact = cand, true
		}
	}
	if exact {
		return t, true
	}
	// Skipped: time.Date lands on one side of the jump; the jump itself is
	// the edge of the zone period it landed in.
	guess := time.Date(naive.Year(), naive.Month(), naive.Day(), naive.Hour(), naive.Minute(), naive.Second(), naive.Nanosecond(), loc)
	start, end := guess.ZoneBounds()
	if wallBefore(guess, naive) {
		return end, false
	}
	return start, false
}

// sameWall reports whether a and b show the same wall-clock time.
func sameWall(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd && a.Hour() == b.Hour() && a.Minute() == b.Minute() &&
		a.Second() == b.Second() && a.Nanosecond() == b.Nanosecond()
}

// wallBefore reports whether a's wall-clock time is before b's.
func wallBefore(a, b time.Time) bool {
	aw := time.Date(a.Year(), a.Month(), a.Day(), a.Hour(), a.Minute(), a.Second(), a.Nanosecond(), time.UTC)
	return aw.Before(b)
}
