package main

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/uptrace/bun"

	"switchboard/models"
)

// DeliverArgs is the River job of one sync delivery: it carries the
// sync_jobs row it delivers, which stays the record staff see.
type DeliverArgs struct {
	OrgID     int64 `json:"org_id"`
	SyncJobID int64 `json:"sync_job_id"`
}

// Kind names the job in river_job.kind.
func (DeliverArgs) Kind() string { return "sync_delivery" }

// deliverWorker delivers a sync job: the same reads, call and outcome
// transaction as the outbox's worker; River completes its own row after.
type deliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	e *env
}

// Work delivers the sync job named by the args.
func (w *deliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	t := w.e.store.Tenant(job.Args.OrgID)
	j, err := t.SyncJob(ctx, job.Args.SyncJobID)
	if err != nil {
		return err
	}
	if j.Finished() {
		return nil // delivered by an earlier attempt whose completion was lost
	}
	d, err := w.e.call(ctx, j)
	if err != nil {
		return err
	}
	return t.InTx(ctx, func(tx *models.Tenant) error { return record(ctx, tx, j, d, "") })
}

// riverOpts tune a River client.
type riverOpts struct {
	// Workers is MaxWorkers of the default queue; 0 makes an insert-only
	// client.
	Workers int
	// FetchCooldown and FetchPollInterval; zero keeps River's defaults
	// (100 ms, 1 s).
	FetchCooldown, FetchPollInterval time.Duration
	// Periodic jobs (leader-elected).
	Periodic []*river.PeriodicJob
	// ExtraWorkers are added beside the delivery worker.
	ExtraWorkers func(*river.Workers)
	// ID names the client (river_leader.leader_id).
	ID string
}

// newRiver builds a River client on driver; deliveries are worked by e.
func newRiver(e *env, driver riverdriver.Driver[*sql.Tx], o riverOpts) (*river.Client[*sql.Tx], error) {
	ws := river.NewWorkers()
	river.AddWorker(ws, &deliverWorker{e: e})
	if o.ExtraWorkers != nil {
		o.ExtraWorkers(ws)
	}
	cfg := &river.Config{Workers: ws, ID: o.ID, FetchCooldown: o.FetchCooldown, FetchPollInterval: o.FetchPollInterval,
		PeriodicJobs: o.Periodic, Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}
	if o.Workers > 0 {
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: o.Workers}}
	}
	c, err := river.NewClient(driver, cfg)
	if err != nil {
		return nil, fmt.Errorf("river client: %w", err)
	}
	return c, nil
}

// riverEnqueue inserts the delivery's River job in the write's transaction.
func riverEnqueue(c *river.Client[*sql.Tx]) enqueue {
	return func(ctx context.Context, tx bun.Tx, j *models.SyncJob) error {
		_, err := c.InsertTx(ctx, tx.Tx, DeliverArgs{OrgID: j.OrganizationID, SyncJobID: j.ID}, nil)
		return err
	}
}

// migrateRiver applies River's own migrations (its river_migration table
// records them, beside bun's bun_migrations).
func migrateRiver(ctx context.Context, driver riverdriver.Driver[*sql.Tx]) (int, time.Duration, error) {
	m, err := rivermigrate.New(driver, nil)
	if err != nil {
		return 0, 0, err
	}
	start := time.Now()
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return 0, 0, fmt.Errorf("river migrate: %w", err)
	}
	return len(res.Versions), time.Since(start), nil
}
