// Package dbhook lets a test watch the statements a database runs. It
// imports nothing of the product's, so that the tests of any package
// (database, syncer, …) can use it without an import cycle.
package dbhook

import (
	"context"
	"strings"
	"sync/atomic"

	"github.com/uptrace/bun"
)

// OnQuery calls fn with the text of every statement db runs from now on
// (trimmed of leading space, once it has run), from whichever goroutine
// runs it.
func OnQuery(db *bun.DB, fn func(query string)) { db.AddQueryHook(queryFunc(fn)) }

// Count counts, from now on, the statements db runs that match.
func Count(db *bun.DB, match func(query string) bool) *atomic.Int64 {
	n := new(atomic.Int64)
	OnQuery(db, func(q string) {
		if match(q) {
			n.Add(1)
		}
	})
	return n
}

type queryFunc func(string)

func (f queryFunc) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }
func (f queryFunc) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	f(strings.TrimSpace(e.Query))
}
