package auth

import (
	"testing"
	"time"
)

func TestThrottleDelaysGrowAndReset(t *testing.T) {
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	th := NewThrottle(func() time.Time { return now })
	for i := 0; i < 4; i++ {
		th.Fail("a@x", "1.2.3.4")
		if w := th.Wait("a@x", "1.2.3.4"); w != 0 {
			t.Fatalf("after %d failures wait = %v, want none", i+1, w)
		}
	}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}
	for i, w := range want {
		th.Fail("a@x", "1.2.3.4")
		if got := th.Wait("a@x", "1.2.3.4"); got != w {
			t.Fatalf("failure %d: wait = %v, want %v", i+5, got, w)
		}
	}
	if w := th.Wait("b@x", "5.6.7.8"); w != 0 {
		t.Fatalf("another account from another address waits %v", w)
	}
	now = now.Add(9 * time.Second)
	if w := th.Wait("a@x", "1.2.3.4"); w != 0 {
		t.Fatalf("wait after the delay passed = %v", w)
	}
	th.Succeed("a@x")
	th.Fail("a@x", "9.9.9.9")
	if w := th.Wait("a@x", "9.9.9.9"); w != 0 {
		t.Fatalf("success did not reset the account: wait %v", w)
	}
}

func TestThrottlePerAddress(t *testing.T) {
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	th := NewThrottle(func() time.Time { return now })
	for i := 0; i < 20; i++ {
		th.Fail("user"+string(rune('a'+i))+"@x", "6.6.6.6")
	}
	if w := th.Wait("fresh@x", "6.6.6.6"); w == 0 {
		t.Fatal("an address spraying 20 accounts is not slowed down")
	}
	if w := th.Wait("fresh@x", "7.7.7.7"); w != 0 {
		t.Fatalf("another address waits %v", w)
	}
}

func TestThrottleCapsDelay(t *testing.T) {
	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	th := NewThrottle(func() time.Time { return now })
	for i := 0; i < 100; i++ {
		th.Fail("a@x", "1.1.1.1")
	}
	if w := th.Wait("a@x", "1.1.1.1"); w != th.MaxDelay {
		t.Fatalf("wait = %v, want the cap %v", w, th.MaxDelay)
	}
}
