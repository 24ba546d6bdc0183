package sandbox

import (
	"strings"
	"time"
)

// Wire formats of the two upstreams.
const (
	odDateTimeLayout = "2006-01-02 15:04:05"
	odDateLayout     = "2006-01-02"
	c9DateTimeLayout = "01/02/2006 03:04:05 PM"
	c9DateLayout     = "01/02/2006"
)

// Seeded working hours of every schedule, minutes after midnight.
const (
	workStartMinute = 8 * 60
	workStopMinute  = 17 * 60
)

// c9InputLayouts are the datetime forms Cloud9 parameters accept; the
// numeric month/day/hour verbs take one or two digits.
var c9InputLayouts = []string{
	"1/2/2006 3:04:05 PM",
	"1/2/2006 3:04 PM",
	"1/2/2006 15:04:05",
	"1/2/2006 15:04",
	"1/2/2006",
	time.RFC3339,
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02",
}

// parseC9Time reads a Cloud9 datetime as wall-clock time in loc.
func parseC9Time(v string, loc *time.Location) (time.Time, bool) {
	v = strings.ToUpper(strings.TrimSpace(v))
	for _, layout := range c9InputLayouts {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t.In(loc), true
		}
	}
	return time.Time{}, false
}

// parseODStamp reads a DateTStamp filter: a datetime or a bare date.
func parseODStamp(v string, loc *time.Location) (time.Time, bool) {
	if t, err := time.ParseInLocation(odDateTimeLayout, v, loc); err == nil {
		return t, true
	}
	if t, err := time.ParseInLocation(odDateLayout, v, loc); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// midnight returns the start of t's day in t's location.
func midnight(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

func isWeekday(t time.Time) bool {
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// nextWeekday returns the first weekday strictly after t's day, at midnight.
func nextWeekday(t time.Time) time.Time {
	d := midnight(t).AddDate(0, 0, 1)
	for !isWeekday(d) {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// atMinute returns day's midnight plus minute minutes.
func atMinute(day time.Time, minute int) time.Time {
	return midnight(day).Add(time.Duration(minute) * time.Minute)
}

// overlaps reports whether [a1, a2) and [b1, b2) intersect.
func overlaps(a1, a2, b1, b2 time.Time) bool {
	return a1.Before(b2) && b1.Before(a2)
}

// digits keeps the digits of a phone number, dropping a leading North
// American country code so that "+1 503…" and "(503)…" compare equal.
func digits(v string) string {
	var b strings.Builder
	for _, r := range v {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	if len(d) == 11 && d[0] == '1' {
		d = d[1:]
	}
	return d
}
