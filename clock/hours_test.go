package clock_test

import (
	"encoding/json"
	"errors"
	"testing"

	"switchboard/apperr"
	"switchboard/clock"
)

func iv(start, end string) clock.Interval { return clock.Interval{Start: start, End: end} }

// validateCases are the cases of TestHoursValidate: want is field →
// message, nil when the hours are valid.
var validateCases = []struct {
	name  string
	hours clock.Hours
	want  map[string]string
}{
	{"TheSpecExampleIsValid", clock.Hours{"mon": {iv("08:00", "12:00"), iv("13:00", "17:00")}}, nil},
	{"NoHoursAreValid", nil, nil},
	{"ClosedDaysAreValid", clock.Hours{"sat": {}, "sun": nil}, nil},
	{"TouchingIntervalsAreValid", clock.Hours{"tue": {iv("08:00", "12:00"), iv("12:00", "17:00")}}, nil},
	{"OutOfOrderIntervalsAreValid", clock.Hours{"wed": {iv("13:00", "17:00"), iv("08:00", "12:00")}}, nil},
	{"WholeDayIsValid", clock.Hours{"sun": {iv("00:00", "24:00")}}, nil},
	{"Overlap", clock.Hours{"mon": {iv("08:00", "12:00"), iv("11:00", "17:00")}},
		map[string]string{"opening_hours.mon[1].start": "overlaps 08:00–12:00"}},
	{"OverlapNamesTheLaterInterval", clock.Hours{"thu": {iv("11:00", "17:00"), iv("08:00", "12:00")}},
		map[string]string{"opening_hours.thu[0].start": "overlaps 08:00–12:00"}},
	{"OverlapInsideALongInterval", clock.Hours{"fri": {iv("08:00", "17:00"), iv("09:00", "10:00"), iv("11:00", "12:00")}},
		map[string]string{"opening_hours.fri[1].start": "overlaps 08:00–17:00", "opening_hours.fri[2].start": "overlaps 08:00–17:00"}},
	{"EndBeforeStart", clock.Hours{"mon": {iv("13:00", "12:00")}},
		map[string]string{"opening_hours.mon[0].end": "must be after the start (13:00)"}},
	{"EmptyInterval", clock.Hours{"mon": {iv("09:00", "09:00")}},
		map[string]string{"opening_hours.mon[0].end": "must be after the start (09:00)"}},
	{"SingleDigitHour", clock.Hours{"mon": {iv("8:00", "12:00")}},
		map[string]string{"opening_hours.mon[0].start": "must be a time HH:MM from 00:00 to 23:59"}},
	{"NoSuchHour", clock.Hours{"mon": {iv("08:00", "25:00")}},
		map[string]string{"opening_hours.mon[0].end": "must be a time HH:MM from 00:01 to 24:00"}},
	{"NoSuchMinute", clock.Hours{"sat": {iv("08:60", "12:00")}},
		map[string]string{"opening_hours.sat[0].start": "must be a time HH:MM from 00:00 to 23:59"}},
	{"MidnightIsNoStart", clock.Hours{"sat": {iv("24:00", "24:00")}},
		map[string]string{"opening_hours.sat[0].start": "must be a time HH:MM from 00:00 to 23:59"}},
	{"PastMidnightIsNoEnd", clock.Hours{"sat": {iv("20:00", "24:01")}},
		map[string]string{"opening_hours.sat[0].end": "must be a time HH:MM from 00:01 to 24:00"}},
	{"MissingTimes", clock.Hours{"sun": {iv("", "")}},
		map[string]string{"opening_hours.sun[0].start": "is required", "opening_hours.sun[0].end": "is required"}},
	{"UnknownDay", clock.Hours{"funday": {iv("08:00", "12:00")}, "Mon": nil},
		map[string]string{"opening_hours.funday": "is not a day: use mon, tue, wed, thu, fri, sat, sun", "opening_hours.Mon": "is not a day: use mon, tue, wed, thu, fri, sat, sun"}},
	{"TooManyIntervals", clock.Hours{"mon": {iv("01:00", "02:00"), iv("03:00", "04:00"), iv("05:00", "06:00"), iv("07:00", "08:00"),
		iv("09:00", "10:00"), iv("11:00", "12:00"), iv("13:00", "14:00")}},
		map[string]string{"opening_hours.mon": "may have at most 6 intervals"}},
}

func TestHoursValidate(t *testing.T) {
	for _, tc := range validateCases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.hours.Validate()
			if tc.want == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var e *apperr.Error
			if !errors.As(err, &e) || e.Code != apperr.CodeValidationFailed {
				t.Fatalf("Validate() = %v, want validation_failed", err)
			}
			got := map[string]string{}
			for _, f := range e.Fields {
				got[f.Field] = f.Message
			}
			if len(got) != len(tc.want) {
				t.Fatalf("fields = %v, want %v", got, tc.want)
			}
			for field, msg := range tc.want {
				if got[field] != msg {
					t.Errorf("%s: got %q, want %q (all: %v)", field, got[field], msg, got)
				}
			}
		})
	}
}

func TestHoursJSON(t *testing.T) {
	h := clock.Hours{"sun": {iv("10:00", "14:00")}, "mon": {iv("13:00", "17:00"), iv("08:00", "12:00")}, "wed": {}}
	b, err := json.Marshal(h)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"mon":[{"start":"13:00","end":"17:00"},{"start":"08:00","end":"12:00"}],"wed":[],"sun":[{"start":"10:00","end":"14:00"}]}`
	if string(b) != want {
		t.Fatalf("JSON = %s\nwant   %s", b, want)
	}
	empty, _ := json.Marshal(clock.Hours(nil))
	if string(empty) != "{}" {
		t.Fatalf("no hours = %s, want {}", empty)
	}
	back, err := clock.ParseHours(string(empty))
	if err != nil || !back.IsZero() {
		t.Fatalf("ParseHours({}) = %v, %v", back, err)
	}
	back, err = clock.ParseHours(`{"mon":[{"start":"08:00","end":"12:00"},{"start":"13:00","end":"17:00"}],"sun":[{"start":"10:00","end":"14:00"}]}`)
	if err != nil || !back.Equal(h) {
		t.Fatalf("ParseHours = %v, %v; want %v", back, err, h)
	}
	if _, err := clock.ParseHours(`{"mon": "08:00"}`); err == nil {
		t.Fatal("ParseHours accepted a day that is not a list")
	}
	if h, err := clock.ParseHours(""); err != nil || !h.IsZero() {
		t.Fatalf(`ParseHours("") = %v, %v`, h, err)
	}
}

func TestHoursNormalizeAndEqual(t *testing.T) {
	a := clock.Hours{"mon": {iv("13:00", "17:00"), iv("08:00", "12:00")}, "tue": {}}
	b := clock.Hours{"mon": {iv("08:00", "12:00"), iv("13:00", "17:00")}}
	if !a.Equal(b) {
		t.Fatal("the same hours in another order are not Equal")
	}
	if n := a.Normalize(); n["mon"][0].Start != "08:00" || len(n) != 1 {
		t.Fatalf("Normalize = %v", n)
	}
	if a.Equal(clock.Hours{"mon": {iv("08:00", "12:00")}}) {
		t.Fatal("different hours are Equal")
	}
	if !(clock.Hours{"sat": {}}).IsZero() || b.IsZero() {
		t.Fatal("IsZero is wrong")
	}
}
