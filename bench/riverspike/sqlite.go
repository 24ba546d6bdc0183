package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"switchboard/models"
)

// phaseOpts tune the phases of one engine's run.
type phaseOpts struct {
	Duration time.Duration
	Writers  int
	Rate     int
	Workers  int
	// RiverWorkers is River's MaxWorkers: River fetches at most the free
	// worker slots once per FetchCooldown, so 4 workers cap it at 40 jobs/s.
	RiverWorkers int
	// Fast lowers River's fetch cooldown and poll interval (see riverOpts).
	FetchCooldown, FetchPollInterval time.Duration
	// OwnPool gives River a pool of its own (one connection, as
	// riversqlite's documentation advises) instead of the product's.
	OwnPool bool
	Profile string
}

// result is one engine's figures on one database.
type result struct {
	Engine          string
	Commit          run
	Backlog         int
	Drain           run // OK = jobs delivered, Wall = drain time
	Steady          run
	LagP50, LagP99  time.Duration
	LagMax          time.Duration
	Delivered       int64
	RiverMigrations int
	RiverMigrate    time.Duration
	RiverRows       string
}

// engine is what a run needs of a background engine.
type engine struct {
	enq   enqueue
	kick  func()
	start func(ctx context.Context) (stop func(), err error)
	rows  func(ctx context.Context) string
}

// runSQLiteRound runs the three phases of one engine on a fresh SQLite file.
func runSQLiteRound(ctx context.Context, name, upstream string, o phaseOpts) (*result, error) {
	dir, err := os.MkdirTemp("", "riverspike-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	e, err := openEnv(ctx, "sqlite://"+filepath.Join(dir, "spike.db"), upstream, true)
	if err != nil {
		return nil, err
	}
	defer e.close()
	res := &result{Engine: name}
	if knobs.Group > 0 {
		gctx, cancel := context.WithCancel(ctx)
		defer cancel()
		startGroup(gctx, e, knobs.Group)
		res.Engine += fmt.Sprintf(" (group ≤%d)", knobs.Group)
	}
	eng, err := sqliteEngine(ctx, e, name, dir, o, res)
	if err != nil {
		return nil, err
	}
	err = phases(ctx, e, eng, o, res, "sqlite-"+name)
	if e.group != nil {
		res.Engine += fmt.Sprintf(" avg group %.1f", float64(e.group.items.Load())/float64(max(e.group.groups.Load(), 1)))
	}
	return res, err
}

// sqliteEngine prepares the outbox replica or River on the product's
// SQLite pool (or a pool of its own).
func sqliteEngine(ctx context.Context, e *env, name, dir string, o phaseOpts, res *result) (*engine, error) {
	if name == "outbox" {
		return outboxEngine(e, o), nil
	}
	pool := e.db.DB
	if o.OwnPool {
		var err error
		if pool, err = sql.Open("sqlite", "file:"+filepath.Join(dir, "spike.db")+
			"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"); err != nil {
			return nil, err
		}
		pool.SetMaxOpenConns(1)
	}
	driver := riversqlite.New(pool)
	var err error
	if res.RiverMigrations, res.RiverMigrate, err = migrateRiver(ctx, driver); err != nil {
		return nil, err
	}
	return riverEngine(e, driver, o)
}

func outboxEngine(e *env, o phaseOpts) *engine {
	ob := newOutbox(e, "spike:outbox", o.Workers)
	return &engine{enq: nil, kick: ob.kick, rows: func(context.Context) string { return "" },
		start: func(ctx context.Context) (func(), error) {
			ctx, cancel := context.WithCancel(ctx)
			done := make(chan struct{})
			go func() { defer close(done); ob.run(ctx) }()
			return func() { cancel(); <-done }, nil
		}}
}

func riverEngine(e *env, driver riverdriver.Driver[*sql.Tx], o phaseOpts) (*engine, error) {
	inserter, err := newRiver(e, driver, riverOpts{})
	if err != nil {
		return nil, err
	}
	eng := &engine{kick: func() {}}
	eng.enq = riverEnqueue(inserter)
	eng.rows = func(ctx context.Context) string { return riverStates(ctx, e) }
	eng.start = func(ctx context.Context) (func(), error) {
		c, err := newRiver(e, driver, riverOpts{Workers: o.RiverWorkers, FetchCooldown: o.FetchCooldown, FetchPollInterval: o.FetchPollInterval})
		if err != nil {
			return nil, err
		}
		if err := c.Start(ctx); err != nil {
			return nil, err
		}
		eng.enq = riverEnqueue(c) // a working client's inserts wake its own producer
		return func() {
			sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = c.Stop(sctx)
		}, nil
	}
	return eng, nil
}

// riverStates counts River's rows by state.
func riverStates(ctx context.Context, e *env) string {
	rows, err := e.db.QueryContext(ctx, "SELECT state, count(*) FROM river_job GROUP BY state ORDER BY state")
	if err != nil {
		return err.Error()
	}
	defer rows.Close()
	s := ""
	for rows.Next() {
		var st string
		var n int
		_ = rows.Scan(&st, &n)
		s += fmt.Sprintf("%s %d ", st, n)
	}
	return s
}

// phases runs commit (writers only, nothing delivered), drain (the
// backlog with the engine's workers) and steady (a fixed rate of writes
// while the workers deliver; lag = finished_at − created_at of each job).
func phases(ctx context.Context, e *env, eng *engine, o phaseOpts, res *result, label string) error {
	var next atomic.Int64
	write := func(ctx context.Context, n int64) error {
		_, err := e.create(ctx, n, eng.enq)
		if err == nil {
			eng.kick()
		}
		return err
	}
	stopProf := profile(o.Profile, label+"-commit")
	res.Commit = closedLoop(ctx, o.Writers, o.Duration, &next, write)
	stopProf()
	if res.Commit.Errors > 0 {
		return fmt.Errorf("commit: %d errors, first %s", res.Commit.Errors, res.Commit.FirstErr)
	}
	up0, _ := counter(e.upstream, "count")
	var err error
	if res.Backlog, err = openJobs(ctx, e); err != nil {
		return err
	}
	stopProf = profile(o.Profile, label+"-drain")
	cpu0, t0 := selfCPU(), time.Now()
	stop, err := eng.start(ctx)
	if err != nil {
		return err
	}
	defer stop()
	if err := waitDrained(ctx, e); err != nil {
		return err
	}
	res.Drain = run{OK: int64(res.Backlog), Wall: time.Since(t0), CPU: selfCPU() - cpu0}
	stopProf()
	lastID, err := maxJobID(ctx, e)
	if err != nil {
		return err
	}
	res.Steady = openLoop(ctx, o.Rate, o.Duration, &next, write)
	if res.Steady.Errors > 0 {
		return fmt.Errorf("steady: %d errors, first %s", res.Steady.Errors, res.Steady.FirstErr)
	}
	if err := waitDrained(ctx, e); err != nil {
		return err
	}
	if err := lags(ctx, e, lastID, res); err != nil {
		return err
	}
	up1, _ := counter(e.upstream, "count")
	res.Delivered = up1 - up0
	if want := int64(res.Backlog) + res.Steady.OK; res.Delivered != want {
		return fmt.Errorf("the upstream created %d appointments for %d jobs", res.Delivered, want)
	}
	time.Sleep(300 * time.Millisecond) // let River's completer write its last batch
	res.RiverRows = eng.rows(ctx)
	return nil
}

func openJobs(ctx context.Context, e *env) (int, error) {
	n, err := e.db.NewSelect().Model((*models.SyncJob)(nil)).Where("status IN ('pending', 'retrying')").Count(ctx)
	return int(n), err
}

// waitDrained waits until no sync job is open (a cheap indexed probe
// every 10 ms), at most 5 minutes.
func waitDrained(ctx context.Context, e *env) error {
	deadline := time.Now().Add(5 * time.Minute)
	for time.Now().Before(deadline) {
		open, err := e.db.NewSelect().Model((*models.SyncJob)(nil)).Where("status IN ('pending', 'retrying')").Limit(1).Exists(ctx)
		if err != nil {
			return err
		}
		if !open {
			return nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	n, _ := openJobs(ctx, e)
	return fmt.Errorf("%d jobs still open after 5 minutes", n)
}

func maxJobID(ctx context.Context, e *env) (int64, error) {
	var id int64
	err := e.db.NewSelect().Model((*models.SyncJob)(nil)).ColumnExpr("COALESCE(MAX(id), 0)").Scan(ctx, &id)
	return id, err
}

// lags reads the steady phase's jobs' delivery lag.
func lags(ctx context.Context, e *env, afterID int64, res *result) error {
	var js []models.SyncJob
	if err := e.db.NewSelect().Model(&js).Column("id", "status", "created_at", "finished_at").Where("id > ?", afterID).Scan(ctx); err != nil {
		return err
	}
	var ls []time.Duration
	for _, j := range js {
		if j.Status != models.JobSynced || j.FinishedAt == nil {
			return fmt.Errorf("job %d ended %s", j.ID, j.Status)
		}
		ls = append(ls, j.FinishedAt.Sub(j.CreatedAt))
	}
	slices.Sort(ls)
	res.LagP50, res.LagP99 = pct(ls, 0.50), pct(ls, 0.99)
	if len(ls) > 0 {
		res.LagMax = ls[len(ls)-1]
	}
	return nil
}

// profile writes a CPU profile of a phase to prefix-label.prof.
func profile(prefix, label string) func() {
	if prefix == "" {
		return func() {}
	}
	f, err := os.Create(prefix + "-" + label + ".prof")
	if err != nil {
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return func() {}
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}
