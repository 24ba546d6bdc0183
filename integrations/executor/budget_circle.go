package executor

// breakCircles refuses calls until no set of waiting calls waits only on
// room that other calls of the set hold. It is the deadlock detection of
// a resource allocator, over three kinds of room (all, the
// organization's, the integration's): every call that holds room without
// waiting will give it back, and so will every waiting call whose request
// fits in what those give back; the waiting holders left over can never
// go on. The youngest of them is refused (its room comes back when its
// call fails), and the check runs again.
func (b *budget) breakCircles() {
	for {
		stuck := b.stuckLocked()
		if len(stuck) == 0 {
			return
		}
		victim := stuck[0]
		for _, w := range stuck[1:] {
			if w.r.seq > victim.r.seq {
				victim = w
			}
		}
		victim.err = errBudgetBusy
		b.dropLocked(victim)
		close(victim.done)
	}
}

// room is what the budget would hold if some holders gave theirs back:
// all, per organization and per integration.
type room struct {
	b            *budget
	all          int64
	orgs         map[int64]int64
	integrations map[budgetKey]int64
}

// fits reports whether n more bytes for k would fit.
func (f *room) fits(k budgetKey, n int64) bool {
	return f.all+n <= f.b.total && f.orgs[k.org]+n <= f.b.perOrg && f.integrations[k]+n <= f.b.perIntegration
}

// giveBack counts r's holding as free.
func (f *room) giveBack(r *reservation) {
	f.all -= r.held
	f.orgs[r.key.org] -= r.held
	f.integrations[r.key] -= r.held
}

// stuckLocked returns the waiting holders that can never be granted.
func (b *budget) stuckLocked() []*waiter {
	waiting := map[*reservation]*waiter{}
	for _, w := range b.queue {
		if w.r.held > 0 {
			waiting[w.r] = w
		}
	}
	if len(waiting) == 0 {
		return nil
	}
	f := &room{b: b, all: b.used, orgs: map[int64]int64{}, integrations: map[budgetKey]int64{}}
	for k, n := range b.orgs {
		f.orgs[k] = n
	}
	for k, n := range b.integrations {
		f.integrations[k] = n
	}
	for r := range b.holders {
		if waiting[r] == nil {
			f.giveBack(r)
		}
	}
	for progress := true; progress; {
		progress = false
		for r, w := range waiting {
			if f.fits(r.key, w.n) {
				f.giveBack(r)
				delete(waiting, r)
				progress = true
			}
		}
	}
	stuck := make([]*waiter, 0, len(waiting))
	for _, w := range waiting {
		stuck = append(stuck, w)
	}
	return stuck
}
