package clock_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"switchboard/clock"
)

func TestParse(t *testing.T) {
	chicago := clock.MustZone("America/Chicago")
	tests := []struct {
		name  string
		zone  clock.Zone
		in    string
		want  string // the instant in UTC, or "" when an error is expected
		error string
	}{
		{"LocalMinutesArePracticeTime", chicago, "2026-12-15T10:30", "2026-12-15T16:30:00Z", ""},
		{"LocalSecondsArePracticeTime", chicago, "2026-12-15T10:30:45", "2026-12-15T16:30:45Z", ""},
		{"DatetimeLocalWithMilliseconds", chicago, "2026-12-15T10:30:00.000", "2026-12-15T16:30:00Z", ""},
		{"SummerLocalTime", chicago, "2026-07-15T10:30", "2026-07-15T15:30:00Z", ""},
		{"OffsetWins", chicago, "2026-12-15T10:30:00-06:00", "2026-12-15T16:30:00Z", ""},
		{"ZuluWins", chicago, "2026-12-15T16:30:00Z", "2026-12-15T16:30:00Z", ""},
		{"TheIssueExample", chicago, "2026-12-12T09:00:00-08:00", "2026-12-12T17:00:00Z", ""},
		{"OffsetWithoutSeconds", chicago, "2026-12-15T10:30-06:00", "2026-12-15T16:30:00Z", ""},
		{"SurroundingSpaceIgnored", chicago, " 2026-12-15T10:30 ", "2026-12-15T16:30:00Z", ""},
		{"UTCPracticeReadsLocalAsUTC", clock.UTC(), "2026-03-08T02:30", "2026-03-08T02:30:00Z", ""},
		{"HalfHourZone", clock.MustZone("Asia/Kolkata"), "2026-12-15T10:30", "2026-12-15T05:00:00Z", ""},

		// 8 March 2026: at 02:00 CST the clocks jump to 03:00 CDT.
		{"SpringForwardLastMinuteBefore", chicago, "2026-03-08T01:59", "2026-03-08T07:59:00Z", ""},
		{"SpringForwardSkippedTimeRefused", chicago, "2026-03-08T02:30", "", "does not exist in America/Chicago"},
		{"SpringForwardSkippedStartRefused", chicago, "2026-03-08T02:00", "", "does not exist"},
		{"SpringForwardFirstMinuteAfter", chicago, "2026-03-08T03:00", "2026-03-08T08:00:00Z", ""},
		{"SpringForwardWithOffsetIsAnInstant", chicago, "2026-03-08T02:30:00-06:00", "2026-03-08T08:30:00Z", ""},
		// 1 November 2026: at 02:00 CDT the clocks go back to 01:00 CST.
		{"FallBackBefore", chicago, "2026-11-01T00:30", "2026-11-01T05:30:00Z", ""},
		{"FallBackRepeatedTimeIsItsFirstOccurrence", chicago, "2026-11-01T01:30", "2026-11-01T06:30:00Z", ""},
		{"FallBackSecondOccurrenceByOffset", chicago, "2026-11-01T01:30:00-06:00", "2026-11-01T07:30:00Z", ""},
		{"FallBackAfter", chicago, "2026-11-01T02:00", "2026-11-01T08:00:00Z", ""},

		{"Empty", chicago, "", "", "is required"},
		{"Words", chicago, "tomorrow at ten", "", `"tomorrow at ten" is not a date-time`},
		{"DateOnly", chicago, "2026-12-15", "", "is not a date-time"},
		{"SpaceInsteadOfT", chicago, "2026-12-15 10:30", "", "is not a date-time"},
		{"USFormat", chicago, "12/15/2026 10:30", "", "is not a date-time"},
		{"NoSuchMonth", chicago, "2026-13-01T10:00", "", "is not a date-time"},
		{"NoSuchDay", chicago, "2026-02-30T10:00", "", "is not a date-time"},
		{"TooLongAgo", chicago, "1800-01-01T10:00", "", "out of range"},
		{"TooLongAgoWithOffset", chicago, "1899-12-31T10:00:00Z", "", "out of range"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.zone.Parse(tc.in)
			if tc.error != "" {
				var ie *clock.InputError
				if !errors.As(err, &ie) || !strings.Contains(ie.Reason, tc.error) {
					t.Fatalf("Parse(%q) = %v, %v; want an InputError containing %q", tc.in, got, err, tc.error)
				}
				return
			}
			if err != nil || !got.Equal(instant(t, tc.want)) {
				t.Fatalf("Parse(%q) = %v, %v; want %s", tc.in, got.UTC(), err, tc.want)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct{ name, zone, in, want string }{
		{"ChicagoWinter", "America/Chicago", "2026-12-15", "2026-12-15T06:00:00Z"},
		{"ChicagoSpringForwardDay", "America/Chicago", "2026-03-08", "2026-03-08T06:00:00Z"},
		{"ChicagoFallBackDay", "America/Chicago", "2026-11-01", "2026-11-01T05:00:00Z"},
		// Cuba moves its clocks at midnight: 8 March 2026 starts at 01:00.
		{"MidnightSkipped", "America/Havana", "2026-03-08", "2026-03-08T05:00:00Z"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := clock.MustZone(tc.zone).ParseDate(tc.in)
			if err != nil || !got.Equal(instant(t, tc.want)) {
				t.Fatalf("ParseDate(%q) = %v, %v; want %s", tc.in, got.UTC(), err, tc.want)
			}
		})
	}
	if _, err := clock.UTC().ParseDate("15/12/2026"); err == nil || !strings.Contains(err.Error(), "YYYY-MM-DD") {
		t.Fatalf("a bad date = %v", err)
	}
}

// TestRoundTripAcrossBothTransitions renders every minute of the two days
// on which Chicago changes its clocks in 2026 and parses it back.
func TestRoundTripAcrossBothTransitions(t *testing.T) {
	chicago := clock.MustZone("America/Chicago")
	for _, day := range []string{"2026-03-08T05:00:00Z", "2026-11-01T04:00:00Z"} {
		start := instant(t, day)
		for at := start; at.Before(start.Add(26 * time.Hour)); at = at.Add(time.Minute) {
			if got, err := chicago.Parse(chicago.Format(at)); err != nil || !got.Equal(at) {
				t.Fatalf("Parse(Format(%v)) = %v, %v", at, got, err)
			}
			got, err := chicago.Parse(chicago.FormatInput(at))
			want := at
			if _, off := chicago.In(at).Zone(); off == -6*3600 && chicago.In(at).Hour() == 1 && at.Month() == time.November && chicago.In(at).Day() == 1 {
				want = at.Add(-time.Hour) // the repeated hour reads as its first occurrence
			}
			if err != nil || !got.Equal(want) {
				t.Fatalf("Parse(FormatInput(%v)) = %v, %v; want %v", at, got, err, want)
			}
		}
	}
}

var fuzzZones = []string{"UTC", "America/Chicago", "Australia/Lord_Howe", "Asia/Kathmandu", "America/St_Johns", "America/Havana"}

// FuzzParse holds the parser to three promises on any input: it never
// panics; what it accepts renders and parses back to the same instant; and
// a local input lands on an instant whose practice wall clock shows it.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"2026-12-15T10:30", "2026-12-15T10:30:45.5", "2026-03-08T02:30", "2026-11-01T01:30",
		"2026-12-15T10:30:00-06:00", "2026-12-15T16:30:00Z", "2026-12-15T10:30-06:00", "9999-12-31T23:59:59+23:59", "x"} {
		f.Add(s, uint8(1))
	}
	f.Fuzz(func(t *testing.T, s string, zi uint8) {
		z := clock.MustZone(fuzzZones[int(zi)%len(fuzzZones)])
		got, err := z.Parse(s)
		if err != nil {
			var ie *clock.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("Parse(%q) error %v is not an InputError", s, err)
			}
			return
		}
		back, err := z.Parse(z.Format(got))
		if err != nil || !back.Equal(got.Truncate(time.Second)) {
			t.Fatalf("Parse(%q) = %v; Parse(Format) = %v, %v", s, got, back, err)
		}
		if wall, err := time.Parse("2006-01-02T15:04:05", strings.TrimSpace(s)); err == nil {
			if shown := z.In(got).Format("2006-01-02T15:04:05.999999999"); shown != wall.Format("2006-01-02T15:04:05.999999999") {
				t.Fatalf("Parse(%q) in %s shows %s", s, z.Name(), shown)
			}
		}
	})
}

// TestParseDayEnd: the end of a practice day is the first instant of the
// next one, 23 or 25 hours after its start on the days the clocks change.
func TestParseDayEnd(t *testing.T) {
	chicago := clock.MustZone("America/Chicago")
	for date, want := range map[string]string{
		"2027-01-14": "2027-01-15T06:00:00Z", // CST
		"2027-03-14": "2027-03-15T05:00:00Z", // the spring change: CDT next day
		"2027-11-07": "2027-11-08T06:00:00Z", // the autumn change: CST next day
	} {
		got, err := chicago.ParseDayEnd(date)
		if err != nil || got.UTC().Format(time.RFC3339) != want {
			t.Errorf("ParseDayEnd(%s) = %s, %v; want %s", date, got.UTC().Format(time.RFC3339), err, want)
		}
	}
	if _, err := chicago.ParseDayEnd("2027-13-01"); err == nil {
		t.Error("ParseDayEnd took a month 13")
	}
}
