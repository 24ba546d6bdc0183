package clock_test

import (
	"errors"
	"testing"
	"time"

	"switchboard/clock"
)

// weekdays is a practice open Monday to Friday, 08:00–12:00 and 13:00–17:00.
var weekdays = clock.Hours{
	"mon": {iv("08:00", "12:00"), iv("13:00", "17:00")}, "tue": {iv("08:00", "12:00"), iv("13:00", "17:00")},
	"wed": {iv("08:00", "12:00"), iv("13:00", "17:00")}, "thu": {iv("08:00", "12:00"), iv("13:00", "17:00")},
	"fri": {iv("08:00", "12:00"), iv("13:00", "17:00")},
}

func spansOf(t *testing.T, pairs ...string) []clock.Span {
	t.Helper()
	var out []clock.Span
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, clock.Span{Start: instant(t, pairs[i]), End: instant(t, pairs[i+1])})
	}
	return out
}

func TestOpenSpans(t *testing.T) {
	chicago := clock.MustZone("America/Chicago")
	tests := []struct {
		name     string
		hours    clock.Hours
		from, to string
		want     []clock.Span
	}{
		{"WinterDayInCST", weekdays, "2026-12-14T00:00:00-06:00", "2026-12-15T00:00:00-06:00",
			spansOf(t, "2026-12-14T14:00:00Z", "2026-12-14T18:00:00Z", "2026-12-14T19:00:00Z", "2026-12-14T23:00:00Z")},
		{"SummerDayInCDT", weekdays, "2026-07-13T00:00:00-05:00", "2026-07-14T00:00:00-05:00",
			spansOf(t, "2026-07-13T13:00:00Z", "2026-07-13T17:00:00Z", "2026-07-13T18:00:00Z", "2026-07-13T22:00:00Z")},
		{"FridayBeforeAndMondayAfterSpringForward", weekdays, "2026-03-06T12:00:00Z", "2026-03-09T15:00:00Z",
			spansOf(t, "2026-03-06T14:00:00Z", "2026-03-06T18:00:00Z", "2026-03-06T19:00:00Z", "2026-03-06T23:00:00Z",
				"2026-03-09T13:00:00Z", "2026-03-09T15:00:00Z")},
		{"FridayBeforeAndMondayAfterFallBack", weekdays, "2026-10-30T12:00:00Z", "2026-11-02T16:00:00Z",
			spansOf(t, "2026-10-30T13:00:00Z", "2026-10-30T17:00:00Z", "2026-10-30T18:00:00Z", "2026-10-30T22:00:00Z",
				"2026-11-02T14:00:00Z", "2026-11-02T16:00:00Z")},
		{"SundayOfSpringForwardKeepsLocalHours", clock.Hours{"sun": {iv("08:00", "17:00")}}, "2026-03-01T00:00:00Z", "2026-03-10T00:00:00Z",
			spansOf(t, "2026-03-01T14:00:00Z", "2026-03-01T23:00:00Z", "2026-03-08T13:00:00Z", "2026-03-08T22:00:00Z")},
		{"SundayOfFallBackKeepsLocalHours", clock.Hours{"sun": {iv("08:00", "17:00")}}, "2026-10-25T00:00:00Z", "2026-11-03T00:00:00Z",
			spansOf(t, "2026-10-25T13:00:00Z", "2026-10-25T22:00:00Z", "2026-11-01T14:00:00Z", "2026-11-01T23:00:00Z")},
		{"WholeSpringForwardDayLasts23Hours", clock.Hours{"sun": {iv("00:00", "24:00")}}, "2026-03-07T12:00:00Z", "2026-03-09T12:00:00Z",
			spansOf(t, "2026-03-08T06:00:00Z", "2026-03-09T05:00:00Z")},
		{"WholeFallBackDayLasts25Hours", clock.Hours{"sun": {iv("00:00", "24:00")}}, "2026-10-31T12:00:00Z", "2026-11-02T12:00:00Z",
			spansOf(t, "2026-11-01T05:00:00Z", "2026-11-02T06:00:00Z")},
		{"AnEdgeInTheSkippedHourMovesToTheJump", clock.Hours{"sun": {iv("02:30", "04:00")}}, "2026-03-08T00:00:00Z", "2026-03-09T00:00:00Z",
			spansOf(t, "2026-03-08T08:00:00Z", "2026-03-08T09:00:00Z")},
		{"TheRepeatedHourCountsTwice", clock.Hours{"sun": {iv("01:00", "02:00")}}, "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z",
			spansOf(t, "2026-11-01T06:00:00Z", "2026-11-01T08:00:00Z")},
		{"ClippedToTheRange", weekdays, "2026-12-14T10:00:00-06:00", "2026-12-14T14:00:00-06:00",
			spansOf(t, "2026-12-14T16:00:00Z", "2026-12-14T18:00:00Z", "2026-12-14T19:00:00Z", "2026-12-14T20:00:00Z")},
		{"TouchingIntervalsJoin", clock.Hours{"tue": {iv("12:00", "17:00"), iv("08:00", "12:00")}}, "2026-12-15T00:00:00Z", "2026-12-16T00:00:00Z",
			spansOf(t, "2026-12-15T14:00:00Z", "2026-12-15T23:00:00Z")},
		{"MidnightJoinsDays", clock.Hours{"sun": {iv("20:00", "24:00")}, "mon": {iv("00:00", "04:00")}}, "2026-12-13T00:00:00Z", "2026-12-15T00:00:00Z",
			spansOf(t, "2026-12-14T02:00:00Z", "2026-12-14T10:00:00Z")},
		{"WeekendIsClosed", weekdays, "2026-12-12T00:00:00Z", "2026-12-14T06:00:00Z", nil},
		{"NoHoursNoSpans", nil, "2026-12-14T00:00:00Z", "2026-12-21T00:00:00Z", nil},
		{"EmptyRange", weekdays, "2026-12-14T18:00:00Z", "2026-12-14T18:00:00Z", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.hours.OpenSpans(chicago, instant(t, tc.from), instant(t, tc.to))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d spans %v, want %v", len(got), got, tc.want)
			}
			for i := range got {
				if !got[i].Start.Equal(tc.want[i].Start) || !got[i].End.Equal(tc.want[i].End) {
					t.Errorf("span %d = %v–%v, want %v–%v", i, got[i].Start.UTC(), got[i].End.UTC(), tc.want[i].Start.UTC(), tc.want[i].End.UTC())
				}
			}
		})
	}
}

func TestOpenSpansRefusesLongRanges(t *testing.T) {
	from := instant(t, "2026-01-01T00:00:00Z")
	if _, err := weekdays.OpenSpans(clock.UTC(), from, from.AddDate(2, 0, 0)); !errors.Is(err, clock.ErrRangeTooLong) {
		t.Fatalf("two years = %v, want ErrRangeTooLong", err)
	}
	if spans, err := weekdays.OpenSpans(clock.UTC(), from, from.Add(clock.MaxSpanDays*24*time.Hour)); err != nil || len(spans) == 0 {
		t.Fatalf("the longest range = %d spans, %v", len(spans), err)
	}
}

func TestContains(t *testing.T) {
	chicago := clock.MustZone("America/Chicago")
	joined := clock.Hours{"mon": {iv("08:00", "12:00"), iv("12:00", "17:00")}}
	tests := []struct {
		name       string
		hours      clock.Hours
		start, end string
		want       bool
	}{
		{"InsideTheMorning", weekdays, "2026-12-14T09:00:00-06:00", "2026-12-14T10:00:00-06:00", true},
		{"TheWholeMorning", weekdays, "2026-12-14T08:00:00-06:00", "2026-12-14T12:00:00-06:00", true},
		{"EndsAtClosing", weekdays, "2026-12-14T16:30:00-06:00", "2026-12-14T17:00:00-06:00", true},
		{"RunsPastClosing", weekdays, "2026-12-14T16:30:00-06:00", "2026-12-14T17:30:00-06:00", false},
		{"StartsBeforeOpening", weekdays, "2026-12-14T07:45:00-06:00", "2026-12-14T08:15:00-06:00", false},
		{"CrossesLunch", weekdays, "2026-12-14T11:30:00-06:00", "2026-12-14T12:30:00-06:00", false},
		{"CrossesTouchingIntervals", joined, "2026-12-14T11:30:00-06:00", "2026-12-14T12:30:00-06:00", true},
		{"Saturday", weekdays, "2026-12-12T09:00:00-06:00", "2026-12-12T10:00:00-06:00", false},
		{"EightOClockCDTAfterSpringForward", weekdays, "2026-03-09T13:00:00Z", "2026-03-09T14:00:00Z", true},
		{"SevenOClockCSTBeforeSpringForward", weekdays, "2026-03-06T13:00:00Z", "2026-03-06T14:00:00Z", false},
		{"EightOClockCSTAfterFallBack", weekdays, "2026-11-02T14:00:00Z", "2026-11-02T15:00:00Z", true},
		{"SevenOClockCSTAfterFallBack", weekdays, "2026-11-02T13:00:00Z", "2026-11-02T14:00:00Z", false},
		{"EmptyInterval", weekdays, "2026-12-14T09:00:00-06:00", "2026-12-14T09:00:00-06:00", false},
		{"NoHours", nil, "2026-12-14T09:00:00-06:00", "2026-12-14T10:00:00-06:00", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.hours.Contains(chicago, instant(t, tc.start), instant(t, tc.end)); got != tc.want {
				t.Fatalf("Contains(%s, %s) = %v, want %v", tc.start, tc.end, got, tc.want)
			}
		})
	}
}
