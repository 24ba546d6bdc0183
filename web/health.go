package web

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/uptrace/bun"

	"switchboard/apperr"
)

// PendingCounter reports how many migrations are not applied yet.
type PendingCounter interface {
	Pending(ctx context.Context) (int, error)
}

// Health answers the liveness and readiness probes.
type Health struct {
	db         *bun.DB
	migrations PendingCounter
}

// NewHealth returns the probes of the database and its migrations.
func NewHealth(db *bun.DB, m PendingCounter) *Health {
	return &Health{db: db, migrations: m}
}

// Live handles GET /healthz: the process is up and serving.
func (h *Health) Live(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// Ready handles GET /readyz: the database answers and is fully migrated.
func (h *Health) Ready(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := h.db.PingContext(ctx); err != nil {
		return apperr.Wrap(err, apperr.CodeUnavailable, "the database is not reachable")
	}
	n, err := h.migrations.Pending(ctx)
	if err != nil {
		return apperr.Wrap(err, apperr.CodeUnavailable, "unable to read the migration status")
	}
	if n > 0 {
		return apperr.New(apperr.CodeUnavailable, "%d migrations are pending; run `switchboard migrate up`", n)
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready", "database": h.db.Dialect().Name().String()})
}
