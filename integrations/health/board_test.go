package health

import (
	"testing"
	"time"
)

func TestWordsSayDurationsForPeople(t *testing.T) {
	cases := map[time.Duration]string{
		300 * time.Millisecond:      "under a second",
		15 * time.Second:            "15 seconds",
		time.Minute:                 "1 minute",
		2*time.Hour + 5*time.Minute: "2 hours 5 minutes",
		3 * time.Hour:               "3 hours",
		72 * time.Hour:              "3 days",
	}
	for d, want := range cases {
		if got := Words(d); got != want {
			t.Errorf("Words(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestPercentileIsTheNearestRank(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i)*time.Second)
	}
	if got := Percentile(ds, 50); got != 50*time.Second {
		t.Errorf("p50 = %v, want 50s", got)
	}
	if got := Percentile(ds, 95); got != 95*time.Second {
		t.Errorf("p95 = %v, want 95s", got)
	}
	if got := Percentile(nil, 95); got != 0 {
		t.Errorf("p95 of nothing = %v", got)
	}
	if got := Percentile(ds[:1], 95); got != 100*time.Second {
		t.Errorf("p95 of one = %v", got)
	}
}
