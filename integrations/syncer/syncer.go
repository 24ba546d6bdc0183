// Package syncer keeps local appointments and patients in step with
// external systems: the write path commits a local record and its
// sync jobs in one transaction (a transactional outbox), workers claim due
// jobs under a lease and deliver them through the executor, failures are
// retried with backoff and finally parked in the sync error log, and
// changes made in the external system arrive by webhook or by polling.
package syncer

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"sync"
	"time"

	"switchboard/integrations/background"
	"switchboard/integrations/executor"
	"switchboard/integrations/registry"
	"switchboard/internal/loop"
	"switchboard/models"
)

// Defaults of Config.
const (
	DefaultLease       = 30 * time.Second
	DefaultWorkers     = 4
	DefaultMaxAttempts = 6
	DefaultPollEvery   = time.Second
	// dependencyWait is how long a job waits for a job it depends on (an
	// appointment for its patient) before it is looked at again.
	dependencyWait = 250 * time.Millisecond
)

// Config holds the Manager's dependencies and settings.
type Config struct {
	Store    *models.Store
	Registry *registry.Registry
	Executor *executor.Executor
	// Logger receives worker events; default discards.
	Logger *slog.Logger
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Owner names this worker in leases; default hostname:pid:random.
	Owner string
	// Lease is how long a claimed job stays reserved; default 30s.
	Lease time.Duration
	// Workers is the number of claimers; default 4.
	Workers int
	// MaxAttempts is the number of failed attempts before a job is
	// parked; default 6.
	MaxAttempts int
	// Backoff gives the wait after the n-th failed attempt; default
	// 2s·2^(n-1) capped at 10 minutes, with jitter.
	Backoff func(attempt int) time.Duration
	// PollEvery is how often idle workers look for due jobs and the
	// poller for configurations due for polling; default 1s.
	PollEvery time.Duration
	// Secrets opens the configurations' webhook secrets
	// (vault.WebhookSecrets); without it no webhook is accepted.
	Secrets WebhookSecrets
	// Outcome, when set, is told of each delivery attempt's outcome
	// (synced, retrying, failed, deferred) and, for a synced one, the time
	// since the job was queued (the metrics).
	Outcome func(outcome string, lag time.Duration)
	// Parked, when set, is told of every job parked in the sync error log
	// (the alerts service raises sync.job_parked).
	Parked ParkObserver
}

// ParkObserver is told of a sync job that stopped retrying: it waits in
// the sync error log for a person.
type ParkObserver interface {
	Parked(ctx context.Context, j *models.SyncJob)
}

// WebhookSecrets opens a configuration's sealed webhook secret ("" when it
// has none).
type WebhookSecrets interface {
	WebhookSecret(ctx context.Context, cfg *models.SyncConfig) (string, error)
}

// Manager runs the write path, the outbox workers, the sync error log and
// the inbound intake. It is safe for concurrent use.
type Manager struct {
	cfg   Config
	store *models.Store
	reg   *registry.Registry
	exec  *executor.Executor
	log   *slog.Logger
	now   func() time.Time

	wakeMu sync.Mutex
	wake   chan struct{} // closed and replaced by Kick
	// engine is the background engine (QueueStats).
	engine background.Engine
	// okMu guards okAt: when this process last recorded a healthy sync
	// status per integration.
	okMu sync.Mutex
	okAt map[int64]time.Time

	// beforeCommit, when set (tests), runs at the end of the write
	// transaction; an error rolls it back.
	beforeCommit func() error
}

// New returns a Manager with the defaults of Config filled in.
func New(cfg Config) *Manager {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Owner == "" {
		cfg.Owner = defaultOwner()
	}
	if len(cfg.Owner) > 100 { // the width of sync_jobs.lease_owner
		cfg.Owner = cfg.Owner[len(cfg.Owner)-100:]
	}
	if cfg.Lease <= 0 {
		cfg.Lease = DefaultLease
	}
	if cfg.Workers <= 0 {
		cfg.Workers = DefaultWorkers
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = DefaultMaxAttempts
	}
	if cfg.Backoff == nil {
		cfg.Backoff = DefaultBackoff
	}
	if cfg.PollEvery <= 0 {
		cfg.PollEvery = DefaultPollEvery
	}
	store := cfg.Store.WithClock(cfg.Now)
	return &Manager{
		cfg: cfg, store: store, reg: cfg.Registry, exec: cfg.Executor, log: cfg.Logger,
		now:  func() time.Time { return cfg.Now().UTC() },
		wake: make(chan struct{}),
		okAt: map[int64]time.Time{},
	}
}

// DefaultBackoff waits 2s·2^(n-1), capped at 10 minutes, half of it
// random so that jobs failed together do not come back together.
func DefaultBackoff(attempt int) time.Duration {
	d := 10 * time.Minute
	if attempt < 10 {
		d = min(d, 2*time.Second<<max(attempt-1, 0))
	}
	return d/2 + rand.N(d/2+1)
}

func defaultOwner() string {
	host, _ := os.Hostname()
	var b [4]byte
	_, _ = crand.Read(b[:])
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}

// Kick wakes the idle workers to look for due jobs now.
func (m *Manager) Kick() {
	m.wakeMu.Lock()
	close(m.wake)
	m.wake = make(chan struct{})
	m.wakeMu.Unlock()
}

// woken returns the channel the next Kick closes.
func (m *Manager) woken() <-chan struct{} {
	m.wakeMu.Lock()
	defer m.wakeMu.Unlock()
	return m.wake
}

// Run starts the workers and the poller and returns when ctx ends, after
// the workers have finished their current job and the leases of this
// owner have been released.
func (m *Manager) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for range m.cfg.Workers {
		wg.Go(func() { m.work(ctx) })
	}
	wg.Go(func() { m.poll(ctx) })
	wg.Wait()
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := m.store.ReleaseSyncLeases(rctx, m.cfg.Owner); err != nil {
		m.log.Error("syncer: release leases", "err", err)
	}
}

// work claims and runs jobs until ctx ends, sleeping when none is due. A
// delivered job's outcome claims the next job in the same transaction;
// a job claimed that way when ctx ends keeps its lease until Run releases
// this owner's leases.
func (m *Manager) work(ctx context.Context) {
	t := time.NewTimer(0)
	defer t.Stop()
	var next *models.SyncJob
	for ctx.Err() == nil {
		wake := m.woken() // taken first, so a Kick while claiming is not missed
		j := next         // claimed with the last job's outcome
		var err error
		if j == nil {
			j, err = m.claim(ctx)
		}
		if j != nil {
			next, _, err = m.run(ctx, j, true)
		}
		if err != nil && ctx.Err() == nil {
			m.log.Error("syncer: run job", "err", err)
		}
		if j != nil {
			continue
		}
		t.Reset(m.cfg.PollEvery)
		select {
		case <-ctx.Done():
		case <-wake:
		case <-t.C:
		}
	}
}

// poll runs PollOnce every PollEvery until ctx ends.
func (m *Manager) poll(ctx context.Context) {
	loop.Every(ctx, m.cfg.PollEvery, func(ctx context.Context) {
		if err := m.PollOnce(ctx); err != nil && ctx.Err() == nil {
			m.log.Warn("syncer: poll", "err", err)
		}
	})
}

// claim leases one due job, or returns nil when none is due. On SQLite
// the store queues claims with the write transactions.
func (m *Manager) claim(ctx context.Context) (*models.SyncJob, error) {
	return m.claimFrom(ctx, m.store)
}

// claimFrom claims one due job through s, which may be a transaction.
func (m *Manager) claimFrom(ctx context.Context, s *models.Store) (*models.SyncJob, error) {
	js, err := s.ClaimSyncJobs(ctx, m.cfg.Owner, m.now().Add(m.cfg.Lease), 1)
	if err != nil || len(js) == 0 {
		return nil, err
	}
	return &js[0], nil
}

// RunOne claims one due job and runs it; it reports whether there was one.
func (m *Manager) RunOne(ctx context.Context) (bool, error) {
	j, err := m.claim(ctx)
	if err != nil || j == nil {
		return false, err
	}
	_, _, err = m.run(ctx, j, false)
	return true, err
}

// run runs a claimed job. The job's outcome is written even if ctx ends
// meanwhile, so a delivered job is not delivered again. The lease is
// renewed while the job runs (an executor call with retries may outlast
// it). With claimNext, and for synced, see runJob.
func (m *Manager) run(ctx context.Context, j *models.SyncJob, claimNext bool) (next *models.SyncJob, synced bool, err error) {
	// One delivery reads its organization and sync configuration through
	// a read memo, as a booking does: from what this process read within
	// the last second (models.sharedReadTTL), else once.
	ctx = models.WithReadMemo(ctx)
	hb, stop := context.WithCancel(context.WithoutCancel(ctx))
	done := make(chan struct{})
	go func() { defer close(done); m.heartbeat(hb, j.ID) }()
	next, synced, err = m.runJob(context.WithoutCancel(ctx), j, claimNext)
	stop()
	<-done
	return next, synced, err
}

// heartbeat extends a running job's lease every third of the lease.
func (m *Manager) heartbeat(ctx context.Context, id int64) {
	loop.Every(ctx, m.cfg.Lease/3, func(ctx context.Context) {
		if err := m.store.ExtendSyncLease(ctx, id, m.cfg.Owner, m.now().Add(m.cfg.Lease)); err != nil && ctx.Err() == nil {
			m.log.Warn("syncer: extend lease", "job", id, "err", err)
		}
	})
}

// setStatus records the outcome of a sync on the integration's settings.
// Successes come many times a second on a busy queue: a healthy status
// this process recorded less than a second ago is not written again, so
// that the workers do not queue on that one row (the store applies the
// same rule across processes).
func (m *Manager) setStatus(ctx context.Context, t *models.Tenant, integrationID int64, status, lastError string) error {
	now := m.now()
	m.okMu.Lock()
	if status == "ok" && now.Sub(m.okAt[integrationID]) < time.Second {
		m.okMu.Unlock()
		return nil
	}
	if status == "ok" {
		m.okAt[integrationID] = now
	} else {
		delete(m.okAt, integrationID)
	}
	m.okMu.Unlock()
	return t.SetSyncStatus(ctx, integrationID, status, lastError)
}
