package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"switchboard/apperr"
)

// Store reads and writes the rows that belong to no single organization
// (organizations, users, sessions, key lookup) and hands out Tenant scopes
// for everything else.
type Store struct {
	db  bun.IDB
	now func() time.Time
	// txMu, on SQLite, queues this process's write transactions in Go
	// and commits them in groups (see writeQueue).
	txMu *writeQueue
	// onSyncJobs, when set, hears of every sync job made due (see
	// OnSyncJobs).
	onSyncJobs SyncJobHook
	// reads keeps what the write paths read lately (see sharedReads).
	reads *sharedReads
	// prep sends the booking's statements with their values as arguments
	// (see prepared; nil on a store made over a transaction).
	prep *prepared
}

// SyncJobHook is told, inside the writing transaction (db is then a
// bun.Tx), of the sync jobs of an organization that a write made due: the
// background engine queues their deliveries there, so that they commit or
// roll back with the write.
type SyncJobHook func(ctx context.Context, db bun.IDB, orgID int64, jobIDs ...int64) error

// OnSyncJobs installs h; call it while wiring, before the store is copied
// or used.
func (s *Store) OnSyncJobs(h SyncJobHook) { s.onSyncJobs = h }

// NewStore returns a Store on db (a *bun.DB or a bun.Tx).
func NewStore(db bun.IDB) *Store {
	s := &Store{db: db, now: func() time.Time { return time.Now().UTC() }, reads: newSharedReads(), prep: newPrepared(db)}
	if db.Dialect().Name() == dialect.SQLite {
		s.txMu = new(writeQueue)
	}
	return s
}

// runInTx runs fn in a transaction of db. SQLite has one writer at a time
// and every transaction takes the write lock at BEGIN (_txlock=immediate);
// a transaction that finds it taken waits in SQLite's busy handler, which
// sleeps in growing steps (1, 2, 5 … 100 ms) and leaves the lock idle
// meanwhile. Queuing the process's transactions on a mutex instead hands
// the lock over the moment it is free.
// The transactions queued while one runs are committed together (group
// commit, see writeQueue).
func runInTx(ctx context.Context, db bun.IDB, q *writeQueue, fn func(ctx context.Context, tx bun.Tx) error) error {
	if _, inTx := db.(bun.Tx); q == nil || inTx {
		return db.RunInTx(ctx, nil, fn)
	}
	return q.run(ctx, db, fn)
}

// lockWrites takes mu (SQLite's write queue) unless db is already a
// transaction, which holds it; it returns the unlock.
func lockWrites(db bun.IDB, mu *writeQueue) func() {
	if _, inTx := db.(bun.Tx); mu == nil || inTx {
		return func() {}
	}
	mu.Lock()
	return mu.Unlock
}

// WithClock returns a copy of s whose timestamps come from now (tests).
func (s *Store) WithClock(now func() time.Time) *Store {
	c := *s
	c.now = func() time.Time { return now().UTC() }
	return &c
}

// DB returns the underlying connection or transaction.
func (s *Store) DB() bun.IDB { return s.db }

// Now is the store's clock, in UTC.
func (s *Store) Now() time.Time { return s.now() }

// InTx runs fn with a Store bound to one transaction, committed when fn
// returns nil and rolled back otherwise.
func (s *Store) InTx(ctx context.Context, fn func(tx *Store) error) error {
	return runInTx(ctx, s.db, s.txMu, func(ctx context.Context, tx bun.Tx) error {
		c := *s
		c.db = tx
		return fn(&c)
	})
}

// exclusive runs a single-statement write of s in the same queue as the
// transactions of runInTx on SQLite, where it would otherwise wait for the
// write lock in SQLite's sleeping busy handler; elsewhere it just runs fn.
func (s *Store) exclusive(fn func() error) error {
	defer lockWrites(s.db, s.txMu)()
	return fn()
}

// Tenant returns the scope of one organization. Every query of tenant data
// goes through it, so none can forget the organization.
func (s *Store) Tenant(orgID int64) *Tenant {
	return &Tenant{db: s.db, orgID: orgID, now: s.now, txMu: s.txMu, onSyncJobs: s.onSyncJobs, reads: s.reads, prep: s.prep}
}

// Tenant is the organization-scoped store. Its query builders add the
// organization_id condition; its methods use nothing else.
type Tenant struct {
	db    bun.IDB
	orgID int64
	now   func() time.Time
	txMu  *writeQueue

	onSyncJobs SyncJobHook
	reads      *sharedReads
	prep       *prepared
}

// syncJobsDue tells the hook of jobs made due.
func (t *Tenant) syncJobsDue(ctx context.Context, ids ...int64) error {
	if t.onSyncJobs == nil || len(ids) == 0 {
		return nil
	}
	return wrap("queue sync delivery", t.onSyncJobs(ctx, t.db, t.orgID, ids...))
}

// SyncJobsDue tells the background engine of sync jobs that were written
// outside the store's own methods (the benchmark's bulk load of a backlog):
// inside InTx their deliveries are queued in that transaction, exactly as
// a booking's are.
func (t *Tenant) SyncJobsDue(ctx context.Context, ids ...int64) error {
	return t.syncJobsDue(ctx, ids...)
}

// OrgID is the organization this scope is bound to.
func (t *Tenant) OrgID() int64 { return t.orgID }

// DB returns the underlying connection or transaction.
func (t *Tenant) DB() bun.IDB { return t.db }

// Now is the store's clock, in UTC.
func (t *Tenant) Now() time.Time { return t.now() }

// InTx runs fn with a Tenant bound to one transaction.
func (t *Tenant) InTx(ctx context.Context, fn func(tx *Tenant) error) error {
	return runInTx(ctx, t.db, t.txMu, func(ctx context.Context, tx bun.Tx) error {
		c := *t
		c.db = tx
		return fn(&c)
	})
}

// Unscoped returns the Store on the same connection or transaction, for
// the few queries that span organizations (the sync queue's claim).
func (t *Tenant) Unscoped() *Store {
	return &Store{db: t.db, now: t.now, txMu: t.txMu, onSyncJobs: t.onSyncJobs, reads: t.reads, prep: t.prep}
}

// selectQ starts a SELECT of model limited to this organization.
func (t *Tenant) selectQ(model any) *bun.SelectQuery {
	return t.db.NewSelect().Model(model).Where("?TableAlias.organization_id = ?", t.orgID)
}

// updateQ starts an UPDATE of model limited to this organization.
func (t *Tenant) updateQ(model any) *bun.UpdateQuery {
	return t.db.NewUpdate().Model(model).Where("?TableAlias.organization_id = ?", t.orgID)
}

// deleteQ starts a DELETE of model limited to this organization.
func (t *Tenant) deleteQ(model any) *bun.DeleteQuery {
	return t.db.NewDelete().Model(model).Where("?TableAlias.organization_id = ?", t.orgID)
}

// notFound turns sql.ErrNoRows into a not-found error for what.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.NotFound(what)
	}
	return err
}

// mustAffect returns not-found when an UPDATE or DELETE touched no row.
func mustAffect(res sql.Result, err error, what string) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return apperr.NotFound(what)
	}
	return nil
}

// isUniqueViolation reports whether err is a unique-constraint failure on
// either engine.
func isUniqueViolation(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// conflictOr maps a unique violation to a conflict error with msg.
func conflictOr(err error, format string, args ...any) error {
	if isUniqueViolation(err) {
		return apperr.New(apperr.CodeConflict, format, args...)
	}
	return err
}

func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := apperr.As(err); ok {
		return err
	}
	return fmt.Errorf("store: unable to %s: %w", what, err)
}
