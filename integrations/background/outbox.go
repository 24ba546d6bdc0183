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

	stop context.CancelFunc
	wg   sync.WaitGroup
}

// NewOutbox returns the outbox engine on db.
func NewOutbox(db bun.IDB, logger *slog.Logger) *Outbox {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Outbox{db: db, log: logger, now: time.Now, handlers: map[string]Handler{}}
}

// Name is "outbox".
func (o *Outbox) Name() string { return "outbox" }

// EnqueueTx adds nothing for sync deliveries, whose sync_jobs rows are
// the queue; any other job runs in this process once it is handed over.
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
		o.wg.Go(func() { o.run(context.WithoutCancel(ctx), j.Kind, h, raw) })
	}
	return nil
}

// Handle registers the handler of kind.
func (o *Outbox) Handle(kind string, h Handler) { o.handlers[kind] = h }

// Every runs p on a timer of this process.
func (o *Outbox) Every(p Periodic) { o.periodic = append(o.periodic, p) }

// Start starts the timers.
func (o *Outbox) Start(ctx context.Context) error {
	ctx, o.stop = context.WithCancel(context.WithoutCancel(ctx))
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
	if o.stop != nil {
		o.stop()
	}
	o.wg.Wait()
	return nil
}

// Stats counts the organization's sync_jobs per status.
func (o *Outbox) Stats(ctx context.Context, orgID int64) (Stats, error) {
	return outboxStats(ctx, o.db, orgID, o.now())
}
