package app

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"switchboard/database"
	"switchboard/integrations/background"
	"switchboard/integrations/vault"
	"switchboard/internal/loop"
)

// Retention of the background purges.
const (
	// AttemptRetention is how long the attempts of finished sync jobs are
	// kept.
	AttemptRetention = 90 * 24 * time.Hour
	// reconcileEvery is how often the River engine queues a delivery for
	// any open sync job that has none waiting (after a crash between two
	// records of one delivery).
	reconcileEvery = 30 * time.Second
)

// newEngine chooses the background engine by database: River on
// PostgreSQL, whose deliveries are inserted in each write's transaction
// through the store's sync-job hook; the embedded outbox on SQLite.
func (a *App) newEngine() background.Engine {
	if a.DB.Dialect().Name() != dialect.PG {
		return background.NewOutbox(a.DB, a.Logger)
	}
	r := background.NewRiver(background.RiverConfig{DB: a.DB, URL: a.Config.DatabaseURL,
		Workers: a.Config.SyncWorkers * 8, RescueAfter: a.Config.JobRescueAfter, Logger: a.Logger})
	a.Store.OnSyncJobs(func(ctx context.Context, db bun.IDB, orgID int64, ids ...int64) error {
		jobs := make([]background.Job, len(ids))
		for i, id := range ids {
			jobs[i] = deliveryJob(orgID, id)
		}
		return r.EnqueueTx(ctx, db, jobs...)
	})
	return r
}

// deliveryJob is the River job of sync job id: one waits or runs per row.
func deliveryJob(orgID, id int64) background.Job {
	return background.Job{Kind: background.KindSyncDelivery, OrgID: orgID, Args: map[string]any{"sync_job_id": id}, Unique: true}
}

// jobArgs are the arguments the handlers read.
type jobArgs struct {
	OrgID     int64 `json:"org_id"`
	SyncJobID int64 `json:"sync_job_id"`
	ConfigID  int64 `json:"config_id"`
}

func decodeArgs(raw json.RawMessage) (jobArgs, error) {
	var a jobArgs
	if err := json.Unmarshal(raw, &a); err != nil {
		return a, fmt.Errorf("app: job arguments: %w", err)
	}
	return a, nil
}

// registerJobs registers the handlers and the periodic work of the
// engine. Deliveries and polls are the engine's only on PostgreSQL; on
// SQLite the syncer's own workers and poller run them (startBackground).
func (a *App) registerJobs(ctx context.Context) error {
	e := a.Engine
	e.Handle(background.KindSyncDelivery, func(ctx context.Context, raw json.RawMessage) error {
		args, err := decodeArgs(raw)
		if err != nil {
			return err
		}
		return a.Sync.DeliverQueued(ctx, args.SyncJobID)
	})
	e.Handle(background.KindSyncPoll, func(ctx context.Context, raw json.RawMessage) error {
		args, err := decodeArgs(raw)
		if err != nil {
			return err
		}
		return a.Sync.PollConfig(ctx, args.OrgID, args.ConfigID)
	})
	e.Handle(background.KindSyncSchedule, a.schedulePolls)
	e.Handle(background.KindSyncReconcile, a.reconcile)
	a.Alerts.Register(e)
	a.registerPurges()
	a.registerTraceJobs()
	if r, ok := e.(*background.River); ok {
		e.Every(background.Periodic{Name: "sync_poll_schedule", Interval: time.Second, Job: background.Job{Kind: background.KindSyncSchedule}})
		e.Every(background.Periodic{Name: "sync_reconcile", Interval: reconcileEvery, Job: background.Job{Kind: background.KindSyncReconcile}})
		return r.Init(ctx)
	}
	return nil
}

// purge is one retention purge: it deletes what is older than its
// retention at the time it is given, and says how many rows went.
type purge struct {
	kind, what string
	every      time.Duration
	run        func(context.Context, time.Time) (int64, error)
}

// registerPurges makes each retention purge a periodic job: API calls
// after SWITCHBOARD_API_CALL_RETENTION, idempotency keys after their 24
// hours, expired sessions, the attempts of finished sync jobs after
// AttemptRetention.
func (a *App) registerPurges() {
	s := a.Store
	purges := []purge{
		{background.KindPurgeAPICalls, "old api calls", time.Hour, func(ctx context.Context, now time.Time) (int64, error) {
			return s.PurgeAPICalls(ctx, now.Add(-a.Config.APICallRetention))
		}},
		{background.KindPurgeIdemKeys, "expired idempotency keys", time.Hour, s.PurgeIdempotencyKeys},
		{background.KindPurgeSessions, "expired sessions", time.Hour, s.PurgeExpiredSessions},
		// Login throttle rows untouched for longer than its window.
		{background.KindPurgeThrottle, "idle login throttle rows", time.Hour, func(ctx context.Context, now time.Time) (int64, error) {
			return s.PurgeLoginThrottle(ctx, now.Add(-a.Throttle.Window), now)
		}},
		{background.KindPurgeAttempts, "old sync attempts", 24 * time.Hour, func(ctx context.Context, now time.Time) (int64, error) {
			return s.PurgeSyncAttempts(ctx, now.Add(-AttemptRetention))
		}},
	}
	for _, p := range purges {
		a.Engine.Handle(p.kind, func(ctx context.Context, _ json.RawMessage) error {
			n, err := p.run(ctx, time.Now().UTC())
			if err != nil {
				return fmt.Errorf("app: purge %s: %w", p.what, err)
			}
			if n > 0 {
				a.Logger.Info("purged "+p.what, "count", n)
			}
			return nil
		})
		a.Engine.Every(background.Periodic{Name: p.kind, Interval: p.every, Job: background.Job{Kind: p.kind}})
	}
}

// schedulePolls takes the polls due now and queues one sync_poll job per
// configuration taken (any process may run it).
func (a *App) schedulePolls(ctx context.Context, _ json.RawMessage) error {
	cfgs, err := a.Sync.ClaimDuePolls(ctx)
	jobs := make([]background.Job, 0, len(cfgs))
	for _, c := range cfgs {
		jobs = append(jobs, background.Job{Kind: background.KindSyncPoll, OrgID: c.OrganizationID,
			Args: map[string]any{"config_id": c.ID}, Unique: true})
	}
	if qerr := a.Engine.EnqueueTx(ctx, a.DB, jobs...); qerr != nil {
		return qerr
	}
	return err
}

// reconcile queues a delivery for every open sync job due now that has
// no lease (the unique key skips those already queued).
func (a *App) reconcile(ctx context.Context, _ json.RawMessage) error {
	js, err := a.Sync.DueJobs(ctx, 1000)
	if err != nil {
		return err
	}
	jobs := make([]background.Job, len(js))
	for i, j := range js {
		jobs[i] = deliveryJob(j.OrganizationID, j.ID)
	}
	return a.Engine.EnqueueTx(ctx, a.DB, jobs...)
}

// startBackground runs the engine and the housekeeping goroutines until
// Close.
func (a *App) startBackground() error {
	ctx, cancel := context.WithCancel(context.Background())
	a.stop = cancel
	if err := a.Engine.Start(ctx); err != nil {
		cancel()
		return err
	}
	// On SQLite the syncer's workers deliver the outbox and poll; with
	// --sync-workers 0 this process only writes it.
	river, onRiver := a.Engine.(*background.River)
	if !onRiver && a.Config.SyncWorkers > 0 {
		a.wg.Go(func() { a.Sync.Run(ctx) })
	}
	if onRiver && a.Config.SyncWorkers > 0 {
		a.wg.Go(func() { a.sweepStale(ctx, river) })
	}
	// On SQLite, the log is checkpointed beside the writer, not inside a
	// booking's commit.
	a.wg.Go(func() { database.RunCheckpoints(ctx, a.DB, database.CheckpointInterval, a.Logger) })
	a.wg.Go(func() { a.Keys.Run(ctx, 5*time.Second) })
	a.wg.Go(func() { a.Calls.Run(ctx) })
	// Credential uses are this process's memory: each process flushes its own.
	a.wg.Go(func() { a.CredentialUses.Run(ctx, vault.UseInterval) })
	a.wg.Go(func() { a.refreshRegistry(ctx) })
	return nil
}

// staleAfter is how long a delivery River handed to a process may stay
// unclaimed (its sync job unleased) before the sweep of any process
// delivers it: that process died between taking the job and beginning it.
const staleAfter = 30 * time.Second

// sweepStale delivers, every 5 s, the sync jobs River left alone: those of
// a process killed mid-delivery, once their lease has run out, and those
// a killed process took from River without beginning them.
func (a *App) sweepStale(ctx context.Context, river *background.River) {
	loop.Every(ctx, 5*time.Second, func(ctx context.Context) {
		stalled, err := river.RunningSince(ctx, background.KindSyncDelivery, "sync_job_id", time.Now().Add(-staleAfter))
		if err == nil {
			err = a.Sync.SweepStale(ctx, stalled)
		}
		if err != nil && ctx.Err() == nil {
			a.Logger.Warn("syncer: sweep", "err", err)
		}
	})
}

// refreshRegistry drops cached definitions that another process changed
// (several processes may share one PostgreSQL).
func (a *App) refreshRegistry(ctx context.Context) {
	loop.Every(ctx, 5*time.Second, func(ctx context.Context) {
		if err := a.Registry.Refresh(ctx); err != nil && ctx.Err() == nil {
			a.Logger.Warn("unable to refresh the definition cache", "err", err)
		}
	})
}
