package auth

import (
	"context"
	"testing"
	"time"
)

// begin is Begin on the background context; the in-memory throttle never
// fails.
func begin(th *Throttle, account, address string) (*Attempt, time.Duration) {
	a, wait, err := th.Begin(context.Background(), account, address)
	if err != nil {
		panic(err)
	}
	return a, wait
}

// fail begins an attempt and counts it as failed, failing the test when
// the throttle refuses to begin it.
func fail(t *testing.T, th *Throttle, account, address string) {
	t.Helper()
	a, wait := begin(th, account, address)
	if a == nil {
		t.Fatalf("attempt for %s from %s refused (wait %v)", account, address, wait)
	}
	a.Fail()
}

// waitFor is the wait Begin asks for; a begun attempt is abandoned.
func waitFor(th *Throttle, account, address string) time.Duration {
	a, wait := begin(th, account, address)
	if a != nil {
		a.Abandon()
	}
	return wait
}

func TestThrottleDelaysGrowAndReset(t *testing.T) {
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	th := NewThrottle(func() time.Time { return now })
	for i := 0; i < 4; i++ {
		fail(t, th, "a@x", "1.2.3.4")
		if w := waitFor(th, "a@x", "1.2.3.4"); w != 0 {
			t.Fatalf("after %d failures wait = %v, want none", i+1, w)
		}
	}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}
	for i, w := range want {
		fail(t, th, "a@x", "1.2.3.4")
		if got := waitFor(th, "a@x", "1.2.3.4"); got != w {
			t.Fatalf("failure %d: wait = %v, want %v", i+5, got, w)
		}
		now = now.Add(w)
	}
	if w := waitFor(th, "b@x", "5.6.7.8"); w != 0 {
		t.Fatalf("another account from another address waits %v", w)
	}
	if w := waitFor(th, "a@x", "1.2.3.4"); w != 0 {
		t.Fatalf("wait after the delay passed = %v", w)
	}
	a, _ := begin(th, "a@x", "9.9.9.9")
	a.Succeed()
	fail(t, th, "a@x", "9.9.9.9")
	if w := waitFor(th, "a@x", "9.9.9.9"); w != 0 {
		t.Fatalf("success did not reset the account: wait %v", w)
	}
}

func TestThrottlePerAddress(t *testing.T) {
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	th := NewThrottle(func() time.Time { return now })
	for i := 0; i < 20; i++ {
		fail(t, th, "user"+string(rune('a'+i))+"@x", "6.6.6.6")
	}
	if w := waitFor(th, "fresh@x", "6.6.6.6"); w == 0 {
		t.Fatal("an address spraying 20 accounts is not slowed down")
	}
	if w := waitFor(th, "fresh@x", "7.7.7.7"); w != 0 {
		t.Fatalf("another address waits %v", w)
	}
}

func TestThrottleCapsDelay(t *testing.T) {
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	th := NewThrottle(func() time.Time { return now })
	for i := 0; i < 40; i++ {
		fail(t, th, "a@x", "1.1.1.1")
		now = now.Add(th.MaxDelay)
	}
	now = now.Add(-th.MaxDelay)
	if w := waitFor(th, "a@x", "1.1.1.1"); w != th.MaxDelay {
		t.Fatalf("wait = %v, want the cap %v", w, th.MaxDelay)
	}
}

// TestThrottleReservesAttemptsInFlight: attempts begun but not ended count
// against the limit, so a burst cannot all pass before one fails.
func TestThrottleReservesAttemptsInFlight(t *testing.T) {
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	th := NewThrottle(func() time.Time { return now })
	var begun []*Attempt
	for i := 0; i < 30; i++ {
		if a, _ := begin(th, "a@x", "1.2.3.4"); a != nil {
			begun = append(begun, a)
		}
	}
	if len(begun) != th.FreeAccount {
		t.Fatalf("%d of 30 simultaneous attempts began, want %d", len(begun), th.FreeAccount)
	}
	begun[0].Abandon()
	if a, _ := begin(th, "a@x", "1.2.3.4"); a == nil {
		t.Fatal("an abandoned attempt still holds its place")
	}
	sprayed := 0
	for i := 0; i < 40; i++ {
		if a, _ := begin(th, "user"+string(rune('A'+i))+"@x", "6.6.6.6"); a != nil {
			sprayed++
		}
	}
	if sprayed != th.FreeAddress {
		t.Fatalf("%d of 40 simultaneous attempts from one address began, want %d", sprayed, th.FreeAddress)
	}
}

// TestThrottleOneAtATimeAfterTheFreeFailures: once the free failures are
// used and the delay passed, only one attempt may be in flight.
func TestThrottleOneAtATimeAfterTheFreeFailures(t *testing.T) {
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	th := NewThrottle(func() time.Time { return now })
	for i := 0; i < th.FreeAccount; i++ {
		fail(t, th, "a@x", "1.2.3.4")
	}
	now = now.Add(time.Minute)
	first, _ := begin(th, "a@x", "1.2.3.4")
	if first == nil {
		t.Fatal("no attempt allowed after the delay passed")
	}
	if second, wait := begin(th, "a@x", "1.2.3.4"); second != nil || wait <= 0 {
		t.Fatalf("a second attempt in flight began (wait %v)", wait)
	}
	first.Fail()
	first.Fail() // ending twice counts once
	if w := waitFor(th, "a@x", "1.2.3.4"); w != 2*time.Second {
		t.Fatalf("wait after the sixth failure = %v, want 2s", w)
	}
}
