package executor

import (
	"net/http"
	"testing"
	"time"
)

func TestBreakerOpensCoolsAndCloses(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b := NewBreaker(3, 30*time.Second, func() time.Time { return now })
	for i := 0; i < 3; i++ {
		if ok, _ := b.Allow(); !ok {
			t.Fatalf("call %d refused while closed", i)
		}
		b.Failure()
	}
	if ok, wait := b.Allow(); ok || wait != 30*time.Second {
		t.Fatalf("after 3 failures: allow=%v wait=%v, want refused for 30s", ok, wait)
	}
	now = now.Add(31 * time.Second)
	if ok, _ := b.Allow(); !ok {
		t.Fatal("no trial call after the cooldown")
	}
	if ok, _ := b.Allow(); ok {
		t.Fatal("a second call went through while the trial runs")
	}
	b.Failure()
	if st := b.State(); st != BreakerOpen {
		t.Fatalf("failed trial left the breaker %s", st)
	}
	now = now.Add(31 * time.Second)
	if ok, _ := b.Allow(); !ok {
		t.Fatal("no second trial")
	}
	b.Success()
	if st := b.State(); st != BreakerClosed {
		t.Fatalf("successful trial left the breaker %s", st)
	}
}

func TestBackoffHasFullJitterWithinCap(t *testing.T) {
	for attempt := 1; attempt <= 12; attempt++ {
		ceil := min(100*time.Millisecond<<(attempt-1), 2*time.Second)
		for i := 0; i < 200; i++ {
			if d := backoff(attempt, 100*time.Millisecond, 2*time.Second); d < 0 || d > ceil {
				t.Fatalf("attempt %d: %v outside [0, %v]", attempt, d, ceil)
			}
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		v    string
		want time.Duration
		ok   bool
	}{
		{"3", 3 * time.Second, true},
		{"0.5", 500 * time.Millisecond, true},
		{now.Add(7 * time.Second).Format(http.TimeFormat), 7 * time.Second, true},
		{"soon", 0, false},
		{"", 0, false},
	}
	for _, c := range cases {
		got, ok := retryAfter(http.Header{"Retry-After": {c.v}}, "", now)
		if got != c.want || ok != c.ok {
			t.Errorf("Retry-After %q = %v %v, want %v %v", c.v, got, ok, c.want, c.ok)
		}
	}
}
