package auth

import (
	"sync"
	"time"
)

// Throttle slows down password guessing: after a few failures for one
// account or one client address, further attempts must wait, and the wait
// doubles with every further failure (up to MaxDelay). A success clears the
// account's record. State is per process and kept in memory.
type Throttle struct {
	mu      sync.Mutex
	now     func() time.Time
	entries map[string]*throttleEntry
	// FreeAccount and FreeAddress are the failures allowed before delays
	// start; Window forgets failures older than this.
	FreeAccount, FreeAddress int
	BaseDelay, MaxDelay      time.Duration
	Window                   time.Duration
}

type throttleEntry struct {
	failures int
	last     time.Time
	until    time.Time
}

// NewThrottle returns a throttle with the production settings: after 5
// failures for an account (20 for an address) the next attempt waits 1s,
// then 2s, 4s… up to 15 minutes.
func NewThrottle(now func() time.Time) *Throttle {
	if now == nil {
		now = time.Now
	}
	return &Throttle{now: now, entries: map[string]*throttleEntry{}, FreeAccount: 5, FreeAddress: 20,
		BaseDelay: time.Second, MaxDelay: 15 * time.Minute, Window: time.Hour}
}

// Wait returns how long the caller must wait before the next attempt for
// this account and address may run; zero means go ahead.
func (t *Throttle) Wait(account, address string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	var wait time.Duration
	for _, k := range []string{"a:" + account, "ip:" + address} {
		if e := t.entries[k]; e != nil && e.until.After(now) {
			wait = max(wait, e.until.Sub(now))
		}
	}
	return wait
}

// Fail records a failed attempt.
func (t *Throttle) Fail(account, address string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	t.bump("a:"+account, t.FreeAccount, now)
	t.bump("ip:"+address, t.FreeAddress, now)
	if len(t.entries) > 100_000 {
		t.sweep(now)
	}
}

// Succeed clears the account's failures (not the address's).
func (t *Throttle) Succeed(account string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.entries, "a:"+account)
}

func (t *Throttle) bump(key string, free int, now time.Time) {
	e := t.entries[key]
	if e == nil || now.Sub(e.last) > t.Window {
		e = &throttleEntry{}
		t.entries[key] = e
	}
	e.failures++
	e.last = now
	if over := e.failures - free; over >= 0 {
		d := t.BaseDelay << min(over, 20)
		if d > t.MaxDelay || d <= 0 {
			d = t.MaxDelay
		}
		e.until = now.Add(d)
	}
}

func (t *Throttle) sweep(now time.Time) {
	for k, e := range t.entries {
		if now.Sub(e.last) > t.Window && !e.until.After(now) {
			delete(t.entries, k)
		}
	}
}
