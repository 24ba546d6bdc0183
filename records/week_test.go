package records_test

import (
	"testing"
	"time"

	"switchboard/records"
	"switchboard/testsupport"
)

// TestWeekOpensOnTheWeekAtHand: without a week asked for, the grid shows
// the current week on a weekday and the next one on a weekend (the Monday
// before a Saturday is past).
func TestWeekOpensOnTheWeekAtHand(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		f := newFixture(t, dbURL)
		for now, want := range map[string]string{
			"2030-03-06T12:00:00Z": "2030-03-04", // Wednesday: this week
			"2030-03-09T12:00:00Z": "2030-03-11", // Saturday: next week
			"2030-03-10T12:00:00Z": "2030-03-11", // Sunday: next week
			"2030-03-11T12:00:00Z": "2030-03-11", // Monday
		} {
			at, _ := time.Parse(time.RFC3339, now)
			w, err := f.svc.Week(f.ctx, f.org, records.WeekQuery{ProviderRef: "1"}, at)
			if err != nil || w.Monday != want {
				t.Errorf("on %s the week opens on %v (%v), want %s", now, w, err, want)
			}
		}
	})
}
