package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"switchboard/app"
	"switchboard/database"
	"switchboard/integrations/catalog"
	"switchboard/integrations/definition"
	"switchboard/integrations/sandbox"
	"switchboard/models"
)

// The sync benchmark (go run ./bench -sync) measures the dual-write path
// (local row and sync jobs in one transaction, pushed by the outbox
// workers) on each database:
//
//   - commit: closed-loop POST /api/appointments against an app that runs
//     no outbox workers (--sync-workers 0), so the figure is the write path
//     alone: validation, the local row and its sync job in one transaction;
//   - drain: a second app on the same database with the default workers
//     delivers that backlog to the sandbox; every job must be delivered
//     exactly once;
//   - steady: POST /api/appointments at a fixed rate against the draining
//     app, and the sync lag of each job (committed → delivered).

// SyncOptions tune one sync benchmark run.
type SyncOptions struct {
	// Duration is the length of the commit and of the steady phase.
	Duration time.Duration
	// Concurrency is the number of closed-loop workers of the commit phase.
	Concurrency int
	// Rate is the appointments per second of the steady phase.
	Rate int
	// Workers is the outbox workers of the draining app (--sync-workers).
	Workers int
	// Postgres is a PostgreSQL URL; the run gets a schema of its own in
	// it. Empty leaves PostgreSQL out.
	Postgres string
	// CPUProfile, when set, profiles the commit and the drain phase into
	// CPUProfile-sync-{commit,drain}-<database>.prof.
	CPUProfile string
	// LogLevel is the apps' log level (logs are formatted, then discarded).
	LogLevel string
	// Progress receives one line per phase; nil is silent.
	Progress io.Writer
}

// drainTimeout bounds the wait for a backlog or a steady phase to be
// delivered.
const drainTimeout = 5 * time.Minute

// SyncResult is the outcome on one database.
type SyncResult struct {
	Backend string
	Err     error
	Commit  Throughput
	// Backlog is the jobs waiting when the commit phase ended.
	Backlog int
	// Drain is how long the draining app took from its start until the
	// backlog was delivered.
	Drain time.Duration
	// Delivered is the appointments the sandbox created.
	Delivered int
	Steady    Latency
	// Lag percentiles of the steady phase's jobs, committed → delivered.
	LagJobs                int
	LagP50, LagP99, LagMax time.Duration
	// Unsynced counts jobs that ended in a state other than synced.
	Unsynced int
	// Memory is this process's (generator, sandbox and app together) at
	// the end of the commit phase.
	Memory Memory
}

// DrainRate is the jobs delivered per second while draining the backlog.
func (r *SyncResult) DrainRate() float64 {
	if r.Drain <= 0 {
		return 0
	}
	return float64(r.Backlog) / r.Drain.Seconds()
}

// SyncReport is the outcome of a sync benchmark run.
type SyncReport struct {
	Date    time.Time
	Options SyncOptions
	Machine Machine
	Results []*SyncResult
	// PostgresSkipped says why PostgreSQL was left out, when it was.
	PostgresSkipped string
}

// RunSync runs the sync benchmark on SQLite and, when o.Postgres is set,
// on PostgreSQL.
func RunSync(ctx context.Context, o SyncOptions) (*SyncReport, error) {
	rep := &SyncReport{Date: time.Now().UTC(), Options: o, Machine: machine()}
	dir, err := os.MkdirTemp("", "switchboard-syncbench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	rep.Results = append(rep.Results, runSyncOn(ctx, o, "SQLite", "sqlite://"+filepath.Join(dir, "sb.db"), dir))
	if o.Postgres == "" {
		rep.PostgresSkipped = "no PostgreSQL URL given (-postgres, or SWITCHBOARD_TEST_POSTGRES_DSN)"
		return rep, ctx.Err()
	}
	pgURL, drop, err := database.NewSchema(ctx, o.Postgres, "bench_sync")
	if err != nil {
		rep.Results = append(rep.Results, &SyncResult{Backend: "PostgreSQL", Err: err})
		return rep, ctx.Err()
	}
	defer drop()
	rep.Results = append(rep.Results, runSyncOn(ctx, o, "PostgreSQL", pgURL, dir))
	return rep, ctx.Err()
}

// Failed returns the first backend's error.
func (r *SyncReport) Failed() error {
	for _, res := range r.Results {
		if res.Err != nil {
			return fmt.Errorf("%s: %w", res.Backend, res.Err)
		}
	}
	return nil
}

// syncRun is one backend's run in progress.
type syncRun struct {
	o       SyncOptions
	dbURL   string
	dir     string
	box     *sandbox.Sandbox
	up      *server
	orgID   int64
	integ   int64
	patient int64
	key     string
	next    atomic.Int64 // appointment counter, for distinct start times
	client  *http.Client
}

func (s *syncRun) progress(format string, args ...any) {
	if s.o.Progress != nil {
		fmt.Fprintf(s.o.Progress, format+"\n", args...)
	}
}

func runSyncOn(ctx context.Context, o SyncOptions, backend, dbURL, dir string) *SyncResult {
	res := &SyncResult{Backend: backend}
	s := &syncRun{o: o, dbURL: dbURL, dir: dir, box: sandbox.New(sandbox.DefaultConfig()), client: newClient(o.Concurrency)}
	var err error
	if s.up, err = serve(s.box); err != nil {
		res.Err = err
		return res
	}
	defer s.up.Close()
	res.Err = s.run(ctx, res)
	return res
}

func (s *syncRun) run(ctx context.Context, res *SyncResult) error {
	// 1. An app without outbox workers takes the writes.
	writer, err := s.startApp(ctx, 0)
	if err != nil {
		return err
	}
	if err := s.seed(ctx, writer); err != nil {
		writer.Close()
		return fmt.Errorf("seed: %w", err)
	}
	srv, err := serve(writer.Router)
	if err != nil {
		writer.Close()
		return err
	}
	s.progress("sync %s: commit phase, %d workers for %s", res.Backend, s.o.Concurrency, s.o.Duration)
	stopProfile, err := startProfile(s.o.CPUProfile, "sync-commit-"+strings.ToLower(res.Backend))
	if err != nil {
		writer.Close()
		return err
	}
	res.Commit = closedLoop(ctx, s.client, s.createAppointment(srv.URL, `"status":"pending"`), s.o.Concurrency, s.o.Duration)
	res.Memory = procMemory("self")
	stopProfile()
	srv.Close()
	s.client.CloseIdleConnections()
	res.Backlog, err = countJobs(ctx, writer, "status = ?", models.JobPending)
	writer.Close()
	if err != nil {
		return err
	}
	if res.Commit.Errors > 0 {
		return fmt.Errorf("commit phase: %d errors, first: %s", res.Commit.Errors, res.Commit.FirstErr)
	}
	if int64(res.Backlog) != res.Commit.OK {
		return fmt.Errorf("commit phase: %d appointments answered 201 but %d jobs are pending", res.Commit.OK, res.Backlog)
	}

	// 2. An app with workers drains the backlog.
	s.progress("sync %s: draining %d jobs with %d workers", res.Backend, res.Backlog, s.o.Workers)
	if stopProfile, err = startProfile(s.o.CPUProfile, "sync-drain-"+strings.ToLower(res.Backend)); err != nil {
		return err
	}
	start := time.Now()
	drainer, err := s.startApp(ctx, s.o.Workers)
	if err != nil {
		stopProfile()
		return err
	}
	defer drainer.Close()
	err = waitDelivered(ctx, drainer, s.orgID, 0)
	res.Drain = time.Since(start)
	stopProfile()
	if err != nil {
		return fmt.Errorf("drain: %w", err)
	}
	if got := s.box.Stats().Created.OpenDentalAppointments; int64(got) != res.Commit.OK {
		return fmt.Errorf("drain: the sandbox created %d appointments for %d jobs", got, res.Commit.OK)
	}

	// 3. Steady rate against the draining app.
	lastID, err := maxJobID(ctx, drainer)
	if err != nil {
		return err
	}
	if srv, err = serve(drainer.Router); err != nil {
		return err
	}
	defer srv.Close()
	s.progress("sync %s: steady phase, %d appointments/s for %s", res.Backend, s.o.Rate, s.o.Duration)
	res.Steady = openLoop(ctx, s.client, s.createAppointment(srv.URL, `"mode":"dual_write"`), s.o.Rate, s.o.Duration)
	if res.Steady.Errors > 0 {
		return fmt.Errorf("steady phase: %d errors, first: %s", res.Steady.Errors, res.Steady.FirstErr)
	}
	if err := waitDelivered(ctx, drainer, s.orgID, lastID); err != nil {
		return fmt.Errorf("steady phase: %w", err)
	}
	if err := s.lags(ctx, drainer, lastID, res); err != nil {
		return err
	}
	res.Delivered = s.box.Stats().Created.OpenDentalAppointments
	if want := int(res.Commit.OK) + res.Steady.OK; res.Delivered != want {
		return fmt.Errorf("the sandbox created %d appointments for %d committed", res.Delivered, want)
	}
	if res.Unsynced, err = countJobs(ctx, drainer, "status <> ?", models.JobSynced); err != nil {
		return err
	}
	if res.Unsynced > 0 {
		return fmt.Errorf("%d jobs did not end synced", res.Unsynced)
	}
	return nil
}

// startApp builds the real app on the run's database with the given
// number of outbox workers.
func (s *syncRun) startApp(ctx context.Context, workers int) (*app.App, error) {
	return newApp(ctx, s.dbURL, s.dir, s.o.LogLevel, map[string]string{"SWITCHBOARD_SYNC_WORKERS": strconv.Itoa(workers)})
}

// seed creates the organization, an agent key, Open Dental from the
// catalog pointed at the sandbox with its credentials, dual-write for
// appointments and patients, and one patient, delivered before the
// phases start so that every appointment job can run at once.
func (s *syncRun) seed(ctx context.Context, a *app.App) error {
	var err error
	if s.orgID, s.key, err = seedOrganization(ctx, a); err != nil {
		return err
	}
	tenant := a.Store.Tenant(s.orgID)
	entry, err := catalog.Get("opendental")
	if err != nil {
		return err
	}
	doc, err := entry.Doc.Clone()
	if err != nil {
		return err
	}
	base := s.up.URL + sandbox.OpenDentalPrefix
	doc.BaseURL = map[string]string{definition.EnvProduction: base, definition.EnvSandbox: base}
	doc.AccessWindows = nil // the sandbox answers around the clock
	doc.RateLimit = nil     // the benchmark measures Switchboard, not a vendor's quota
	in, err := a.Registry.Create(ctx, s.orgID, doc, "opendental")
	if err != nil {
		return err
	}
	s.integ = in.ID
	sc := s.box.Config()
	fields := map[string]string{"developer_key": sc.OpenDentalDeveloperKey, "customer_key": sc.OpenDentalCustomerKey}
	if err := saveCredentials(ctx, a, s.orgID, in.ID, fields); err != nil {
		return err
	}
	if err := tenant.SaveSyncConfig(ctx, &models.SyncConfig{IntegrationID: in.ID, Enabled: true,
		Direction: models.DirectionDualWrite, Environment: definition.EnvProduction,
		SyncOnCreate: true, SyncOnUpdate: true, SyncOnDelete: true, Entities: "appointment,patient",
		ConflictResolution: models.ConflictNewestWins, PollIntervalSeconds: 60}); err != nil {
		return err
	}
	p := &models.Patient{FirstName: "Ada", LastName: "Benchmark", Phone: "(503) 555-0100"}
	if _, err := a.Sync.CreatePatient(ctx, s.orgID, p); err != nil {
		return err
	}
	s.patient = p.ID
	// This app runs no workers: deliver the patient's job here.
	for {
		ran, err := a.Sync.RunOne(ctx)
		if err != nil {
			return err
		}
		if !ran {
			break
		}
	}
	if _, err := tenant.ExternalRef(ctx, in.ID, definition.EntityPatient, p.ID); err != nil {
		return fmt.Errorf("the patient did not reach the sandbox: %w", err)
	}
	return nil
}

// createAppointment sends POST /api/appointments as a booking agent
// would: the next free half hour for the benchmark patient. An answer
// counts when it is 201 and carries marker in its sync state.
func (s *syncRun) createAppointment(base, marker string) *target {
	endpoint := base + "/api/appointments"
	authz := "Bearer " + s.key
	day0 := time.Date(2027, 1, 4, 8, 0, 0, 0, time.UTC)
	want := []byte(marker)
	return &target{Key: "sync", Name: "POST /api/appointments",
		request: func(ctx context.Context) (*http.Request, error) {
			n := s.next.Add(1)
			start := day0.Add(time.Duration(n) * 30 * time.Minute)
			body := fmt.Appendf(nil, `{"patient_id":%d,"start":%q,"duration_minutes":30,"operatory_ref":"1","provider_ref":"1","appointment_type":"Cleaning"}`,
				s.patient, start.Format(time.RFC3339))
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(body))
			if err != nil {
				return nil, err
			}
			req.Header.Set("Authorization", authz)
			req.Header.Set("Content-Type", "application/json")
			return req, nil
		},
		check: func(status int, body []byte) error {
			if status != http.StatusCreated {
				return fmt.Errorf("status %d: %s", status, excerpt(body))
			}
			if !bytes.Contains(body, want) {
				return fmt.Errorf("answer lacks %s: %s", want, excerpt(body))
			}
			return nil
		},
	}
}

// countJobs counts the sync jobs matching where.
func countJobs(ctx context.Context, a *app.App, where string, args ...any) (int, error) {
	n, err := a.DB.NewSelect().Model((*models.SyncJob)(nil)).Where(where, args...).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count sync jobs: %w", err)
	}
	return int(n), nil
}

func maxJobID(ctx context.Context, a *app.App) (int64, error) {
	var id int64
	err := a.DB.NewSelect().Model((*models.SyncJob)(nil)).ColumnExpr("COALESCE(MAX(id), 0)").Scan(ctx, &id)
	if err != nil {
		return 0, fmt.Errorf("last sync job: %w", err)
	}
	return id, nil
}

// waitDelivered waits until no job of the organization is open, or fails
// on a job after afterID that can no longer finish by itself, or after
// drainTimeout. The frequent check reads the first entry of the open-jobs
// index (the claim's own order), so that watching costs the same whatever
// the backlog and does not slow the drain it measures.
func waitDelivered(ctx context.Context, a *app.App, orgID, afterID int64) error {
	deadline := time.Now().Add(drainTimeout)
	for i := 0; ; i++ {
		open, err := anyOpenJob(ctx, a)
		if err != nil {
			return err
		}
		if !open {
			return firstFailure(ctx, a, orgID, afterID)
		}
		if i%100 == 99 {
			if err := firstFailure(ctx, a, orgID, afterID); err != nil {
				return err
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("jobs still open after %s", drainTimeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// anyOpenJob reports whether a job is still pending or retrying; it
// reads the first entry of the open-jobs index (the claim's own order), so
// that it costs the same whatever the backlog.
func anyOpenJob(ctx context.Context, a *app.App) (bool, error) {
	open, err := a.DB.NewSelect().Model((*models.SyncJob)(nil)).
		Where("status IN (?, ?)", models.JobPending, models.JobRetrying).
		OrderExpr("next_attempt_at, id").Limit(1).Exists(ctx)
	if err != nil {
		return false, fmt.Errorf("look for open sync jobs: %w", err)
	}
	return open, nil
}

// firstFailure describes the first job after afterID that failed or
// conflicted, if any.
func firstFailure(ctx context.Context, a *app.App, orgID, afterID int64) error {
	var js []models.SyncJob
	err := a.DB.NewSelect().Model(&js).
		Where("organization_id = ? AND status IN (?, ?) AND id > ?", orgID, models.JobFailed, models.JobConflict, afterID).
		OrderExpr("id").Limit(1).Scan(ctx)
	switch {
	case err != nil:
		return fmt.Errorf("read failed jobs: %w", err)
	case len(js) > 0:
		j := js[0]
		return fmt.Errorf("job %d (%s %s %d) ended %s after %d attempts: %s", j.ID, j.Operation, j.Entity, j.LocalID,
			j.Status, j.Attempts, j.LastError)
	}
	return nil
}

// lags reads the steady phase's jobs: the lag of each is from its commit
// (created_at, stamped in the write transaction) to its delivery
// (finished_at, stamped when the sandbox's answer is written).
func (s *syncRun) lags(ctx context.Context, a *app.App, afterID int64, res *SyncResult) error {
	var js []models.SyncJob
	if err := a.DB.NewSelect().Model(&js).Column("id", "status", "created_at", "finished_at").
		Where("id > ?", afterID).Scan(ctx); err != nil {
		return fmt.Errorf("read steady jobs: %w", err)
	}
	lags := make([]time.Duration, 0, len(js))
	for _, j := range js {
		if j.Status != models.JobSynced || j.FinishedAt == nil {
			res.Unsynced++
			continue
		}
		lags = append(lags, j.FinishedAt.Sub(j.CreatedAt))
	}
	if len(lags) != res.Steady.OK {
		return fmt.Errorf("steady phase: %d appointments created but %d jobs synced", res.Steady.OK, len(lags))
	}
	slices.Sort(lags)
	res.LagJobs = len(lags)
	if len(lags) > 0 {
		res.LagP50, res.LagP99, res.LagMax = percentile(lags, 0.50), percentile(lags, 0.99), lags[len(lags)-1]
	}
	return nil
}
