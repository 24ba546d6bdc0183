package background

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/rivertype"
	"github.com/uptrace/bun"
)

// RiverConfig tunes the River engine.
type RiverConfig struct {
	DB *bun.DB
	// URL is the database's URL: a small pgx pool on it LISTENs for new
	// jobs (its search_path carries over).
	URL string
	// Workers is the number of jobs this process runs at once; 0 makes an
	// insert-only engine (a web-only node beside worker nodes).
	Workers int
	// ID names this process among River's clients; default River's.
	ID string
	// RescueAfter is how long a running job of a process that died stays
	// running before another process takes it; default 3 minutes.
	RescueAfter time.Duration
	Logger      *slog.Logger
}

// River is the Engine on PostgreSQL.
type River struct {
	cfg      RiverConfig
	workers  *river.Workers
	periodic []*river.PeriodicJob
	client   *river.Client[*sql.Tx]
	pool     *pgxpool.Pool
}

// NewRiver returns the River engine; Handle and Every come before Start.
func NewRiver(cfg RiverConfig) *River {
	if cfg.RescueAfter <= 0 {
		cfg.RescueAfter = 3 * time.Minute
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &River{cfg: cfg, workers: river.NewWorkers()}
}

// Name is "river".
func (r *River) Name() string { return "river" }

// args are a job's arguments as River stores them.
type args struct {
	kind string
	raw  json.RawMessage
}

func (a args) Kind() string                  { return a.kind }
func (a args) MarshalJSON() ([]byte, error)  { return a.raw, nil }
func (a *args) UnmarshalJSON(b []byte) error { a.raw = append(a.raw[:0], b...); return nil }
func (a args) InsertOpts() river.InsertOpts  { return river.InsertOpts{} }
func uniqueStates() []rivertype.JobState {
	return []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending,
		rivertype.JobStateRetryable, rivertype.JobStateRunning, rivertype.JobStateScheduled}
}

// worker runs one kind's handler.
type worker struct {
	river.WorkerDefaults[args]
	h Handler
}

// Work maps the handler's answer: nil completes, a Snooze snoozes (no
// attempt spent), another error is retried with River's backoff.
func (w *worker) Work(ctx context.Context, job *river.Job[args]) error {
	err := w.h(ctx, job.Args.raw)
	if d, ok := SnoozeOf(err); ok {
		return river.JobSnooze(d)
	}
	return err
}

// Handle registers the handler of kind.
func (r *River) Handle(kind string, h Handler) {
	river.AddWorkerArgs(r.workers, args{kind: kind}, river.Worker[args](&worker{h: h}))
}

// Every registers p as a River periodic job: the leader inserts it once
// per interval, and one process works it.
func (r *River) Every(p Periodic) {
	r.periodic = append(r.periodic, river.NewPeriodicJob(river.PeriodicInterval(p.Interval),
		func() (river.JobArgs, *river.InsertOpts) {
			raw, err := p.Job.Encode()
			if err != nil {
				raw = json.RawMessage(`{}`)
			}
			return args{kind: p.Job.Kind, raw: raw}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: uniqueStates()}}
		}, &river.PeriodicJobOpts{ID: p.Name, RunOnStart: true}))
}

// params turns jobs into River's insert parameters.
func params(jobs []Job) ([]river.InsertManyParams, error) {
	ps := make([]river.InsertManyParams, 0, len(jobs))
	for _, j := range jobs {
		raw, err := j.Encode()
		if err != nil {
			return nil, err
		}
		var opts *river.InsertOpts
		if j.Unique {
			opts = &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: uniqueStates()}}
		}
		ps = append(ps, river.InsertManyParams{Args: args{kind: j.Kind, raw: raw}, InsertOpts: opts})
	}
	return ps, nil
}

// EnqueueTx inserts jobs in db's transaction (bun's bun.Tx carries the
// *sql.Tx River takes), or at once outside one.
func (r *River) EnqueueTx(ctx context.Context, db bun.IDB, jobs ...Job) error {
	if len(jobs) == 0 {
		return nil
	}
	if r.client == nil {
		return fmt.Errorf("background: the River engine is not started")
	}
	ps, err := params(jobs)
	if err != nil {
		return err
	}
	if tx, ok := db.(bun.Tx); ok {
		_, err = r.client.InsertManyTx(ctx, tx.Tx, ps)
	} else {
		_, err = r.client.InsertMany(ctx, ps)
	}
	if err != nil {
		return fmt.Errorf("background: insert jobs: %w", err)
	}
	return nil
}

// Init builds the River client (inserts work from then on); Start starts
// working.
func (r *River) Init(ctx context.Context) error {
	pcfg, err := pgxpool.ParseConfig(r.cfg.URL)
	if err != nil {
		return fmt.Errorf("background: listener pool: %w", err)
	}
	pcfg.MaxConns = 2
	if r.pool, err = pgxpool.NewWithConfig(ctx, pcfg); err != nil {
		return fmt.Errorf("background: listener pool: %w", err)
	}
	cfg := &river.Config{ID: r.cfg.ID, Logger: r.cfg.Logger, Workers: r.workers,
		FetchCooldown: 5 * time.Millisecond, FetchPollInterval: time.Second,
		JobTimeout: 2 * time.Minute, RescueStuckJobsAfter: max(r.cfg.RescueAfter, 2*time.Minute+time.Second),
		CompletedJobRetentionPeriod: time.Hour, MaxAttempts: 25}
	if r.cfg.RescueAfter < 2*time.Minute {
		cfg.JobTimeout, cfg.RescueStuckJobsAfter = r.cfg.RescueAfter/2, r.cfg.RescueAfter
	}
	if r.cfg.Workers > 0 {
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: r.cfg.Workers}}
		cfg.PeriodicJobs = r.periodic
	}
	r.client, err = river.NewClient(riverdatabasesql.NewWithPgxListener(r.cfg.DB.DB, r.pool), cfg)
	if err != nil {
		r.pool.Close()
		return fmt.Errorf("background: river client: %w", err)
	}
	return nil
}

// Start starts working jobs (an insert-only engine does nothing).
func (r *River) Start(ctx context.Context) error {
	if r.cfg.Workers == 0 {
		return nil
	}
	if err := r.client.Start(ctx); err != nil {
		return fmt.Errorf("background: start river: %w", err)
	}
	return nil
}

// Stop lets running jobs finish (within ctx) and closes the listener.
func (r *River) Stop(ctx context.Context) error {
	var err error
	if r.cfg.Workers > 0 && r.client != nil {
		err = r.client.Stop(ctx)
	}
	if r.pool != nil {
		r.pool.Close()
	}
	return err
}

// RunningSince answers the integer argument field of kind's jobs that a
// process took before the instant and has not finished: River has them
// running, perhaps in a process that died (River rescues those only after
// RescueAfter).
func (r *River) RunningSince(ctx context.Context, kind, field string, before time.Time) ([]int64, error) {
	var ids []int64
	err := r.cfg.DB.NewRaw(`SELECT (args->>?)::bigint FROM river_job
WHERE state = 'running' AND kind = ? AND attempted_at < ? AND args->>? IS NOT NULL`, field, kind, before.UTC(), field).Scan(ctx, &ids)
	if err != nil {
		return nil, fmt.Errorf("background: %s jobs running since %s: %w", kind, before.UTC().Format(time.RFC3339), err)
	}
	return ids, nil
}
