// Package calllog records every execution in api_calls, whatever door it
// came through (the agents' API, MCP, try-it, Test Connection, sync
// deliveries, reference lists): the executor reports each call to the
// Recorder (executor.CallRecorder), which hands the record to a buffered
// channel and returns; a background writer inserts them in batches.
package calllog

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"time"

	"switchboard/integrations/registry"
	"switchboard/internal/loop"
	"switchboard/models"
)

// Recorder batches call records into the database.
type Recorder struct {
	store    *models.Store
	registry *registry.Registry
	logger   *slog.Logger
	count    func(provider, outcome string)
	observe  func(integration, function string, took time.Duration, retries int)
	ch       chan item
	dropped  atomic.Int64
	// BatchSize and Interval bound how long a record waits.
	BatchSize int
	Interval  time.Duration
}

// retrySize is how many records one INSERT writes when a batch is written
// again after its statement failed: a record the database refuses then
// loses its own group, not the batch.
const retrySize = 25

// Config is what a Recorder is built from.
type Config struct {
	Store *models.Store
	// Registry finds a call's integration (a call to an unknown one is
	// recorded without).
	Registry *registry.Registry
	Logger   *slog.Logger
	// Buffer is how many records may wait for the writer.
	Buffer int
	// Count, when set, counts every call by provider and outcome ("ok" or
	// an error code) for the metrics; a provider the organization does not
	// have is counted as "(unknown)", so callers' typos cannot grow the
	// label set.
	Count func(provider, outcome string)
	// Observe, when set, is told of every call that reached an external
	// system of a known integration: its duration and its retries.
	Observe func(integration, function string, took time.Duration, retries int)
}

// New returns a recorder.
func New(cfg Config) *Recorder {
	return &Recorder{store: cfg.Store, registry: cfg.Registry, logger: cfg.Logger, count: cfg.Count, observe: cfg.Observe,
		ch: make(chan item, cfg.Buffer), BatchSize: 200, Interval: 250 * time.Millisecond}
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
	case r.ch <- item{call: c}:
	default:
		r.dropped.Add(1)
	}
}

// Dropped is how many records were dropped because the buffer was full.
func (r *Recorder) Dropped() int64 { return r.dropped.Load() }

// Run writes batches until ctx ends, then writes what is left.
func (r *Recorder) Run(ctx context.Context) {
	w := &writer{r: r, batch: make([]models.APICall, 0, r.BatchSize)}
	loop.Receive(ctx, r.Interval, r.ch, func(it item) { w.take(ctx, it) }, func(ctx context.Context) { w.write(ctx) })
	w.drain(context.WithoutCancel(ctx))
}

// item is one queued record, or (reply set) a request to write every
// record queued before it and answer with the write's error.
type item struct {
	call  models.APICall
	reply chan error
}

// writer is the batch of the running writer.
type writer struct {
	r     *Recorder
	batch []models.APICall
}

func (w *writer) take(ctx context.Context, it item) {
	if it.reply != nil {
		it.reply <- w.write(ctx)
		return
	}
	w.batch = append(w.batch, it.call)
	if len(w.batch) >= w.r.BatchSize {
		w.write(ctx)
	}
}

// drain takes what is still queued and writes it.
func (w *writer) drain(ctx context.Context) {
	var replies []chan error
	for {
		select {
		case it := <-w.r.ch:
			if it.reply != nil {
				replies = append(replies, it.reply)
			} else {
				w.batch = append(w.batch, it.call)
			}
		default:
			err := w.write(ctx)
			for _, reply := range replies {
				reply <- err
			}
			return
		}
	}
}

// write inserts the batch in one statement. When it fails, the batch is
// written again retrySize records per statement, so that a record the
// database refuses loses its group only (one warning for the batch).
//
// One statement of 200 records holds a GOMAXPROCS=1 process's processor for
// ~3 ms. Statements of 25 in one transaction with the processor yielded
// between them were tried (bench/BENCHMARKS.md, "the agent path's tail"):
// the writer left the agents' long waits but their tail did not fall, and
// the transaction held open across yields cost CPU per answer at full load.
func (w *writer) write(ctx context.Context) error {
	if len(w.batch) == 0 {
		return nil
	}
	defer func() { w.batch = w.batch[:0] }()
	if w.r.store.InsertAPICalls(ctx, w.batch) == nil {
		return nil
	}
	var errs []error
	lost := 0
	for rows := w.batch; len(rows) > 0; {
		n := min(len(rows), retrySize)
		if err := w.r.store.InsertAPICalls(ctx, rows[:n]); err != nil {
			errs = append(errs, err)
			lost += n
		}
		rows = rows[n:]
	}
	err := errors.Join(errs...)
	if err != nil {
		w.r.logger.WarnContext(ctx, "unable to record api calls", "count", lost, "err", err)
	}
	return err
}

// Flush asks the running writer to write every record queued so far and
// waits until it has.
func (r *Recorder) Flush(ctx context.Context) error {
	reply := make(chan error, 1)
	select {
	case r.ch <- item{reply: reply}:
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
