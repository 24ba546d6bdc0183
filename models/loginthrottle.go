package models

import (
	"context"
	"slices"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
)

// LoginThrottle is the login throttle's state of one key ("a:<email>" or
// "ip:<client address>"), kept in the database so that every process
// sharing it counts the same failures (auth.Throttle holds the rules).
type LoginThrottle struct {
	bun.BaseModel `bun:"table:login_throttle,alias:lt"`

	Key string `bun:"key,pk"`
	// Failures are those since LastAt, within the throttle's window.
	Failures int       `bun:"failures,notnull"`
	LastAt   time.Time `bun:"last_at,notnull"`
	// Pending are attempts begun and not ended; PendingAt the last begun.
	Pending   int       `bun:"pending,notnull"`
	PendingAt time.Time `bun:"pending_at,notnull"`
	// Until is when the delay in force ends.
	Until time.Time `bun:"until_at,notnull"`
}

// Idle reports whether the row holds nothing worth keeping at now.
func (l *LoginThrottle) Idle(now time.Time) bool {
	return l.Failures == 0 && l.Pending == 0 && !l.Until.After(now)
}

// UpdateLoginThrottle runs fn over the rows of keys (a fresh zero row for a
// key without one), locked in one transaction so that concurrent attempts
// of any process see each other's counts, and saves what fn left: idle
// rows are deleted.
func (s *Store) UpdateLoginThrottle(ctx context.Context, keys []string, now time.Time, fn func(rows map[string]*LoginThrottle)) error {
	keys = slices.Sorted(slices.Values(keys)) // one lock order for every caller
	return s.InTx(ctx, func(tx *Store) error {
		rows := make(map[string]*LoginThrottle, len(keys))
		for _, k := range keys {
			rows[k] = &LoginThrottle{Key: k}
			if _, err := tx.db.NewInsert().Model(rows[k]).On("CONFLICT (key) DO NOTHING").Exec(ctx); err != nil {
				return wrap("claim login throttle", err)
			}
		}
		var have []LoginThrottle
		q := tx.db.NewSelect().Model(&have).Where("lt.key IN (?)", bun.In(keys)).Order("lt.key")
		if tx.db.Dialect().Name() == dialect.PG {
			q = q.For("UPDATE")
		}
		if err := q.Scan(ctx); err != nil {
			return wrap("read login throttle", err)
		}
		for i := range have {
			rows[have[i].Key] = &have[i]
		}
		fn(rows)
		for _, k := range keys {
			r := rows[k]
			var err error
			if r.Idle(now) {
				_, err = tx.db.NewDelete().Model(r).WherePK().Exec(ctx)
			} else {
				_, err = tx.db.NewUpdate().Model(r).WherePK().Exec(ctx)
			}
			if err != nil {
				return wrap("save login throttle", err)
			}
		}
		return nil
	})
}

// PurgeLoginThrottle deletes the rows untouched since before and holding
// no delay in force at now.
func (s *Store) PurgeLoginThrottle(ctx context.Context, before, now time.Time) (int64, error) {
	res, err := s.db.NewDelete().Model((*LoginThrottle)(nil)).Where("last_at < ? AND pending_at < ? AND until_at <= ?", before, before, now).Exec(ctx)
	if err != nil {
		return 0, wrap("purge login throttle", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
