package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"

	"switchboard/database"
)

// pgOpts tune the PostgreSQL runs.
type pgOpts struct {
	phaseOpts
	DSN      string
	Parts    string
	Listener bool
	Procs    string
	Backlogs string
	Window   time.Duration
	Rounds   int
}

func pgCommand(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("pg", flag.ContinueOnError)
	o := &pgOpts{}
	phaseFlags(fs, &o.phaseOpts)
	fs.StringVar(&o.DSN, "dsn", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable", "PostgreSQL URL (a schema of its own per run)")
	fs.StringVar(&o.Parts, "parts", "phases,drain,periodic", "what to run")
	fs.BoolVar(&o.Listener, "listener", true, "River with a pgx LISTEN connection (else poll-only)")
	fs.StringVar(&o.Procs, "procs", "1,2,4", "worker processes of the drain part")
	fs.StringVar(&o.Backlogs, "backlogs", "10000,100000", "backlogs of the drain part")
	fs.DurationVar(&o.Window, "window", 20*time.Second, "longest drain measured (the rate is over what was delivered)")
	fs.IntVar(&o.Rounds, "rounds", 1, "rounds of the phases part")
	engines := fs.String("engines", "outbox,river", "engines, in turn")
	up, err := parseAndStart(fs, args)
	if err != nil {
		return err
	}
	defer up.stop(true)
	for _, part := range strings.Split(o.Parts, ",") {
		switch part {
		case "phases":
			err = pgPhases(ctx, o, strings.Split(*engines, ","), up.line)
		case "drain":
			err = pgDrains(ctx, o, strings.Split(*engines, ","), up.line)
		case "periodic":
			err = pgPeriodicTest(ctx, o, up.line)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", part, err)
		}
	}
	return nil
}

// pgSchema makes a fresh schema, migrated and seeded, with River's tables.
func pgSchema(ctx context.Context, o *pgOpts, upstream string) (*env, string, func(), error) {
	url, drop, err := database.NewSchema(ctx, o.DSN, "riverspike")
	if err != nil {
		return nil, "", nil, err
	}
	e, err := openEnv(ctx, url, upstream, true)
	if err != nil {
		drop()
		return nil, "", nil, err
	}
	return e, url, func() { e.close(); drop() }, nil
}

// pgDriver is River's database/sql driver on the product's pool, with a
// pgx pool for LISTEN when listener is set.
func pgDriver(ctx context.Context, e *env, url string, listener bool) (riverdriver.Driver[*sql.Tx], func(), error) {
	if !listener {
		return riverdatabasesql.New(e.db.DB), func() {}, nil
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, nil, err
	}
	cfg.MaxConns = 2
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	return riverdatabasesql.NewWithPgxListener(e.db.DB, pool), pool.Close, nil
}

// migratePG applies River's migrations to e's schema.
func migratePG(ctx context.Context, e *env, url string) error {
	driver, closeL, err := pgDriver(ctx, e, url, false)
	if err != nil {
		return err
	}
	defer closeL()
	_, _, err = migrateRiver(ctx, driver)
	return err
}

// pgPhases runs commit, drain and steady in this process, per engine.
func pgPhases(ctx context.Context, o *pgOpts, engines []string, upstream string) error {
	printHeader()
	for r := 1; r <= o.Rounds; r++ {
		for _, name := range engines {
			res, err := pgPhasesOnce(ctx, o, name, upstream)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			printRow("PostgreSQL", r, res)
		}
	}
	return nil
}

func pgPhasesOnce(ctx context.Context, o *pgOpts, name, upstream string) (*result, error) {
	e, url, done, err := pgSchema(ctx, o, upstream)
	if err != nil {
		return nil, err
	}
	defer done()
	res := &result{Engine: name}
	eng := outboxEngine(e, o.phaseOpts)
	if name != "outbox" {
		driver, closeL, err := pgDriver(ctx, e, url, o.Listener)
		if err != nil {
			return nil, err
		}
		defer closeL()
		if res.RiverMigrations, res.RiverMigrate, err = migrateRiver(ctx, driver); err != nil {
			return nil, err
		}
		if eng, err = riverEngine(e, driver, o.phaseOpts); err != nil {
			return nil, err
		}
		res.Engine += map[bool]string{true: " (listen)", false: " (poll-only)"}[o.Listener]
	}
	return res, phases(ctx, e, eng, o.phaseOpts, res, "pg-"+name)
}

// prefill adds n appointments with their sync jobs (and River jobs) in
// bulk, as a backlog left by an outage would be.
func prefill(ctx context.Context, e *env, n int, withRiver bool) error {
	stmts := []string{
		fmt.Sprintf(`INSERT INTO appointments (organization_id, patient_id, start_at, end_at, duration_minutes, provider_ref,
  operatory_ref, appointment_type, status, version, created_at, updated_at)
SELECT %d, %d, TIMESTAMPTZ '2027-01-04 08:00Z' + g * INTERVAL '30 minutes', TIMESTAMPTZ '2027-01-04 08:30Z' + g * INTERVAL '30 minutes',
  30, '1', '1', 'Cleaning', 'scheduled', 1, now(), now() FROM generate_series(1, %d) AS g`, e.orgID, e.patient, n),
		fmt.Sprintf(`INSERT INTO sync_jobs (organization_id, integration_id, entity, local_id, operation, status, max_attempts,
  next_attempt_at, record_version, created_at, updated_at)
SELECT organization_id, %d, 'appointment', id, 'create', 'pending', 6, now(), 1, now(), now() FROM appointments`, e.integID),
	}
	if withRiver {
		stmts = append(stmts, `INSERT INTO river_job (args, kind, max_attempts, priority, queue, state, scheduled_at)
SELECT jsonb_build_object('org_id', organization_id, 'sync_job_id', id), 'sync_delivery', 25, 1, 'default', 'available', now()
FROM sync_jobs WHERE status = 'pending'`)
	}
	stmts = append(stmts, "ANALYZE")
	for _, s := range stmts {
		if _, err := e.db.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("prefill: %w", err)
		}
	}
	return nil
}

// pgDrains measures the drain rate of a prefilled backlog by 1, 2, 4
// worker processes (children, GOMAXPROCS=1 each).
func pgDrains(ctx context.Context, o *pgOpts, engines []string, upstream string) error {
	fmt.Println("| engine | backlog | processes | workers each | delivered | in | jobs/s | worker CPU per job |")
	fmt.Println("| --- | --: | --: | --: | --: | --: | --: | --: |")
	for _, b := range strings.Split(o.Backlogs, ",") {
		n, _ := strconv.Atoi(b)
		for _, p := range strings.Split(o.Procs, ",") {
			procs, _ := strconv.Atoi(p)
			for _, name := range engines {
				if err := pgDrainOnce(ctx, o, name, n, procs, upstream); err != nil {
					return fmt.Errorf("%s %d×%d: %w", name, n, procs, err)
				}
			}
		}
	}
	return nil
}

func pgDrainOnce(ctx context.Context, o *pgOpts, name string, n, procs int, upstream string) error {
	e, url, done, err := pgSchema(ctx, o, upstream)
	if err != nil {
		return err
	}
	defer done()
	if name != "outbox" {
		if err := migratePG(ctx, e, url); err != nil {
			return err
		}
	}
	if err := prefill(ctx, e, n, name != "outbox"); err != nil {
		return err
	}
	up0, _ := counter(upstream, "count")
	var kids []*child
	defer func() {
		for _, k := range kids {
			k.stop(false)
		}
	}()
	var cpu0 []time.Duration
	t0 := time.Now()
	for i := range procs {
		workers := o.Workers
		if name != "outbox" {
			workers = o.RiverWorkers
		}
		k, err := startChild(nil, "pg-worker", "-db", url, "-upstream", upstream, "-engine", name,
			"-workers", strconv.Itoa(workers), "-id", fmt.Sprintf("w%d", i), fmt.Sprintf("-listener=%v", o.Listener),
			"-fetch-cooldown", o.FetchCooldown.String(), "-fetch-poll", o.FetchPollInterval.String(),
			fmt.Sprintf("-attempt-fix=%v", knobs.AttemptByJob))
		if err != nil {
			return err
		}
		kids = append(kids, k)
		cpu0 = append(cpu0, procCPU(k.cmd.Process.Pid))
	}
	var got int64
	for time.Since(t0) < o.Window {
		time.Sleep(50 * time.Millisecond)
		c, _ := counter(upstream, "count")
		if got = c - up0; got >= int64(n) {
			break
		}
	}
	wall := time.Since(t0)
	var cpu time.Duration
	for i, k := range kids {
		cpu += procCPU(k.cmd.Process.Pid) - cpu0[i]
	}
	workers := o.Workers
	if name != "outbox" {
		workers = o.RiverWorkers
	}
	fmt.Printf("| %s | %d | %d | %d | %d | %.1f s | %.0f | %s |\n", name, n, procs, workers, got, wall.Seconds(),
		float64(got)/wall.Seconds(), us(cpu/time.Duration(max(got, 1))))
	return nil
}
