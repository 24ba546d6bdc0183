package main

import (
	"context"
	"runtime"
	"sync/atomic"

	"switchboard/models"
)

// groupCommitter is group commit for SQLite's single writer: one
// goroutine takes the creates waiting (up to max) and writes them in one
// transaction, each in a SAVEPOINT of its own so that one that fails (a
// taken slot) is rolled back alone; every create is answered after the
// shared COMMIT. The BEGIN, the COMMIT and the WAL pages the creates share
// (the same index leaf pages) are paid once per group instead of per
// create.
type groupCommitter struct {
	e    *env
	max  int
	reqs chan *groupReq
	// groups and items count the transactions and the creates in them.
	groups, items atomic.Int64
}

type groupReq struct {
	n    int64
	enq  enqueue
	job  *models.SyncJob
	err  error
	done chan struct{}
}

func startGroup(ctx context.Context, e *env, max int) {
	g := &groupCommitter{e: e, max: max, reqs: make(chan *groupReq, 1024)}
	e.group = g
	go g.loop(ctx)
}

func (g *groupCommitter) create(n int64, enq enqueue) (*models.SyncJob, error) {
	r := &groupReq{n: n, enq: enq, done: make(chan struct{})}
	g.reqs <- r
	<-r.done
	return r.job, r.err
}

func (g *groupCommitter) loop(ctx context.Context) {
	for {
		var batch []*groupReq
		select {
		case <-ctx.Done():
			return
		case r := <-g.reqs:
			batch = append(batch, r)
		}
		// Let the writers just woken by the last COMMIT queue their next
		// create first (with one P the committer would otherwise run
		// again at once and take groups of one).
		runtime.Gosched()
	more:
		for len(batch) < g.max {
			select {
			case r := <-g.reqs:
				batch = append(batch, r)
			default:
				break more
			}
		}
		err := g.e.store.Tenant(g.e.orgID).InTx(context.WithoutCancel(ctx), func(tx *models.Tenant) error {
			for _, r := range batch {
				if _, err := tx.DB().ExecContext(ctx, "SAVEPOINT c"); err != nil {
					return err
				}
				r.job, r.err = g.e.createIn(ctx, tx, r.n, r.enq)
				if r.err != nil {
					if _, err := tx.DB().ExecContext(ctx, "ROLLBACK TO c"); err != nil {
						return err
					}
				}
				if _, err := tx.DB().ExecContext(ctx, "RELEASE c"); err != nil {
					return err
				}
			}
			return nil
		})
		g.groups.Add(1)
		g.items.Add(int64(len(batch)))
		for _, r := range batch {
			if err != nil && r.err == nil {
				r.err = err
			}
			close(r.done)
		}
	}
}
