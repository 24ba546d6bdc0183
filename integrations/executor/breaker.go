package executor

import (
	"maps"
	"sync"
	"time"
)

// Breaker states.
const (
	BreakerClosed   = "closed"
	BreakerOpen     = "open"
	BreakerHalfOpen = "half-open"
)

// Breaker is a circuit breaker for one integration and environment: after
// Threshold consecutive failures it opens and refuses calls for Cooldown,
// then lets one trial call through (half-open); its outcome closes or
// re-opens the circuit.
type Breaker struct {
	mu        sync.Mutex
	now       func() time.Time
	threshold int
	cooldown  time.Duration
	failures  int
	openedAt  time.Time
	state     string
	trial     bool
}

// NewBreaker returns a closed breaker.
func NewBreaker(threshold int, cooldown time.Duration, now func() time.Time) *Breaker {
	if now == nil {
		now = time.Now
	}
	return &Breaker{now: now, threshold: threshold, cooldown: cooldown, state: BreakerClosed}
}

// Allow reports whether a call may proceed now; when it may not, it says
// how long until the breaker lets a trial call through.
func (b *Breaker) Allow() (bool, time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch b.state {
	case BreakerOpen:
		wait := b.cooldown - b.now().Sub(b.openedAt)
		if wait > 0 {
			return false, wait
		}
		b.state, b.trial = BreakerHalfOpen, true
		return true, 0
	case BreakerHalfOpen:
		if b.trial {
			return false, time.Second // one trial at a time
		}
		b.trial = true
		return true, 0
	}
	return true, 0
}

// Success records a successful call; it reports whether it closed a
// circuit that was open (the integration recovered).
func (b *Breaker) Success() (closed bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	closed = b.state != BreakerClosed
	b.failures, b.state, b.trial = 0, BreakerClosed, false
	return closed
}

// Failure records a failed call (network error, timeout, 5xx); it reports
// whether it opened the circuit.
func (b *Breaker) Failure() (opened bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failures++
	if b.state == BreakerHalfOpen || b.failures >= b.threshold {
		opened = b.state != BreakerOpen
		b.state, b.openedAt, b.trial = BreakerOpen, b.now(), false
	}
	return opened
}

// Release ends a trial call whose outcome says nothing about the upstream's
// health (a 4xx answer, a cancelled caller).
func (b *Breaker) Release() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.state == BreakerHalfOpen {
		b.trial = false
	}
}

// State returns closed, open or half-open.
func (b *Breaker) State() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.state == BreakerOpen && b.now().Sub(b.openedAt) >= b.cooldown {
		return BreakerHalfOpen
	}
	return b.state
}

// OpenCircuits counts the open circuits per integration slug, over every
// organization and environment (for the metrics): a slug whose circuits
// are all closed counts 0.
func (e *Executor) OpenCircuits() map[string]int {
	e.mu.Lock()
	bs := make(map[stateKey]*Breaker, len(e.breakers))
	maps.Copy(bs, e.breakers)
	e.mu.Unlock()
	out := make(map[string]int, len(bs))
	for k, b := range bs {
		n := out[k.slug]
		if b.State() == BreakerOpen {
			n++
		}
		out[k.slug] = n
	}
	return out
}
