package main

import (
	"context"
	"log"
	"sync"
	"time"

	"switchboard/models"
)

// outbox is a minimal replica of today's engine (integrations/syncer):
// the sync_jobs row is the queue, a commit wakes the idle workers in
// process (Kick), a worker claims one due job under a lease (UPDATE …
// RETURNING, SKIP LOCKED on PostgreSQL), delivers it, and the outcome's
// transaction also claims its next job. The product's reads, calls and
// statements are the real ones (models.Store); what is left out is the
// executor, the registry, the per-job heartbeat and conflict handling,
// which are the same under either engine.
type outbox struct {
	e       *env
	owner   string
	workers int
	lease   time.Duration

	mu   sync.Mutex
	wake chan struct{}
}

func newOutbox(e *env, owner string, workers int) *outbox {
	return &outbox{e: e, owner: owner, workers: workers, lease: 30 * time.Second, wake: make(chan struct{})}
}

// enqueue adds nothing: the sync_jobs row is the job.
func (o *outbox) enqueue() enqueue { return nil }

// kick wakes the idle workers (called after a commit).
func (o *outbox) kick() {
	o.mu.Lock()
	close(o.wake)
	o.wake = make(chan struct{})
	o.mu.Unlock()
}

func (o *outbox) woken() <-chan struct{} {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.wake
}

// run works until ctx ends.
func (o *outbox) run(ctx context.Context) {
	var wg sync.WaitGroup
	for range o.workers {
		wg.Go(func() { o.work(ctx) })
	}
	wg.Wait()
}

func (o *outbox) claim(ctx context.Context, s *models.Store) (*models.SyncJob, error) {
	js, err := s.ClaimSyncJobs(ctx, o.owner, time.Now().UTC().Add(o.lease), 1)
	if err != nil || len(js) == 0 {
		return nil, err
	}
	return &js[0], nil
}

func (o *outbox) work(ctx context.Context) {
	t := time.NewTimer(0)
	defer t.Stop()
	var next *models.SyncJob
	for ctx.Err() == nil {
		wake := o.woken()
		j := next
		var err error
		if j == nil {
			j, err = o.claim(ctx, o.e.store)
		}
		if j != nil {
			next, err = o.deliver(ctx, j)
		}
		if err != nil && ctx.Err() == nil {
			log.Printf("outbox: %v", err)
		}
		if j != nil {
			continue
		}
		t.Reset(time.Second)
		select {
		case <-ctx.Done():
		case <-wake:
		case <-t.C:
		}
	}
}

// deliver delivers a claimed job and claims the next in the outcome's
// transaction.
func (o *outbox) deliver(ctx context.Context, j *models.SyncJob) (*models.SyncJob, error) {
	d, err := o.e.call(context.WithoutCancel(ctx), j)
	if err != nil {
		return nil, err
	}
	var next *models.SyncJob
	err = o.e.store.Tenant(j.OrganizationID).InTx(context.WithoutCancel(ctx), func(tx *models.Tenant) error {
		if err := record(ctx, tx, j, d, o.owner); err != nil {
			return err
		}
		var err error
		if ctx.Err() == nil {
			next, err = o.claim(ctx, tx.Unscoped())
		}
		return err
	})
	o.kick()
	return next, err
}
