package clock

import (
	"errors"
	"time"
)

// Span is a half-open interval of instants [Start, End).
type Span struct {
	Start time.Time
	End   time.Time
}

// MaxSpanDays bounds the range OpenSpans walks: longer ranges are refused
// rather than cut short without a word.
const MaxSpanDays = 400

// ErrRangeTooLong is returned for a range longer than MaxSpanDays.
var ErrRangeTooLong = errors.New("clock: the range is longer than 400 days")

// OpenSpans lists the instants between from and to at which the practice is
// open, in order, each clipped to [from, to), touching ones joined (12:00–
// 13:00 and 13:00–17:00 are one span; so are Sunday until 24:00 and Monday
// from 00:00). Each day's intervals are placed on that day's wall clock in
// the zone, so 08:00–17:00 stays 08:00–17:00 local on the days the clocks
// change (and lasts 8 or 10 hours when it spans the change). An interval
// edge the clocks skip moves to the instant they jump.
func (h Hours) OpenSpans(z Zone, from, to time.Time) ([]Span, error) {
	if !to.After(from) {
		return nil, nil
	}
	if to.Sub(from) > MaxSpanDays*24*time.Hour {
		return nil, ErrRangeTooLong
	}
	var out []Span
	week := h.Normalize()
	first, last := z.In(from), z.In(to)
	day := time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, time.UTC)
	end := time.Date(last.Year(), last.Month(), last.Day(), 0, 0, 0, 0, time.UTC)
	for ; !day.After(end); day = day.AddDate(0, 0, 1) {
		for _, iv := range week[dayKey(day.Weekday())] {
			s := z.dayMinute(day, iv.Start)
			e := z.dayMinute(day, iv.End)
			if s.Before(from) {
				s = from
			}
			if e.After(to) {
				e = to
			}
			out = appendSpan(out, s, e)
		}
	}
	return out, nil
}

// Contains reports whether [start, end) lies inside the opening hours: one
// open span (touching intervals count as one) covers it whole.
func (h Hours) Contains(z Zone, start, end time.Time) bool {
	if !end.After(start) {
		return false
	}
	spans, err := h.OpenSpans(z, start, end)
	return err == nil && len(spans) == 1 && spans[0].Start.Equal(start) && spans[0].End.Equal(end)
}

func appendSpan(out []Span, s, e time.Time) []Span {
	if !e.After(s) {
		return out
	}
	if n := len(out); n > 0 && !s.After(out[n-1].End) {
		if e.After(out[n-1].End) {
			out[n-1].End = e
		}
		return out
	}
	return append(out, Span{Start: s, End: e})
}

// dayMinute is the instant of HH:MM (24:00: the next midnight) on the civil
// date day in the zone.
func (z Zone) dayMinute(day time.Time, hhmm string) time.Time {
	minutes, _ := parseHHMM(hhmm, true)
	wall := day.Add(time.Duration(minutes) * time.Minute)
	t, _ := z.wallInstant(wall)
	return t
}

// dayKey is the Hours key of a weekday.
func dayKey(d time.Weekday) string {
	return Days[(int(d)+6)%7]
}
