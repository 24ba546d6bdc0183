package auth

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"switchboard/models"
)

// Throttle slows down password guessing: after a few failures for one
// account or one client address, further attempts must wait, and the wait
// doubles with every further failure (up to MaxDelay). A success clears the
// account's record. With a store (NewStoredThrottle, what the app uses) the
// state lives in the database, so every process sharing it counts the
// same failures; without one it is kept in memory.
//
// Checking and counting are one step: Begin reserves the attempt before the
// password is checked, so a burst of parallel attempts cannot all pass the
// check before any failure is counted.
type Throttle struct {
	mu      sync.Mutex
	now     func() time.Time
	store   *models.Store
	entries map[string]*models.LoginThrottle
	// FreeAccount and FreeAddress are the failures allowed before delays
	// start; Window forgets failures older than this.
	FreeAccount, FreeAddress int
	BaseDelay, MaxDelay      time.Duration
	Window                   time.Duration
	// PendingFor is how long an attempt begun and never ended (its
	// process died mid-check) keeps its place.
	PendingFor time.Duration
}

// NewThrottle returns an in-memory throttle with the production settings:
// after 5 failures for an account (20 for an address) the next attempt
// waits 1s, then 2s, 4s… up to 15 minutes.
func NewThrottle(now func() time.Time) *Throttle {
	if now == nil {
		now = time.Now
	}
	return &Throttle{now: now, entries: map[string]*models.LoginThrottle{}, FreeAccount: 5, FreeAddress: 20,
		BaseDelay: time.Second, MaxDelay: 15 * time.Minute, Window: time.Hour, PendingFor: time.Minute}
}

// NewStoredThrottle is NewThrottle with its state in store's database.
func NewStoredThrottle(store *models.Store, now func() time.Time) *Throttle {
	t := NewThrottle(now)
	t.store = store
	return t
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
	ctx              context.Context
	account, address string
	done             atomic.Bool
}

// Begin reserves an attempt for this account and address, or returns how
// long the caller must wait instead. Besides the delays of past failures,
// it refuses an attempt that, with those already in flight, could exceed
// the failures still allowed: once they are used up, one at a time.
func (t *Throttle) Begin(ctx context.Context, account, address string) (*Attempt, time.Duration, error) {
	var wait time.Duration
	err := t.update(ctx, account, address, func(es map[string]*models.LoginThrottle, now time.Time) {
		wait = 0
		for _, k := range t.keys(account, address) {
			e := es[k.key]
			switch {
			case e.Until.After(now):
				wait = max(wait, e.Until.Sub(now))
			case e.Pending >= max(k.free-e.Failures, 1):
				wait = max(wait, t.BaseDelay) // about one password check away
			}
		}
		if wait > 0 {
			return
		}
		for _, k := range t.keys(account, address) {
			es[k.key].Pending++
			es[k.key].PendingAt = now
		}
	})
	if err != nil || wait > 0 {
		return nil, wait, err
	}
	return &Attempt{t: t, ctx: context.WithoutCancel(ctx), account: account, address: address}, 0, nil
}

// Fail counts the attempt as a failure for its account and address.
func (a *Attempt) Fail() error {
	return a.finish(func(es map[string]*models.LoginThrottle, now time.Time) {
		for _, k := range a.t.keys(a.account, a.address) {
			release(es[k.key])
			a.t.bump(es[k.key], k.free, now)
		}
	})
}

// Succeed clears the account's failures (not the address's).
func (a *Attempt) Succeed() error {
	return a.finish(func(es map[string]*models.LoginThrottle, _ time.Time) {
		acc := es["a:"+a.account]
		release(acc)
		acc.Failures, acc.Until = 0, time.Time{}
		release(es["ip:"+a.address])
	})
}

// Abandon releases an attempt that neither failed nor succeeded (the
// check could not run); after Fail or Succeed it does nothing.
func (a *Attempt) Abandon() {
	_ = a.finish(func(es map[string]*models.LoginThrottle, _ time.Time) {
		for _, k := range a.t.keys(a.account, a.address) {
			release(es[k.key])
		}
	})
}

// finish ends the attempt once; later calls do nothing.
func (a *Attempt) finish(end func(es map[string]*models.LoginThrottle, now time.Time)) error {
	if !a.done.CompareAndSwap(false, true) {
		return nil
	}
	return a.t.update(a.ctx, a.account, a.address, end)
}

// update runs fn over the entries of the account's and the address's keys
// (fresh ones where there are none; failures older than the window and
// attempts pending longer than PendingFor forgotten), atomically: in one
// database transaction, or under the throttle's lock in memory.
func (t *Throttle) update(ctx context.Context, account, address string, fn func(es map[string]*models.LoginThrottle, now time.Time)) error {
	ks := t.keys(account, address)
	keys := []string{ks[0].key, ks[1].key}
	now := t.now().UTC()
	apply := func(es map[string]*models.LoginThrottle) {
		for _, k := range keys {
			t.refresh(es[k], now)
		}
		fn(es, now)
	}
	if t.store != nil {
		return t.store.UpdateLoginThrottle(ctx, keys, now, apply)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, k := range keys {
		if t.entries[k] == nil {
			t.entries[k] = &models.LoginThrottle{Key: k}
		}
	}
	apply(t.entries)
	for _, k := range keys {
		if t.entries[k].Idle(now) {
			delete(t.entries, k)
		}
	}
	if len(t.entries) > 100_000 {
		t.sweep(now)
	}
	return nil
}

type throttleKey struct {
	key  string
	free int
}

func (t *Throttle) keys(account, address string) [2]throttleKey {
	return [2]throttleKey{{"a:" + account, t.FreeAccount}, {"ip:" + address, t.FreeAddress}}
}

// refresh forgets e's failures when they are older than the window, and
// its pending attempts when the last began longer than PendingFor ago.
func (t *Throttle) refresh(e *models.LoginThrottle, now time.Time) {
	if now.Sub(e.LastAt) > t.Window {
		e.Failures, e.LastAt = 0, now
	}
	if e.Pending > 0 && now.Sub(e.PendingAt) > t.PendingFor {
		e.Pending = 0
	}
}

func release(e *models.LoginThrottle) {
	if e.Pending > 0 {
		e.Pending--
	}
}

func (t *Throttle) bump(e *models.LoginThrottle, free int, now time.Time) {
	e.Failures++
	e.LastAt = now
	if over := e.Failures - free; over >= 0 {
		d := t.BaseDelay << min(over, 20)
		if d > t.MaxDelay || d <= 0 {
			d = t.MaxDelay
		}
		e.Until = now.Add(d)
	}
}

func (t *Throttle) sweep(now time.Time) {
	for k, e := range t.entries {
		if e.Pending == 0 && now.Sub(e.LastAt) > t.Window && !e.Until.After(now) {
			delete(t.entries, k)
		}
	}
}
