package executor

import "context"

// reservation is the part of the response budget one execution holds: the
// bytes of the answers it keeps (used) and room for the answer being read
// (held beyond used). held is guarded by the budget's lock.
type reservation struct {
	b   *budget
	key budgetKey
	// seq orders reservations by age: a circle of waits is broken by
	// refusing its youngest call.
	seq uint64
	// limit is the call's cap on all its answers together.
	limit int64

	held int64
	used int64
}

// remaining is what the call may still read.
func (r *reservation) remaining() int64 {
	r.b.mu.Lock()
	defer r.b.mu.Unlock()
	return r.limit - r.used
}

// reserve makes the holding room for an answer of n bytes beside the kept
// ones: it gives back what is more (a discarded attempt's room, say), or
// waits for what is missing until ctx ends.
func (r *reservation) reserve(ctx context.Context, n int64) error {
	r.b.mu.Lock()
	more := r.used + n - r.held
	r.b.mu.Unlock()
	switch {
	case more < 0:
		r.b.release(r, -more)
	case more > 0:
		return r.b.acquire(ctx, r, more)
	}
	return nil
}

// keep counts an accepted answer of n bytes against the cap.
func (r *reservation) keep(n int64) {
	r.b.mu.Lock()
	defer r.b.mu.Unlock()
	r.used += n
}

// settle gives back all but the bytes of the kept answers.
func (r *reservation) settle() {
	r.b.mu.Lock()
	extra := r.held - r.used
	r.b.mu.Unlock()
	if extra > 0 {
		r.b.release(r, extra)
	}
}

// release gives everything back; it may be called more than once.
func (r *reservation) release() {
	if r == nil {
		return
	}
	r.b.mu.Lock()
	r.used = 0
	held := r.held
	r.b.mu.Unlock()
	if held > 0 {
		r.b.release(r, held)
	}
}
