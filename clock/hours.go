package clock

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"switchboard/apperr"
)

// Days are the keys of Hours, Monday first.
var Days = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// MaxIntervalsPerDay bounds how many opening intervals one day may have.
const MaxIntervalsPerDay = 6

// Interval is one opening interval of a day in practice wall-clock time:
// HH:MM from 00:00 to 23:59; End may also be 24:00 (midnight at the end of
// the day). End is after Start: an interval never crosses midnight.
type Interval struct {
	Start string `json:"start" doc:"Opening time, HH:MM in practice time."`
	End   string `json:"end" doc:"Closing time, HH:MM in practice time."`
}

// Hours are the weekly opening hours: day (mon…sun) → its intervals, in
// practice time. A day without intervals is closed; Hours without any
// interval are not set (IsZero), and what that means is the caller's call.
type Hours map[string][]Interval

// ParseHours reads Hours from their stored JSON ("" is no hours). It does
// not validate: Validate does.
func ParseHours(s string) (Hours, error) {
	h := Hours{}
	if strings.TrimSpace(s) == "" {
		return h, nil
	}
	if err := json.Unmarshal([]byte(s), &h); err != nil {
		return nil, fmt.Errorf("clock: unable to read opening hours: %w", err)
	}
	return h, nil
}

// IsZero reports whether no day has an interval.
func (h Hours) IsZero() bool {
	for _, ivs := range h {
		if len(ivs) > 0 {
			return false
		}
	}
	return true
}

// Validate checks every day and interval and returns a validation_failed
// error whose fields name them (opening_hours.mon[1].end), or nil.
func (h Hours) Validate() error {
	if fs := h.FieldErrors("opening_hours"); len(fs) > 0 {
		return apperr.Validation(fs...)
	}
	return nil
}

// FieldErrors lists what is wrong, fields named under prefix: an unknown
// day, too many intervals, a time that is not HH:MM, an end not after its
// start, intervals of one day that overlap.
func (h Hours) FieldErrors(prefix string) []apperr.FieldError {
	var out []apperr.FieldError
	for _, day := range sortedDays(h) {
		if !slices.Contains(Days, day) {
			out = append(out, apperr.FieldError{Field: prefix + "." + day, Message: "is not a day: use " + strings.Join(Days, ", ")})
			continue
		}
		out = append(out, dayErrors(prefix+"."+day, h[day])...)
	}
	return out
}

func dayErrors(field string, ivs []Interval) []apperr.FieldError {
	if len(ivs) > MaxIntervalsPerDay {
		return []apperr.FieldError{{Field: field, Message: fmt.Sprintf("may have at most %d intervals", MaxIntervalsPerDay)}}
	}
	var out []apperr.FieldError
	var good []int // indexes of well-formed intervals
	for i, iv := range ivs {
		at := fmt.Sprintf("%s[%d]", field, i)
		start, errS := parseHHMM(iv.Start, false)
		end, errE := parseHHMM(iv.End, true)
		switch {
		case errS != "" || errE != "":
			if errS != "" {
				out = append(out, apperr.FieldError{Field: at + ".start", Message: errS})
			}
			if errE != "" {
				out = append(out, apperr.FieldError{Field: at + ".end", Message: errE})
			}
		case end <= start:
			out = append(out, apperr.FieldError{Field: at + ".end", Message: fmt.Sprintf("must be after the start (%s)", iv.Start)})
		default:
			good = append(good, i)
		}
	}
	return append(out, overlapErrors(field, ivs, good)...)
}

// overlapErrors names each interval that starts before an earlier-starting
// one of the same day ends. Intervals that touch (12:00 and 12:00) are fine.
func overlapErrors(field string, ivs []Interval, good []int) []apperr.FieldError {
	slices.SortStableFunc(good, func(a, b int) int { return strings.Compare(ivs[a].Start, ivs[b].Start) })
	var out []apperr.FieldError
	for k := 1; k < len(good); k++ {
		cur := ivs[good[k]]
		// The earlier interval that reaches furthest is the one to beat.
		latest := ivs[good[0]]
		for _, j := range good[1:k] {
			if ivs[j].End > latest.End {
				latest = ivs[j]
			}
		}
		if cur.Start < latest.End {
			out = append(out, apperr.FieldError{Field: fmt.Sprintf("%s[%d].start", field, good[k]),
				Message: fmt.Sprintf("overlaps %s–%s", latest.Start, latest.End)})
		}
	}
	return out
}

// parseHHMM reads "HH:MM" as minutes after midnight; "24:00" only as an
// end. The message is empty when s is good.
func parseHHMM(s string, end bool) (int, string) {
	bad := "must be a time HH:MM from 00:00 to 23:59"
	if end {
		bad = "must be a time HH:MM from 00:01 to 24:00"
	}
	if s == "" {
		return 0, "is required"
	}
	if len(s) != 5 || s[2] != ':' || !digits(s[:2]) || !digits(s[3:]) {
		return 0, bad
	}
	hh, mm := int(s[0]-'0')*10+int(s[1]-'0'), int(s[3]-'0')*10+int(s[4]-'0')
	if mm > 59 || hh > 24 || (hh == 24 && (mm != 0 || !end)) {
		return 0, bad
	}
	return hh*60 + mm, ""
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Normalize returns the hours with each day's intervals in start order and
// closed days left out. Call it on valid hours.
func (h Hours) Normalize() Hours {
	out := Hours{}
	for day, ivs := range h {
		if len(ivs) == 0 {
			continue
		}
		c := slices.Clone(ivs)
		slices.SortStableFunc(c, func(a, b Interval) int { return strings.Compare(a.Start, b.Start) })
		out[day] = c
	}
	return out
}

// Equal reports whether h and o open at the same times.
func (h Hours) Equal(o Hours) bool {
	a, b := h.Normalize(), o.Normalize()
	if len(a) != len(b) {
		return false
	}
	for day, ivs := range a {
		if !slices.Equal(ivs, b[day]) {
			return false
		}
	}
	return true
}

// MarshalJSON writes the days in week order (mon first) and an empty object
// for no hours, never null.
func (h Hours) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for _, day := range sortedDays(h) {
		ivs := h[day]
		if ivs == nil {
			ivs = []Interval{}
		}
		b, err := json.Marshal(ivs)
		if err != nil {
			return nil, fmt.Errorf("clock: unable to write opening hours: %w", err)
		}
		if buf.Len() > 1 {
			buf.WriteByte(',')
		}
		key, _ := json.Marshal(day)
		buf.Write(key)
		buf.WriteByte(':')
		buf.Write(b)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// sortedDays lists h's keys: known days in week order, then unknown ones
// alphabetically.
func sortedDays(h Hours) []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		ia, ib := dayIndex(a), dayIndex(b)
		if ia != ib {
			return ia - ib
		}
		return strings.Compare(a, b)
	})
	return keys
}

func dayIndex(day string) int {
	if i := slices.Index(Days, day); i >= 0 {
		return i
	}
	return len(Days)
}
