// Package calllog records executions in api_calls without touching the
// request path: Record hands the record to a buffered channel and returns;
// a background writer inserts them in batches.
package calllog

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"switchboard/internal/loop"
	"switchboard/models"
)

// Recorder batches call records into the database.
type Recorder struct {
	store   *models.Store
	logger  *slog.Logger
	ch      chan models.APICall
	flushes chan chan error
	dropped atomic.Int64
	// BatchSize and Interval bound how long a record waits.
	BatchSize int
	Interval  time.Duration
}

// New returns a recorder holding up to buffer pending records.
func New(store *models.Store, logger *slog.Logger, buffer int) *Recorder {
	return &Recorder{store: store, logger: logger, ch: make(chan models.APICall, buffer), flushes: make(chan chan error),
		BatchSize: 200, Interval: 250 * time.Millisecond}
}

// Record queues a record. It never blocks: when the buffer is full the
// record is dropped and counted, because a slow database must not slow
// down agents.
func (r *Recorder) Record(c models.APICall) {
	if c.CreatedAt.IsZero() {
		c.CreatedAt = time.Now().UTC()
	}
	c.UpdatedAt = c.CreatedAt
	select {
	case r.ch <- c:
	default:
		r.dropped.Add(1)
	}
}

// Dropped is how many records were dropped because the buffer was full.
func (r *Recorder) Dropped() int64 { return r.dropped.Load() }

// Run writes batches until ctx ends, then writes what is left.
func (r *Recorder) Run(ctx context.Context) {
	t := time.NewTicker(r.Interval)
	defer t.Stop()
	batch := make([]models.APICall, 0, r.BatchSize)
	write := func(ctx context.Context) error {
		if len(batch) == 0 {
			return nil
		}
		err := r.store.InsertAPICalls(ctx, batch)
		if err != nil {
			r.logger.WarnContext(ctx, "unable to record api calls", "count", len(batch), "err", err)
		}
		batch = batch[:0]
		return err
	}
	drain := func() {
		for {
			select {
			case c := <-r.ch:
				batch = append(batch, c)
			default:
				return
			}
		}
	}
	for {
		select {
		case c := <-r.ch:
			batch = append(batch, c)
			if len(batch) >= r.BatchSize {
				write(ctx)
			}
		case <-t.C:
			write(ctx)
		case reply := <-r.flushes:
			drain()
			reply <- write(ctx)
		case <-ctx.Done():
			drain()
			write(context.WithoutCancel(ctx))
			return
		}
	}
}

// Flush asks the running writer to write every queued record now and waits
// until it has.
func (r *Recorder) Flush(ctx context.Context) error {
	reply := make(chan error, 1)
	select {
	case r.flushes <- reply:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-reply:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Purge deletes records older than retention every hour until ctx ends.
func (r *Recorder) Purge(ctx context.Context, retention time.Duration) {
	purge := func(ctx context.Context) {
		if n, err := r.store.PurgeAPICalls(ctx, time.Now().UTC().Add(-retention)); err != nil && ctx.Err() == nil {
			r.logger.Warn("unable to purge api calls", "err", err)
		} else if n > 0 {
			r.logger.Info("purged old api calls", "count", n)
		}
	}
	purge(ctx)
	loop.Every(ctx, time.Hour, purge)
}
