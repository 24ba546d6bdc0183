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
	"time"

	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"

	"switchboard/config"
	"switchboard/database"
	"switchboard/handlers"
	"switchboard/migrations"
)

// App is one running Switchboard process.
type App struct {
	Config     config.Config
	Logger     *slog.Logger
	DB         *bun.DB
	Migrations *migrations.Runner
	Router     *echo.Echo
}

// Open connects to the database and applies pending migrations; every
// subcommand that touches the database starts here (SPEC §9).
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

// New opens the database, migrates it and builds the router.
func New(ctx context.Context, cfg config.Config, logger *slog.Logger) (*App, error) {
	db, runner, err := Open(ctx, cfg, logger)
	if err != nil {
		return nil, err
	}
	a := &App{Config: cfg, Logger: logger, DB: db, Migrations: runner}
	a.Router = handlers.NewRouter(handlers.Deps{
		Logger:        logger,
		DB:            db,
		Migrations:    runner,
		SecureCookies: cfg.SecureCookies,
		Demo:          cfg.Demo,
	})
	return a, nil
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

// Close releases the database.
func (a *App) Close() error { return a.DB.Close() }
