package transform

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// inputLayouts are the date and time forms format_date reads, tried in
// order: ISO 8601 / RFC 3339 (with or without time, seconds, fraction or
// zone), then the common US forms. When parsing, Go accepts a fractional
// second after the seconds even if the layout has none, and the numeric
// verbs "1", "2" and "3" accept one or two digits, so "1/2/2006" also reads
// "01/02/2006". Inputs are upper-cased first so "pm" reads as "PM".
var inputLayouts = []string{
	time.RFC3339,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	"20060102T150405Z0700",
	"20060102T150405",
	"20060102",
	"1/2/2006 3:04:05 PM",
	"1/2/2006 3:04 PM",
	"1/2/2006 15:04:05",
	"1/2/2006 15:04",
	"1/2/2006",
	"1-2-2006",
	"Jan 2, 2006 3:04 PM",
	"Jan 2, 2006",
	"January 2, 2006",
	time.RFC1123Z,
}

// maxOffset is the largest zone offset accepted (real ones stay within
// ±14h); larger ones could not be written back out in the same form.
const maxOffset = 18 * 60 * 60

// buildFormatDate compiles "format_date:<Go layout>".
func buildFormatDate(arg string, hasArg bool) (fn, error) {
	if !hasArg || strings.TrimSpace(arg) == "" {
		return nil, errors.New("needs a layout, e.g. format_date:2006-01-02")
	}
	return func(v any) (any, error) { return formatDate(v, arg) }, nil
}

// formatDate reads v in any of the input layouts and writes it in layout.
// A time with a zone keeps its own wall clock and zone; one without stays
// as written (no conversion to UTC). nil and "" pass through.
func formatDate(v any, layout string) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case time.Time:
		return x.Format(layout), nil
	case string:
		if strings.TrimSpace(x) == "" {
			return x, nil
		}
		t, err := ParseTime(x)
		if err != nil {
			return nil, err
		}
		return t.Format(layout), nil
	}
	return nil, fmt.Errorf("%s is not a date", quote(v))
}

// ParseTime reads a date or date-time in any form format_date accepts
// (ISO 8601 and the common US forms). A value without a zone is read as
// UTC wall-clock time.
func ParseTime(s string) (time.Time, error) {
	text := strings.ToUpper(strings.TrimSpace(s))
	for _, layout := range inputLayouts {
		t, err := time.Parse(layout, text)
		if err != nil {
			continue
		}
		if _, offset := t.Zone(); offset > maxOffset || offset < -maxOffset {
			break
		}
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%s is not a date in a known format (ISO 8601 such as 2006-01-02T15:04:05Z, or US such as 01/02/2006 03:04 PM)", quote(s))
}
