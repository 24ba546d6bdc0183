package executor

import (
	"context"
	"errors"
	"sync"

	"switchboard/apperr"
)

// Response budget defaults. A parsed answer takes about four times its
// size (and writing it out as JSON once more), so 16 MiB of answers keeps
// a server's resident set under 300 MiB however many large answers arrive
// together, while it still lets one answer at the 10 MiB cap through
// beside many small ones. Inside it, one organization may hold at most
// 12 MiB and one integration at most 10 MiB (one answer at the cap), so
// that an organization whose answers are large, or whose agents read
// them slowly, always leaves room to the others, and one of its
// integrations to its other integrations.
const (
	DefaultResponseBudget            = 16 << 20
	DefaultOrgResponseBudget         = 12 << 20
	DefaultIntegrationResponseBudget = 10 << 20
)

// initialRoom is what an answer reserves while it arrives: an answer that
// ends within it is parsed from memory, a longer one goes on to a spill
// file and reserves its whole length only once it has arrived (see
// receive), so a slow upstream holds no more than this while it drips.
const initialRoom = 256 << 10

// budgetKey names the organization and the integration a reservation
// counts against.
type budgetKey struct{ org, integration int64 }

// budget bounds the answer bytes that executions hold at once: in all,
// per organization and per integration. A call that finds no room waits
// in a queue until its context ends; room that frees up goes to the
// waiters in the order they came, each that fits (a large answer does not
// hold up small ones of other organizations). A call that waits while it
// holds room (the next page of a paged answer) could wait on others that
// wait on it: such a circle is found when it forms and broken by refusing
// its youngest call (see breakCircles).
type budget struct {
	total, perOrg, perIntegration int64

	mu           sync.Mutex
	used         int64
	orgs         map[int64]int64
	integrations map[budgetKey]int64
	holders      map[*reservation]struct{}
	queue        []*waiter
	seq          uint64
}

// waiter is a call waiting for n bytes; done is closed when they are
// granted, or with err set when the call is refused to break a circle.
type waiter struct {
	r    *reservation
	n    int64
	done chan struct{}
	err  error
}

// newBudget returns a budget with the three limits (each at most the one
// around it).
func newBudget(total, perOrg, perIntegration int64) *budget {
	return &budget{total: total, perOrg: perOrg, perIntegration: perIntegration,
		orgs: map[int64]int64{}, integrations: map[budgetKey]int64{}, holders: map[*reservation]struct{}{}}
}

// reservation starts a call's part of the budget; limit is the call's cap
// on its answers.
func (b *budget) reservation(org, integration, limit int64) *reservation {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.seq++
	return &reservation{b: b, key: budgetKey{org, integration}, seq: b.seq, limit: limit}
}

// fitsLocked reports whether n more bytes for k fit every level.
func (b *budget) fitsLocked(k budgetKey, n int64) bool {
	return b.used+n <= b.total && b.orgs[k.org]+n <= b.perOrg && b.integrations[k]+n <= b.perIntegration
}

// moveLocked gives r n more bytes (n < 0 gives them back).
func (b *budget) moveLocked(r *reservation, n int64) {
	r.held += n
	b.used += n
	b.orgs[r.key.org] += n
	b.integrations[r.key] += n
	if b.orgs[r.key.org] == 0 {
		delete(b.orgs, r.key.org)
	}
	if b.integrations[r.key] == 0 {
		delete(b.integrations, r.key)
	}
	if r.held > 0 {
		b.holders[r] = struct{}{}
	} else {
		delete(b.holders, r)
	}
}

// acquire gives r n more bytes, waiting until ctx ends; errBudgetBusy when
// they can never fit or r was refused to break a circle of waits.
func (b *budget) acquire(ctx context.Context, r *reservation, n int64) error {
	b.mu.Lock()
	if n > min(b.total, b.perOrg, b.perIntegration) {
		b.mu.Unlock()
		return errBudgetBusy
	}
	if b.fitsLocked(r.key, n) {
		b.moveLocked(r, n)
		b.mu.Unlock()
		return nil
	}
	w := &waiter{r: r, n: n, done: make(chan struct{})}
	b.queue = append(b.queue, w)
	if r.held > 0 {
		b.breakCircles()
	}
	b.mu.Unlock()
	select {
	case <-w.done:
		return w.err
	case <-ctx.Done():
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	select {
	case <-w.done: // granted or refused meanwhile: too late either way
		if w.err == nil {
			b.moveLocked(r, -n)
			b.grantLocked()
		}
	default:
		b.dropLocked(w)
	}
	return ctx.Err()
}

// release gives n of r's bytes back and hands them to the waiters.
func (b *budget) release(r *reservation, n int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.moveLocked(r, -min(n, r.held))
	b.grantLocked()
}

// grantLocked grants, in the order they came, every waiter that fits.
func (b *budget) grantLocked() {
	kept := b.queue[:0]
	for _, w := range b.queue {
		if b.fitsLocked(w.r.key, w.n) {
			b.moveLocked(w.r, w.n)
			close(w.done)
			continue
		}
		kept = append(kept, w)
	}
	clear(b.queue[len(kept):])
	b.queue = kept
}

// dropLocked takes w out of the queue.
func (b *budget) dropLocked(w *waiter) {
	for i, q := range b.queue {
		if q == w {
			b.queue = append(b.queue[:i], b.queue[i+1:]...)
			return
		}
	}
}

// errBudgetBusy reports that the response budget is taken by other calls.
var errBudgetBusy = errors.New("executor: the response budget is taken")

// budgetError words a failed wait for the budget: the caller's context
// ended, or the attempt's timeout passed (or the call was refused) while
// other calls held it.
func budgetError(ctx context.Context) error {
	if ctx.Err() != nil {
		return cancelled(ctx)
	}
	return apperr.New(apperr.CodeUnavailable, "other calls hold the memory set aside for upstream answers; try again").
		WithRetryAfter(1)
}
