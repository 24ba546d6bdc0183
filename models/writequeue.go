package models

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/uptrace/bun"
)

// writeQueue is SQLite's write lock in Go, with group commit.
//
// SQLite has one writer at a time, and a commit in WAL mode costs a write
// of every page the transaction changed (a booking touches a dozen: the
// appointment, its sync job, its audit entry and their indexes) — a quarter
// of a booking's CPU when each committed alone. The process's write
// transactions therefore queue here, and the one that takes the lock runs
// every transaction queued by then in one SQLite transaction, each inside a
// savepoint of its own, and commits them together: a transaction whose
// function fails is rolled back to its savepoint alone and the others go
// on; when the commit fails, every one of them gets the error (nothing was
// saved). Each caller returns only after the commit that holds its
// transaction, so "runInTx returned nil" still means "committed".
//
// Single-statement writes (Store.exclusive, lockWrites) take the lock
// itself and run between groups.
type writeQueue struct {
	sync.Mutex // the write lock

	mu      sync.Mutex // guards pending
	pending []*queuedTx
}

// queuedTx is one write transaction waiting for its group.
type queuedTx struct {
	ctx  context.Context
	fn   func(ctx context.Context, tx bun.Tx) error
	err  error
	pnc  any // what fn panicked with, raised again in the caller
	done chan struct{}
}

// savepoint names the savepoint of each transaction of a group.
const savepoint = "switchboard_group"

// run runs fn in a transaction of db, grouped with the transactions queued
// meanwhile. A transaction whose ctx is done before its turn does not run;
// once it runs it is not interrupted by its ctx (an interrupted write
// would make SQLite roll back the whole group), so it commits or rolls
// back whole.
func (q *writeQueue) run(ctx context.Context, db bun.IDB, fn func(ctx context.Context, tx bun.Tx) error) error {
	w := &queuedTx{ctx: ctx, fn: fn, done: make(chan struct{})}
	q.mu.Lock()
	q.pending = append(q.pending, w)
	q.mu.Unlock()
	q.Lock()
	select {
	case <-w.done: // a group ran it while this one waited for the lock
	default:
		// Let the writes that are ready to queue do so first (with one
		// core, none would run while this one holds the processor): under
		// load the group grows, idle this returns at once.
		runtime.Gosched()
		q.mu.Lock()
		group := q.pending
		q.pending = nil
		q.mu.Unlock()
		runGroup(db, group)
	}
	q.Unlock()
	<-w.done
	if w.pnc != nil {
		panic(w.pnc)
	}
	return w.err
}

// runGroup runs the transactions of group in one transaction of db and
// commits it; it tells each its outcome.
func runGroup(db bun.IDB, group []*queuedTx) {
	defer func() {
		for _, w := range group {
			close(w.done)
		}
	}()
	if len(group) == 1 {
		w := group[0]
		if w.err = w.ctx.Err(); w.err == nil {
			w.call(func(ctx context.Context) error { return db.RunInTx(ctx, nil, w.fn) })
		}
		return
	}
	bg := context.WithoutCancel(group[0].ctx)
	tx, err := db.BeginTx(bg, nil)
	if err != nil {
		failAll(group, err)
		return
	}
	ran := false
	for _, w := range group {
		if w.err = w.ctx.Err(); w.err != nil {
			continue
		}
		if err := runSaved(bg, tx, w); err != nil {
			// The transaction is unusable (SQLite rolled it back on an
			// I/O error, say): nothing of the group is saved.
			_ = tx.Rollback()
			failAll(group, fmt.Errorf("write group aborted: %w", err))
			return
		}
		ran = ran || w.err == nil
	}
	if !ran {
		_ = tx.Rollback()
		return
	}
	if err := tx.Commit(); err != nil {
		failAll(group, err)
	}
}

// runSaved runs w inside a savepoint of tx, rolled back to when w fails;
// the error is tx's own (the savepoint could not be set, rolled back to
// or released), not w's.
func runSaved(ctx context.Context, tx bun.Tx, w *queuedTx) error {
	if _, err := tx.ExecContext(ctx, "SAVEPOINT "+savepoint); err != nil {
		return err
	}
	w.call(func(ctx context.Context) error { return w.fn(ctx, tx) })
	if w.err != nil || w.pnc != nil {
		if _, err := tx.ExecContext(ctx, "ROLLBACK TO "+savepoint); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, "RELEASE "+savepoint)
	return err
}

// call runs f with w's context (without its cancellation), keeping its
// error or what it panicked with.
func (w *queuedTx) call(f func(ctx context.Context) error) {
	defer func() {
		if p := recover(); p != nil {
			w.pnc = p
		}
	}()
	w.err = f(context.WithoutCancel(w.ctx))
}

// failAll gives err to every transaction of group that had not failed on
// its own: none of them was saved.
func failAll(group []*queuedTx, err error) {
	for _, w := range group {
		if w.err == nil && w.pnc == nil {
			w.err = err
		}
	}
}
