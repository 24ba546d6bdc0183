package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"switchboard/app"
	"switchboard/database"
	"switchboard/integrations/background"
	"switchboard/integrations/sandbox"
	"switchboard/models"
)

// The drain benchmark (go run ./bench -drain) measures how fast the real
// product drains a backlog of sync jobs on PostgreSQL, with 1, 2 or 4
// processes sharing the database, and whether that rate holds as the
// backlog grows. For each backlog size and process count:
//
//   - prefill: a fresh schema, the same seed as the sync benchmark (Open
//     Dental from the catalog pointed at the sandbox, dual-write), one
//     appointment booked through POST /api/appointments by an app that
//     runs no workers, then that appointment and its sync job copied in
//     bulk with SQL to distinct half hours of the same provider; each batch
//     queues its River deliveries through the store's sync-job hook in its
//     own transaction, as a booking does;
//   - drain: N `switchboard serve` processes start on the schema with the
//     default workers; the wall time runs from their start until no job is
//     open. Every job must end synced and the sandbox must have created
//     exactly one appointment per job.

// DrainOptions tune one drain benchmark run.
type DrainOptions struct {
	// Postgres is the PostgreSQL URL; each drain gets a schema of its own.
	Postgres string
	// Procs lists the process counts to drain with.
	Procs []int
	// Backlogs lists the backlog sizes, in sync jobs.
	Backlogs []int
	// Timeout bounds each drain.
	Timeout time.Duration
	// LogLevel is the apps' log level.
	LogLevel string
	// Progress receives one line per step; nil is silent.
	Progress io.Writer
}

// prefillBatch is the sync jobs written and queued per transaction.
const prefillBatch = 5000

// DrainResult is the outcome of one backlog drained by one process count.
type DrainResult struct {
	Backlog, Procs int
	Err            error
	// Prefill is how long writing and queueing the backlog took.
	Prefill time.Duration
	// Wall is from the processes' start until no job was open.
	Wall time.Duration
	// Delivered is the appointments the sandbox created.
	Delivered int
	// FirstDone is from the processes' start until the first job was
	// synced (their start-up, mostly); Span is from the first job synced
	// to the last (the jobs' finished_at).
	FirstDone, Span time.Duration
	// CPU is the user and system time of the processes, read just
	// before they were stopped (start-up included).
	CPU time.Duration
}

// Rate is the jobs delivered per second of wall time.
func (r *DrainResult) Rate() float64 {
	if r.Wall <= 0 {
		return 0
	}
	return float64(r.Backlog) / r.Wall.Seconds()
}

// SpanRate is the jobs synced per second between the first and the last.
func (r *DrainResult) SpanRate() float64 {
	if r.Span <= 0 || r.Backlog < 2 {
		return 0
	}
	return float64(r.Backlog-1) / r.Span.Seconds()
}

// CPUPerJob is the serve processes' CPU time per job.
func (r *DrainResult) CPUPerJob() time.Duration {
	if r.Backlog <= 0 {
		return 0
	}
	return r.CPU / time.Duration(r.Backlog)
}

// DrainReport is the outcome of a drain benchmark run.
type DrainReport struct {
	Date    time.Time
	Options DrainOptions
	Machine Machine
	Results []*DrainResult
}

// Failed returns the first drain's error.
func (r *DrainReport) Failed() error {
	for _, res := range r.Results {
		if res.Err != nil {
			return fmt.Errorf("backlog %d, %d processes: %w", res.Backlog, res.Procs, res.Err)
		}
	}
	return nil
}

// RunDrain builds the product once, then drains every backlog size with
// every process count, each on a fresh schema.
func RunDrain(ctx context.Context, o DrainOptions) (*DrainReport, error) {
	if o.Postgres == "" {
		return nil, errors.New("the drain benchmark needs PostgreSQL: pass -postgres URL or set SWITCHBOARD_TEST_POSTGRES_DSN")
	}
	dir, err := os.MkdirTemp("", "switchboard-drainbench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	bin, err := buildProduct(ctx, dir)
	if err != nil {
		return nil, err
	}
	rep := &DrainReport{Date: time.Now().UTC(), Options: o, Machine: machine()}
	for _, backlog := range o.Backlogs {
		for _, procs := range o.Procs {
			res := drainOnce(ctx, o, bin, dir, backlog, procs)
			rep.Results = append(rep.Results, res)
			if res.Err != nil {
				o.progress("drain %d jobs with %d processes: %v", backlog, procs, res.Err)
			} else {
				o.progress("drain %d jobs with %d processes: %.1f s, %.0f jobs/s", backlog, procs,
					res.Wall.Seconds(), res.Rate())
			}
			if ctx.Err() != nil {
				return rep, ctx.Err()
			}
		}
	}
	return rep, nil
}

// progress prints one line of the run.
func (o DrainOptions) progress(format string, args ...any) {
	if o.Progress != nil {
		fmt.Fprintf(o.Progress, format+"\n", args...)
	}
}

// drainOnce prefills a fresh schema with backlog jobs and drains them
// with procs processes.
func drainOnce(ctx context.Context, o DrainOptions, bin, dir string, backlog, procs int) *DrainResult {
	res := &DrainResult{Backlog: backlog, Procs: procs}
	dbURL, drop, err := database.NewSchema(ctx, o.Postgres, "bench_drain")
	if err != nil {
		res.Err = err
		return res
	}
	defer drop()
	s := &syncRun{o: SyncOptions{LogLevel: o.LogLevel, Progress: o.Progress}, dbURL: dbURL, dir: dir,
		box: sandbox.New(sandbox.DefaultConfig()), client: newClient(1)}
	if s.up, err = serve(s.box); err != nil {
		res.Err = err
		return res
	}
	defer s.up.Close()
	// This app runs no workers: it seeds, prefills and watches the drain.
	watcher, err := s.startApp(ctx, 0)
	if err != nil {
		res.Err = err
		return res
	}
	defer watcher.Close()
	if err := s.seed(ctx, watcher); err != nil {
		res.Err = fmt.Errorf("seed: %w", err)
		return res
	}
	s.progress("drain: prefilling %d jobs", backlog)
	start := time.Now()
	if res.Err = s.prefill(ctx, watcher, backlog); res.Err != nil {
		return res
	}
	res.Prefill = time.Since(start)
	s.progress("drain: prefilled %d jobs in %.1f s; draining with %d processes", backlog, res.Prefill.Seconds(), procs)
	res.Err = s.drain(ctx, o, bin, watcher, res)
	return res
}

// prefill writes n appointments and their pending create jobs: the first
// booked through the API, the others copied from it in batches, each
// batch queueing its deliveries in its own transaction. It checks that n
// jobs are then pending.
func (s *syncRun) prefill(ctx context.Context, a *app.App, n int) error {
	srv, err := serve(a.Router)
	if err != nil {
		return err
	}
	err = do(ctx, s.client, s.createAppointment(srv.URL, `"status":"pending"`), new(bytes.Buffer))
	srv.Close()
	s.client.CloseIdleConnections()
	if err != nil {
		return fmt.Errorf("book the first appointment: %w", err)
	}
	jobID, err := maxJobID(ctx, a)
	if err != nil {
		return err
	}
	for done := 1; done < n; done += prefillBatch {
		last := min(done+prefillBatch, n) - 1
		if err := s.copyBatch(ctx, a, jobID, done, last); err != nil {
			return fmt.Errorf("prefill %d–%d: %w", done, last, err)
		}
	}
	return checkQueued(ctx, a, n)
}

// queuedSQL counts the pending sync jobs that have a River delivery
// waiting.
const queuedSQL = `SELECT count(*) FROM sync_jobs sj
JOIN river_job r ON r.kind = ? AND r.state = 'available' AND (r.args->>'sync_job_id')::bigint = sj.id
WHERE sj.status = ?`

// checkQueued checks that n jobs are pending, each with its River
// delivery available.
func checkQueued(ctx context.Context, a *app.App, n int) error {
	pending, err := countJobs(ctx, a, "status = ?", models.JobPending)
	if err != nil {
		return err
	}
	var queued int
	if err := a.DB.NewRaw(queuedSQL, background.KindSyncDelivery, models.JobPending).Scan(ctx, &queued); err != nil {
		return fmt.Errorf("count River deliveries: %w", err)
	}
	if pending != n || queued != n {
		return fmt.Errorf("prefill: %d jobs pending and %d River deliveries queued, want %d of each", pending, queued, n)
	}
	return nil
}

// copySQL copies the appointment of sync job ? to the half hours ? to ?
// after it, and its job to each copy, due now; it returns the new jobs'
// ids. Every other value is the booked one's.
const copySQL = `WITH j AS (SELECT * FROM sync_jobs WHERE id = ?),
t AS (SELECT a.* FROM appointments a JOIN j ON a.id = j.local_id),
ins AS (
  INSERT INTO appointments (organization_id, patient_id, start_at, end_at, duration_minutes, provider_ref,
    operatory_ref, location_ref, appointment_type, status, notes, version, created_at, updated_at)
  SELECT t.organization_id, t.patient_id, t.start_at + g * interval '30 minutes', t.end_at + g * interval '30 minutes',
    t.duration_minutes, t.provider_ref, t.operatory_ref, t.location_ref, t.appointment_type, t.status, t.notes,
    t.version, now(), now()
  FROM t, generate_series(?::int, ?::int) AS g
  RETURNING id)
INSERT INTO sync_jobs (organization_id, integration_id, entity, local_id, operation, status, attempts,
  max_attempts, next_attempt_at, lease_owner, record_version, external_id, last_error, last_http_status,
  conflict_detail, created_at, updated_at)
SELECT j.organization_id, j.integration_id, j.entity, ins.id, j.operation, j.status, 0, j.max_attempts, now(),
  '', j.record_version, '', '', 0, '', now(), now()
FROM j, ins ORDER BY ins.id
RETURNING id`

// copyBatch copies the booked appointment and its job to the half hours
// from..to after it and, in the same transaction, hands the new jobs to
// the store's sync-job hook, which inserts their River deliveries.
func (s *syncRun) copyBatch(ctx context.Context, a *app.App, jobID int64, from, to int) error {
	return a.Store.Tenant(s.orgID).InTx(ctx, func(tx *models.Tenant) error {
		var ids []int64
		if err := tx.DB().NewRaw(copySQL, jobID, from, to).Scan(ctx, &ids); err != nil {
			return err
		}
		if len(ids) != to-from+1 {
			return fmt.Errorf("copied %d appointments, want %d", len(ids), to-from+1)
		}
		return tx.SyncJobsDue(ctx, ids...)
	})
}

// buildProduct builds cmd/switchboard into dir, once per run, so that the
// drain runs the binary a deployment runs.
func buildProduct(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "switchboard")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "switchboard/cmd/switchboard")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build switchboard (run from the repository): %w\n%s", err, out)
	}
	return bin, nil
}

// drain starts res.Procs serve processes on the prefilled schema and
// waits, within o.Timeout, until no job is open; then it stops them and
// checks that every job ended synced and was delivered exactly once.
func (s *syncRun) drain(ctx context.Context, o DrainOptions, bin string, a *app.App, res *DrainResult) error {
	wctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	start := time.Now()
	k, err := startServers(bin, s.dbURL, s.dir, o.LogLevel, res.Procs)
	if err != nil {
		return err
	}
	err = waitDrained(wctx, a, s.orgID, k)
	res.Wall = time.Since(start)
	res.CPU = k.cpu()
	// Stopped before the sandbox is counted: a delivery still in flight
	// would show as a second appointment.
	if serr := k.stop(); err == nil {
		err = serr
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil:
		return fmt.Errorf("jobs still open after %s (-drain-timeout)", o.Timeout)
	case err != nil:
		return err
	}
	res.Delivered = s.box.Stats().Created.OpenDentalAppointments
	if res.Delivered != res.Backlog {
		return fmt.Errorf("the sandbox created %d appointments for %d jobs", res.Delivered, res.Backlog)
	}
	unsynced, err := countJobs(ctx, a, "status <> ?", models.JobSynced)
	if err != nil {
		return err
	}
	if unsynced > 0 {
		return fmt.Errorf("%d jobs did not end synced", unsynced)
	}
	return spans(ctx, a, start, res)
}

// spans reads when the first and the last appointment job finished.
func spans(ctx context.Context, a *app.App, start time.Time, res *DrainResult) error {
	var first, last time.Time
	err := a.DB.NewSelect().Model((*models.SyncJob)(nil)).ColumnExpr("MIN(finished_at), MAX(finished_at)").
		Where("entity = 'appointment'").Scan(ctx, &first, &last)
	if err != nil {
		return fmt.Errorf("read finish times: %w", err)
	}
	res.FirstDone, res.Span = first.Sub(start), last.Sub(first)
	return nil
}

// waitDrained waits until no job is open, or a job failed, or a serve
// process exited, or ctx ends.
func waitDrained(ctx context.Context, a *app.App, orgID int64, k *servers) error {
	for i := 0; ; i++ {
		if err := k.exited(); err != nil {
			return err
		}
		open, err := anyOpenJob(ctx, a)
		if err != nil {
			return err
		}
		if !open {
			return firstFailure(ctx, a, orgID, 0)
		}
		if i%100 == 99 {
			if err := firstFailure(ctx, a, orgID, 0); err != nil {
				return err
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// servers are the serve processes of one drain.
type servers struct {
	cmds []*exec.Cmd
	// done[i] closes when cmds[i] has exited; errs[i] then says how.
	done []chan struct{}
	errs []error
	logs []string
}

// startServers starts n `switchboard serve` processes on dbURL, each with
// the default sync workers, a free loopback port and its log in dir.
func startServers(bin, dbURL, dir, logLevel string, n int) (*servers, error) {
	env := serverEnv(dbURL, dir, logLevel)
	k := &servers{errs: make([]error, n)}
	for i := range n {
		logPath := filepath.Join(dir, fmt.Sprintf("serve-%d.log", i))
		f, err := os.Create(logPath)
		if err != nil {
			k.stop()
			return nil, err
		}
		cmd := exec.Command(bin, "serve")
		cmd.Env, cmd.Stdout, cmd.Stderr = env, f, f
		// A bench that dies takes its servers with it.
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		err = cmd.Start()
		f.Close() // the child holds its own descriptor
		if err != nil {
			k.stop()
			return nil, fmt.Errorf("start switchboard serve: %w", err)
		}
		done := make(chan struct{})
		k.cmds, k.done, k.logs = append(k.cmds, cmd), append(k.done, done), append(k.logs, logPath)
		go func() {
			k.errs[i] = cmd.Wait()
			close(done)
		}()
	}
	return k, nil
}

// serverEnv is this process's environment without any Switchboard
// setting, plus the drain's: the schema, the benchmark's secret key,
// loopback destinations (the sandbox) and a free loopback port.
func serverEnv(dbURL, dir, logLevel string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SWITCHBOARD_") && !strings.HasPrefix(kv, "DATABASE_URL=") {
			env = append(env, kv)
		}
	}
	return append(env, "DATABASE_URL="+dbURL, "SWITCHBOARD_DATA_DIR="+dir, "SWITCHBOARD_SECRET_KEY="+benchSecretKey,
		"SWITCHBOARD_ALLOW_DESTINATIONS=127.0.0.0/8", "SWITCHBOARD_ADDR=127.0.0.1:0",
		"SWITCHBOARD_LOG_LEVEL="+logLevel, "SWITCHBOARD_LOG_FORMAT=json")
}

// exited describes the first process that has exited, if any.
func (k *servers) exited() error {
	for i, done := range k.done {
		select {
		case <-done:
			return fmt.Errorf("serve process %d exited during the drain (%v); its log: %s", k.cmds[i].Process.Pid, k.errs[i], k.logs[i])
		default:
		}
	}
	return nil
}

// cpu is the user and system time the running processes have used.
func (k *servers) cpu() time.Duration {
	var d time.Duration
	for _, cmd := range k.cmds {
		d += procCPU(cmd.Process.Pid)
	}
	return d
}

// stop asks every process to shut down (SIGTERM, as a deployment does)
// and kills one that is still running after serverStopWait.
func (k *servers) stop() error {
	for _, cmd := range k.cmds {
		_ = cmd.Process.Signal(syscall.SIGTERM)
	}
	var errs []error
	for i, cmd := range k.cmds {
		select {
		case <-k.done[i]:
		case <-time.After(serverStopWait):
			_ = cmd.Process.Kill()
			<-k.done[i]
			errs = append(errs, fmt.Errorf("serve process %d did not stop within %s; killed", cmd.Process.Pid, serverStopWait))
		}
	}
	return errors.Join(errs...)
}

// serverStopWait is how long a serve process may take to shut down.
const serverStopWait = 30 * time.Second
