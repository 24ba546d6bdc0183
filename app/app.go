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
	"path/filepath"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"

	"switchboard/auth"
	"switchboard/config"
	"switchboard/database"
	"switchboard/handlers"
	"switchboard/integrations/calllog"
	"switchboard/integrations/executor"
	"switchboard/integrations/outbound"
	"switchboard/integrations/registry"
	"switchboard/integrations/respcache"
	"switchboard/integrations/sandbox"
	"switchboard/integrations/syncer"
	"switchboard/integrations/vault"
	"switchboard/internal/loop"
	"switchboard/migrations"
	"switchboard/models"
	"switchboard/secret"
)

// App is one running Switchboard process.
type App struct {
	Config      config.Config
	Logger      *slog.Logger
	DB          *bun.DB
	Migrations  *migrations.Runner
	Store       *models.Store
	Keys        *auth.KeyAuthenticator
	Throttle    *auth.Throttle
	Registry    *registry.Registry
	Vault       *vault.Vault
	Credentials *vault.Source
	// WebhookSecrets opens the sync configurations' webhook secrets.
	WebhookSecrets *vault.WebhookSecrets
	Policy         *outbound.Policy
	Executor       *executor.Executor
	Calls          *calllog.Recorder
	// CredentialUses writes the credentials' last_used_at off the request
	// path.
	CredentialUses *vault.UseRecorder
	Sync           *syncer.Manager
	Sandbox        *sandbox.Sandbox
	Router         *echo.Echo

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

// New opens the database, migrates it and builds the router.
func New(ctx context.Context, cfg config.Config, logger *slog.Logger, opts ...Option) (*App, error) {
	db, runner, err := Open(ctx, cfg, logger)
	if err != nil {
		return nil, err
	}
	for _, o := range opts {
		o(db)
	}
	key, generated, err := secret.Load(cfg.SecretKey, cfg.DataDir, cfg.Embedded(), logger)
	if err != nil {
		db.Close()
		return nil, err
	}
	if generated {
		logger.Warn("generated a new secret key; back it up, stored credentials cannot be read without it",
			"path", filepath.Join(cfg.DataDir, secret.KeyFile))
	}
	store := models.NewStore(db)
	if err := CheckKeyFingerprint(ctx, store, key); err != nil {
		db.Close()
		return nil, err
	}
	box, err := secret.NewBox(key)
	if err != nil {
		db.Close()
		return nil, err
	}
	policy, err := outbound.NewPolicy(cfg.AllowDestinations)
	if err != nil {
		db.Close()
		return nil, err
	}
	a := &App{Config: cfg, Logger: logger, DB: db, Migrations: runner, Store: store,
		Keys: auth.NewKeyAuthenticator(store, logger), Throttle: auth.NewThrottle(nil), Registry: registry.New(store),
		Vault: vault.New(box), Policy: policy, Calls: calllog.New(store, logger, 10_000)}
	a.Credentials = vault.NewSource(store, a.Vault)
	a.CredentialUses = vault.NewUseRecorder(store, a.Credentials, logger)
	cache, err := a.responseCache()
	if err != nil {
		db.Close()
		return nil, err
	}
	a.Executor = executor.New(executor.Config{Registry: a.Registry, Credentials: a.Credentials,
		Client: outbound.NewClient(policy), Logger: logger, Cache: cache, Uses: a.CredentialUses})
	a.WebhookSecrets = vault.NewWebhookSecrets(a.Vault)
	a.Sync = syncer.New(syncer.Config{Store: store, Registry: a.Registry, Executor: a.Executor, Logger: logger,
		Workers: cfg.SyncWorkers, Secrets: a.WebhookSecrets})
	if cfg.Demo {
		a.Sandbox = sandbox.New(sandbox.DefaultConfig())
	}
	a.Router = a.newRouter(key)
	a.startBackground()
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

// newRouter builds the router over the app's parts; key is the master key
// the session cookie keys derive from.
func (a *App) newRouter(key []byte) *echo.Echo {
	var demo handlers.DemoControls
	if a.Sandbox != nil {
		demo = sandboxControls{a.Sandbox, a.Executor}
	}
	e := handlers.NewRouter(handlers.Deps{
		Logger:         a.Logger,
		DB:             a.DB,
		Store:          a.Store,
		Migrations:     a.Migrations,
		SecretKey:      key,
		Keys:           a.Keys,
		Throttle:       a.Throttle,
		Registry:       a.Registry,
		Vault:          a.Vault,
		Credentials:    a.Credentials,
		WebhookSecrets: a.WebhookSecrets,
		Executor:       a.Executor,
		Calls:          a.Calls,
		Sync:           a.Sync,
		DemoControls:   demo,
		SecureCookies:  a.Config.SecureCookies,
		Demo:           a.Config.Demo,
		MetricsToken:   a.Config.MetricsToken,
	})
	if a.Sandbox != nil {
		mountSandbox(e, a.Sandbox)
	}
	return e
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

// startBackground runs the housekeeping goroutines until Close.
func (a *App) startBackground() {
	ctx, cancel := context.WithCancel(context.Background())
	a.stop = cancel
	a.wg.Add(6)
	// With --sync-workers 0 this process only writes the outbox; worker
	// processes sharing its PostgreSQL deliver the jobs.
	if a.Config.SyncWorkers > 0 {
		a.wg.Go(func() { a.Sync.Run(ctx) })
	}
	go func() {
		defer a.wg.Done()
		a.Keys.Run(ctx, 5*time.Second)
	}()
	go func() {
		defer a.wg.Done()
		a.Calls.Run(ctx)
	}()
	go func() {
		defer a.wg.Done()
		a.Calls.Purge(ctx, a.Config.APICallRetention)
	}()
	go func() {
		defer a.wg.Done()
		a.CredentialUses.Run(ctx, vault.UseInterval)
	}()
	go func() {
		defer a.wg.Done()
		a.refreshRegistry(ctx)
	}()
	go func() {
		defer a.wg.Done()
		a.purgeSessions(ctx)
	}()
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

// purgeSessions deletes expired sessions every hour.
func (a *App) purgeSessions(ctx context.Context) {
	purge := func(ctx context.Context) {
		if n, err := a.Store.PurgeExpiredSessions(ctx, time.Now().UTC()); err != nil && ctx.Err() == nil {
			a.Logger.Warn("unable to purge expired sessions", "err", err)
		} else if n > 0 {
			a.Logger.Info("purged expired sessions", "count", n)
		}
	}
	purge(ctx)
	loop.Every(ctx, time.Hour, purge)
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

// Close stops the background work and releases the database.
func (a *App) Close() error {
	if a.stop != nil {
		a.stop()
		a.wg.Wait()
		// Uses recorded by executions that ended while the workers stopped.
		_ = a.CredentialUses.Flush(context.Background())
	}
	if a.redis != nil {
		a.redis.Close()
	}
	return a.DB.Close()
}
