package app

import (
	"context"
	"time"

	"switchboard/integrations/vault"
	"switchboard/internal/loop"
)

// startBackground runs the housekeeping goroutines until Close.
func (a *App) startBackground() {
	ctx, cancel := context.WithCancel(context.Background())
	a.stop = cancel
	// With --sync-workers 0 this process only writes the outbox; worker
	// processes sharing its PostgreSQL deliver the jobs.
	if a.Config.SyncWorkers > 0 {
		a.wg.Go(func() { a.Sync.Run(ctx) })
	}
	a.wg.Go(func() { a.Keys.Run(ctx, 5*time.Second) })
	a.wg.Go(func() { a.Calls.Run(ctx) })
	a.wg.Go(func() { a.Calls.Purge(ctx, a.Config.APICallRetention) })
	a.wg.Go(func() { a.CredentialUses.Run(ctx, vault.UseInterval) })
	a.wg.Go(func() { a.refreshRegistry(ctx) })
	a.wg.Go(func() { a.hourly(ctx, "expired sessions", a.Store.PurgeExpiredSessions) })
	// Idempotency keys are kept idempotency.TTL (24 hours); the rows of
	// older ones go.
	a.wg.Go(func() { a.hourly(ctx, "expired idempotency keys", a.Store.PurgeIdempotencyKeys) })
	// Login throttle rows untouched for longer than its window go.
	a.wg.Go(func() {
		a.hourly(ctx, "idle login throttle rows", func(ctx context.Context, now time.Time) (int64, error) {
			return a.Store.PurgeLoginThrottle(ctx, now.Add(-a.Throttle.Window), now)
		})
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

// hourly runs a purge now and then every hour until ctx ends: purge
// deletes the rows of what that are expired at the time it is given, and
// says how many.
func (a *App) hourly(ctx context.Context, what string, purge func(context.Context, time.Time) (int64, error)) {
	run := func(ctx context.Context) {
		if n, err := purge(ctx, time.Now().UTC()); err != nil && ctx.Err() == nil {
			a.Logger.Warn("unable to purge "+what, "err", err)
		} else if n > 0 {
			a.Logger.Info("purged "+what, "count", n)
		}
	}
	run(ctx)
	loop.Every(ctx, time.Hour, run)
}
