package transform

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"switchboard/clock"
)

// layoutCheck is the instant a format_datetime layout must carry through:
// a layout that cannot read back its year, month and day would lose the
// date.
var layoutCheck = time.Date(2026, time.November, 2, 13, 4, 5, 0, time.UTC)

// buildFormatDateTime compiles "format_datetime:<Go layout>": an instant
// written in the upstream's zone (Env.Zone) in that layout.
func buildFormatDateTime(arg string, hasArg bool) (zfn, error) {
	if !hasArg || strings.TrimSpace(arg) == "" {
		return nil, errors.New("needs a layout, e.g. format_datetime:2006-01-02 15:04:05")
	}
	back, err := time.Parse(arg, layoutCheck.Format(arg))
	if err != nil || back.Year() != layoutCheck.Year() || back.Month() != layoutCheck.Month() || back.Day() != layoutCheck.Day() {
		return nil, fmt.Errorf("layout %q needs a year, month and day in Go's reference form (2006-01-02 15:04:05)", arg)
	}
	return func(v any, env Env) (any, error) { return formatDateTime(v, arg, env.zone()) }, nil
}

// formatDateTime writes the instant v in loc in layout. A time.Time, or a
// date-time with an offset or Z, is that instant; a date-time without one
// is wall-clock time in loc already. nil and "" pass through.
func formatDateTime(v any, layout string, loc *time.Location) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case time.Time:
		return x.In(loc).Format(layout), nil
	case string:
		if strings.TrimSpace(x) == "" {
			return x, nil
		}
		t, err := parseInstant(x, layout, loc)
		if err != nil {
			return nil, err
		}
		return t.In(loc).Format(layout), nil
	}
	return nil, fmt.Errorf("%s is not a date-time", quote(v))
}

// parseInstant reads s in layout or in any form format_date accepts. Without
// an offset it is wall-clock time in loc: a time the clocks skip there is
// refused, one they show twice means its first occurrence.
func parseInstant(s, layout string, loc *time.Location) (time.Time, error) {
	text := strings.TrimSpace(s)
	t, used, err := parseLayout(text, layout)
	if err != nil {
		return time.Time{}, err
	}
	if hasOffset(used) {
		return t, nil
	}
	zone, err := clock.LoadZone(loc.String())
	if err != nil {
		return time.Time{}, fmt.Errorf("zone %q is not known", loc.String())
	}
	out, err := zone.Parse(t.Format("2006-01-02T15:04:05.999999999"))
	var input *clock.InputError
	if errors.As(err, &input) {
		return time.Time{}, fmt.Errorf("%s: %s", quote(s), input.Reason)
	}
	return out, err
}

// parseLayout reads text in layout, else in one of the input layouts, and
// says which layout read it.
func parseLayout(text, layout string) (time.Time, string, error) {
	if t, err := time.Parse(layout, text); err == nil {
		return t, layout, nil
	}
	upper := strings.ToUpper(text)
	for _, l := range inputLayouts {
		t, err := time.Parse(l, upper)
		if err != nil {
			continue
		}
		if _, offset := t.Zone(); offset > maxOffset || offset < -maxOffset {
			break
		}
		return t, l, nil
	}
	return time.Time{}, "", fmt.Errorf("%s is not a date-time in a known format (RFC 3339 such as 2006-01-02T15:04:05-06:00, 2006-01-02 15:04:05, or US such as 01/02/2006 03:04 PM)", quote(text))
}

// hasOffset reports whether a layout reads a zone offset (or Z), so that
// what it parsed is an instant rather than a wall-clock time.
func hasOffset(layout string) bool {
	return strings.Contains(layout, "Z07") || strings.Contains(layout, "-07") || strings.Contains(layout, "MST")
}
