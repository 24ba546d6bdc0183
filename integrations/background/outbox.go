package background

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"switchboard/internal/loop"
)

// Outbox is the Engine of the embedded, single-process mode (SQLite): the
// sync_jobs rows are the delivery queue (the syncer's workers claim them
// and are woken in process), and periodic work runs on timers of this
// process, at start and then once per interval.
type Outbox struct {
	db       bun.IDB
	log      *slog.Logger
	now      func() time.Time
	handlers map[string]Handler
	periodic []Periodic

	// base is cancelled by Stop: handed-over jobs waiting to retry end.
	base context.Context
	stop context.CancelFunc
	wg   sync.WaitGroup
}

// NewOutbox returns the outbox engine on db.
func NewOutbox(db bun.IDB, logger *slog.Logger) *Outbox {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	base, stop := context.WithCancel(context.Background())
	return &Outbox{db: db, log: logger, now: time.Now, handlers: map[string]Handler{}, base: base, stop: stop}
}

// Name is "outbox".
func (o *Outbox) Name() string { return "outbox" }

// EnqueueTx adds nothing for sync deliveries, whose sync_jobs rows are
// the queue; any other job runs in this process once it is handed over,
// and a job that fails is tried again after River's backoff (attempt⁴
// seconds) up to MaxOutboxAttempts times, until Stop.
func (o *Outbox) EnqueueTx(ctx context.Context, _ bun.IDB, jobs ...Job) error {
	for _, j := range jobs {
		h := o.handlers[j.Kind]
		if j.Kind == KindSyncDelivery || h == nil {
			continue
		}
		raw, err := j.Encode()
		if err != nil {
			return err
		}
		o.wg.Go(func() { o.retrying(o.base, j.Kind, h, raw) })
	}
	return nil
}

// MaxOutboxAttempts is how many times the outbox tries a handed-over job.
const MaxOutboxAttempts = 10

// OutboxBackoff is the wait after the n-th failed attempt: River's
// default, n⁴ seconds, capped at an hour.
func OutboxBackoff(n int) time.Duration {
	return min(time.Duration(n*n*n*n)*time.Second, time.Hour)
}

// retrying runs a handed-over job until it succeeds, its attempts run out
// or the outbox stops; a snooze waits without spending an attempt.
func (o *Outbox) retrying(ctx context.Context, kind string, h Handler, raw []byte) {
	for attempt := 1; ; {
		err := h(ctx, raw)
		if err == nil || ctx.Err() != nil {
			return
		}
		wait, snoozed := SnoozeOf(err)
		if !snoozed {
			if attempt >= MaxOutboxAttempts {
				o.log.Warn("background: job failed for good", "job", kind, "err", err)
				return
			}
			wait = OutboxBackoff(attempt)
			attempt++
		}
		if !sleep(ctx, wait) {
			return
		}
	}
}

// Handle registers the handler of kind.
func (o *Outbox) Handle(kind string, h Handler) { o.handlers[kind] = h }

// Every runs p on a timer of this process.
func (o *Outbox) Every(p Periodic) { o.periodic = append(o.periodic, p) }

// Start starts the timers.
func (o *Outbox) Start(ctx context.Context) error {
	ctx = o.base // periodic work ends with Stop only
	for _, p := range o.periodic {
		h := o.handlers[p.Job.Kind]
		if h == nil {
			continue
		}
		raw, err := p.Job.Encode()
		if err != nil {
			return err
		}
		o.wg.Go(func() {
			o.run(ctx, p.Name, h, raw)
			loop.Every(ctx, p.Interval, func(ctx context.Context) { o.run(ctx, p.Name, h, raw) })
		})
	}
	return nil
}

// run runs one job, logging a failure (the next interval tries again).
func (o *Outbox) run(ctx context.Context, name string, h Handler, raw []byte) {
	if err := h(ctx, raw); err != nil && ctx.Err() == nil {
		if _, snoozed := SnoozeOf(err); !snoozed {
			o.log.Warn("background: job failed", "job", name, "err", err)
		}
	}
}

// Stop stops the timers and waits for running jobs.
func (o *Outbox) Stop(context.Context) error {
	o.stop()
	o.wg.Wait()
	return nil
}

// Stats counts the organization's sync_jobs per status.
func (o *Outbox) Stats(ctx context.Context, orgID int64) (Stats, error) {
	return outboxStats(ctx, o.db, orgID, o.now())
}

// sleep waits d; false when ctx ended first.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
