// Package app wires Switchboard together: database, migrations, stores,
// engine, background workers and the router. cmd/switchboard and the tests
// build the same App, so what the tests drive is what runs in production.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"

	"switchboard/auth"
	"switchboard/config"
	"switchboard/database"
	"switchboard/integrations/alerts"
	"switchboard/integrations/background"
	"switchboard/integrations/calllog"
	"switchboard/integrations/executor"
	"switchboard/integrations/outbound"
	"switchboard/integrations/registry"
	"switchboard/integrations/respcache"
	"switchboard/integrations/sandbox"
	"switchboard/integrations/syncer"
	"switchboard/integrations/vault"
	"switchboard/migrations"
	"switchboard/models"
	"switchboard/secret"
	"switchboard/web/middleware"
)

// App is one running Switchboard process: the engine (Registry through
// Sync), the services the handlers call, the background workers and the
// router. app.New builds all of it; nothing else wires.
type App struct {
	Config     config.Config
	Logger     *slog.Logger
	DB         *bun.DB
	Migrations *migrations.Runner
	Store      *models.Store
	Keys       *auth.KeyAuthenticator
	// Throttle slows down failed sign-ins (the accounts service's).
	Throttle    *auth.Throttle
	Registry    *registry.Registry
	Vault       *vault.Vault
	Credentials *vault.Source
	// WebhookSecrets opens the sync configurations' webhook secrets.
	WebhookSecrets *vault.WebhookSecrets
	Policy         *outbound.Policy
	Executor       *executor.Executor
	// Calls is the call log: the executor reports every execution to it.
	Calls *calllog.Recorder
	// CredentialUses writes the credentials' last_used_at off the request
	// path.
	CredentialUses *vault.UseRecorder
	Sync           *syncer.Manager
	// Alerts raises and delivers the organizations' alerts.
	Alerts *alerts.Service
	// Engine runs the background work: River on PostgreSQL, the embedded
	// outbox on SQLite.
	Engine background.Engine
	// Sandbox is the demo's sandbox, one tenant per organization, served
	// at SandboxURL (a loopback listener of its own).
	Sandbox    *sandbox.Tenants
	SandboxURL string
	sandboxSrv *http.Server
	// Metrics are the Prometheus collectors served at /metrics.
	Metrics *middleware.Metrics

	Services
	Router *echo.Echo

	stop context.CancelFunc
	wg   sync.WaitGroup
	// redis is the shared response cache, when configured.
	redis *respcache.Redis
}

// Open connects to the database and applies pending migrations; every
// subcommand that touches the database starts here.
func Open(ctx context.Context, cfg config.Config, logger *slog.Logger) (*bun.DB, *migrations.Runner, error) {
	db, err := database.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, nil, err
	}
	runner, err := migrations.New(db)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	n, err := runner.Up(ctx)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	if n > 0 {
		logger.InfoContext(ctx, "migrations applied", "count", n)
	}
	return db, runner, nil
}

// Option adjusts the app before anything starts running.
type Option func(*bun.DB)

// WithQueryHook installs a bun query hook before any background worker
// starts: bun's hook list may not change once queries run concurrently.
func WithQueryHook(h bun.QueryHook) Option {
	return func(db *bun.DB) { db.AddQueryHook(h) }
}

// New opens the database, migrates it, builds the engine, the services,
// the handlers and the router, and starts the background workers.
func New(ctx context.Context, cfg config.Config, logger *slog.Logger, opts ...Option) (*App, error) {
	db, runner, err := Open(ctx, cfg, logger)
	if err != nil {
		return nil, err
	}
	for _, o := range opts {
		o(db)
	}
	a := &App{Config: cfg, Logger: logger, DB: db, Migrations: runner, Store: models.NewStore(db)}
	key, err := a.buildEngine(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	a.buildServices()
	a.Router = a.newRouter(key)
	if err := a.startBackground(); err != nil {
		_ = a.Engine.Stop(ctx)
		db.Close()
		return nil, err
	}
	return a, nil
}

// responseCache is the executor's response cache: in Redis when
// SWITCHBOARD_REDIS_URL is set (shared by every process), else in this
// process.
func (a *App) responseCache() (respcache.Cache, error) {
	if a.Config.RedisURL == "" {
		return respcache.NewMemory(0, nil), nil
	}
	r, err := respcache.NewRedis(a.Config.RedisURL, a.Config.RedisPrefix)
	if err != nil {
		return nil, err
	}
	a.redis = r
	return r, nil
}

// FingerprintSetting is the app_settings key of the secret key's fingerprint.
const FingerprintSetting = "secret_key_fingerprint"

// CheckKeyFingerprint stores the key's fingerprint on first start and
// refuses to start with a different key afterwards, so that a wrong key
// fails loudly now instead of failing every decryption later.
func CheckKeyFingerprint(ctx context.Context, store *models.Store, key []byte) error {
	fp := secret.Fingerprint(key)
	stored, ok, err := store.Setting(ctx, FingerprintSetting)
	if err != nil {
		return err
	}
	if !ok {
		return store.SetSetting(ctx, FingerprintSetting, fp)
	}
	if stored != fp {
		return fmt.Errorf("app: the secret key (fingerprint %s) is not the one this database's credentials were encrypted with (fingerprint %s); start with the original SWITCHBOARD_SECRET_KEY or <data dir>/secret.key, or re-encrypt with `switchboard secrets rotate`", fp, stored)
	}
	return nil
}

// Serve answers HTTP on ln until ctx is cancelled, then shuts down
// gracefully: it stops accepting, lets in-flight requests finish within
// the shutdown timeout, and stops the background workers.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           a.Router,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(a.Logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	go returnStartupMemory(ctx)
	select {
	case err := <-errc:
		return fmt.Errorf("app: server stopped: %w", err)
	case <-ctx.Done():
	}
	a.Logger.Info("shutting down", "timeout", a.Config.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), a.Config.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("app: graceful shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("app: server stopped: %w", err)
	}
	return nil
}

// startupSettle is how long after Serve the start-up work (migrations,
// compiling the catalog, the first runs of the background work) is over.
const startupSettle = 5 * time.Second

// returnStartupMemory gives the heap the start-up work used and let go back
// to the operating system, once: the heap peaks at about four times what an
// idle process keeps, and the runtime would otherwise hold on to those pages
// (the idle RSS goal of issue 23 is < 50 MB).
func returnStartupMemory(ctx context.Context) {
	t := time.NewTimer(startupSettle)
	defer t.Stop()
	select {
	case <-t.C:
		debug.FreeOSMemory()
	case <-ctx.Done():
	}
}

// Close stops the background work and releases the database.
func (a *App) Close() error {
	if a.stop != nil {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		if err := a.Engine.Stop(sctx); err != nil {
			a.Logger.Warn("background engine: stop", "err", err)
		}
		cancel()
		a.stop()
		a.wg.Wait()
		// Uses recorded by executions that ended while the workers stopped.
		_ = a.CredentialUses.Flush(context.Background())
	}
	if a.redis != nil {
		a.redis.Close()
	}
	if a.sandboxSrv != nil {
		a.sandboxSrv.Close()
	}
	return a.DB.Close()
}
