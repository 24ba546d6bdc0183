package clock_test

import (
	"testing"
	"time"

	"switchboard/clock"
)

// TestWords: durations read as words, not Go's 15s or 1m0s.
func TestWords(t *testing.T) {
	for d, want := range map[time.Duration]string{
		15 * time.Second:                 "15 seconds",
		time.Minute:                      "1 minute",
		90 * time.Second:                 "1 minute 30 seconds",
		time.Second:                      "1 second",
		1500 * time.Millisecond:          "1 second",
		250 * time.Millisecond:           "250 milliseconds",
		2 * time.Hour:                    "2 hours",
		time.Hour + 5*time.Second:        "1 hour",
		26*time.Hour + 3*time.Minute:     "1 day 2 hours",
		-30 * time.Second:                "30 seconds",
		time.Hour + 30*time.Minute + 1e9: "1 hour 30 minutes",
	} {
		if got := clock.Words(d); got != want {
			t.Errorf("Words(%s) = %q, want %q", d, got, want)
		}
	}
}
