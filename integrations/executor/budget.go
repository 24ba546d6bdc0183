package executor

import (
	"context"
	"errors"
	"sync"

	"golang.org/x/sync/semaphore"

	"switchboard/apperr"
)

// DefaultResponseBudget is how many answer bytes all executions together
// may hold at once. A parsed answer takes about four times its size (and
// writing it out as JSON once more), so 16 MiB of answers keeps a server's
// resident set under 300 MiB however many large answers arrive together,
// while it still lets one answer at the 10 MiB cap through beside many
// small ones.
const DefaultResponseBudget = 16 << 20

// initialRoom is what an answer of unknown length reserves before reading;
// it grows as the answer does.
const initialRoom = 256 << 10

// reservation is the part of the response budget one execution holds: the
// bytes of the answers it keeps (used) and room for the answer being read.
// Only an execution holding no kept answer waits for the budget, at the
// start of an answer; growing later (a longer answer than reserved, the
// next page) takes what is free at once or fails the call, so executions
// never wait on one another in a circle.
type reservation struct {
	sem *semaphore.Weighted
	// limit is the call's cap on all its answers together.
	limit int64

	mu   sync.Mutex
	held int64
	used int64
}

// remaining is what the call may still read.
func (r *reservation) remaining() int64 { return r.limit - r.used }

// reserve makes room for an answer of n bytes. A call holding no kept
// answer gives back what a discarded attempt held, then waits for the
// budget until ctx ends; any other call grows as grow does.
func (r *reservation) reserve(ctx context.Context, n int64) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.used > 0 {
		return r.growLocked(n)
	}
	if r.held >= n {
		return nil
	}
	r.setLocked(0)
	if err := r.sem.Acquire(ctx, n); err != nil {
		return err
	}
	r.held = n
	return nil
}

// grow makes room for the answer being read to reach n bytes without
// waiting: errBudgetBusy when the budget has not that much free.
func (r *reservation) grow(n int64) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.growLocked(n)
}

func (r *reservation) growLocked(n int64) error {
	more := r.used + n - r.held
	if more <= 0 {
		return nil
	}
	if !r.sem.TryAcquire(more) {
		return errBudgetBusy
	}
	r.held += more
	return nil
}

// keep counts an accepted answer of n bytes against the cap.
func (r *reservation) keep(n int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.used += n
}

// settle gives back all but the bytes of the kept answers.
func (r *reservation) settle() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.setLocked(r.used)
}

// release gives back everything; it may be called more than once.
func (r *reservation) release() {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.used = 0
	r.setLocked(0)
}

// setLocked shrinks the holding to n bytes (never grows it).
func (r *reservation) setLocked(n int64) {
	if r.held > n {
		r.sem.Release(r.held - n)
		r.held = n
	}
}

// errBudgetBusy reports that the response budget is taken by other calls.
var errBudgetBusy = errors.New("executor: the response budget is taken")

// budgetError words a failed wait for the budget: the caller's context
// ended, or the attempt's timeout passed while other calls held it.
func budgetError(ctx context.Context) error {
	if ctx.Err() != nil {
		return cancelled(ctx)
	}
	return apperr.New(apperr.CodeUnavailable, "other calls hold the memory set aside for upstream answers; try again").
		WithRetryAfter(1)
}
