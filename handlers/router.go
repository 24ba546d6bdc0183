// Package handlers is the HTTP surface of Switchboard: echo handlers, one
// struct per resource, and the one list of every route (this file).
package handlers

import (
	"log/slog"

	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"

	"switchboard/views/pages"
)

// Deps are what the router needs from the outside world. cmd/switchboard
// builds them explicitly.
type Deps struct {
	Logger     *slog.Logger
	DB         *bun.DB
	Migrations PendingCounter
	// SecureCookies marks cookies Secure and turns on HSTS (TLS deployments).
	SecureCookies bool
	// Demo shows the demo banner.
	Demo bool
}

// NewRouter builds the echo instance with every middleware and route.
func NewRouter(d Deps) *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.IPExtractor = echo.ExtractIPDirect()
	e.HTTPErrorHandler = ErrorHandler(d.Logger)

	e.Use(
		requestID(),
		requestLogger(d.Logger),
		recoverPanics(d.Logger),
		securityHeaders(d.SecureCookies),
		bodyLimitDefault(),
	)

	health := NewHealthHandler(d.DB, d.Migrations)
	e.GET("/healthz", health.Live).Name = "healthz"
	e.HEAD("/healthz", health.Live)
	e.GET("/readyz", health.Ready).Name = "readyz"
	e.GET("/static/*", Static).Name = "static"
	e.HEAD("/static/*", Static)

	e.GET("/", func(c echo.Context) error { return render(c, 200, pages.Welcome()) }).Name = "home"
	return e
}
