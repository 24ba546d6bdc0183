package auth

import (
	"sync"
	"time"
)

// Throttle slows down password guessing: after a few failures for one
// account or one client address, further attempts must wait, and the wait
// doubles with every further failure (up to MaxDelay). A success clears the
// account's record. State is per process and kept in memory.
//
// Checking and counting are one step: Begin reserves the attempt before the
// password is checked, so a burst of parallel attempts cannot all pass the
// check before any failure is counted.
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
	pending  int // attempts begun and not yet ended
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

// SetDelays changes BaseDelay and MaxDelay of a throttle already in use.
func (t *Throttle) SetDelays(base, most time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.BaseDelay, t.MaxDelay = base, most
}

// Attempt is one reserved sign-in attempt. End it with Fail or Succeed;
// Abandon (safe to defer) releases it uncounted if neither ran.
type Attempt struct {
	t                *Throttle
	account, address string
	done             bool
}

// Begin reserves an attempt for this account and address, or returns how
// long the caller must wait instead. Besides the delays of past failures,
// it refuses an attempt that, with those already in flight, could exceed
// the failures still allowed: once they are used up, one at a time.
func (t *Throttle) Begin(account, address string) (*Attempt, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	var wait time.Duration
	for _, k := range t.keys(account, address) {
		e := t.entries[k.key]
		switch {
		case e == nil:
		case e.until.After(now):
			wait = max(wait, e.until.Sub(now))
		case e.pending >= max(k.free-t.failures(e, now), 1):
			wait = max(wait, t.BaseDelay) // about one password check away
		}
	}
	if wait > 0 {
		return nil, wait
	}
	for _, k := range t.keys(account, address) {
		t.entry(k.key, now).pending++
	}
	return &Attempt{t: t, account: account, address: address}, 0
}

// Fail counts the attempt as a failure for its account and address.
func (a *Attempt) Fail() {
	a.finish(func(t *Throttle) {
		now := t.now()
		for _, k := range t.keys(a.account, a.address) {
			t.release(k.key)
			t.bump(k.key, k.free, now)
		}
		if len(t.entries) > 100_000 {
			t.sweep(now)
		}
	})
}

// Succeed clears the account's failures (not the address's).
func (a *Attempt) Succeed() {
	a.finish(func(t *Throttle) {
		delete(t.entries, "a:"+a.account)
		t.release("ip:" + a.address)
	})
}

// Abandon releases an attempt that neither failed nor succeeded (the
// check could not run); after Fail or Succeed it does nothing.
func (a *Attempt) Abandon() {
	a.finish(func(t *Throttle) {
		for _, k := range t.keys(a.account, a.address) {
			t.release(k.key)
		}
	})
}

// finish ends the attempt once, under the throttle's lock; later calls do
// nothing.
func (a *Attempt) finish(end func(t *Throttle)) {
	a.t.mu.Lock()
	defer a.t.mu.Unlock()
	if a.done {
		return
	}
	a.done = true
	end(a.t)
}

type throttleKey struct {
	key  string
	free int
}

func (t *Throttle) keys(account, address string) [2]throttleKey {
	return [2]throttleKey{{"a:" + account, t.FreeAccount}, {"ip:" + address, t.FreeAddress}}
}

// failures counts e's failures still inside the window.
func (t *Throttle) failures(e *throttleEntry, now time.Time) int {
	if now.Sub(e.last) > t.Window {
		return 0
	}
	return e.failures
}

// entry returns the entry of key, created or with its failures forgotten
// when they are older than the window; attempts in flight are kept.
func (t *Throttle) entry(key string, now time.Time) *throttleEntry {
	e := t.entries[key]
	if e == nil {
		e = &throttleEntry{last: now}
		t.entries[key] = e
	} else if now.Sub(e.last) > t.Window {
		e.failures, e.last = 0, now
	}
	return e
}

func (t *Throttle) release(key string) {
	if e := t.entries[key]; e != nil && e.pending > 0 {
		e.pending--
	}
}

func (t *Throttle) bump(key string, free int, now time.Time) {
	e := t.entry(key, now)
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
		if e.pending == 0 && now.Sub(e.last) > t.Window && !e.until.After(now) {
			delete(t.entries, k)
		}
	}
}
