package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/integrations/health"
	"switchboard/views/components"
	"switchboard/views/layouts"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

// dashboardHours is the span of the dashboard's charts and counts.
const dashboardHours = 24

// DashboardHandler renders the signed-in home page and the menu.
type DashboardHandler struct {
	health *health.Service
}

// NewDashboardHandler returns a DashboardHandler.
func NewDashboardHandler(hs *health.Service) *DashboardHandler {
	return &DashboardHandler{health: hs}
}

// Show handles GET /: the health service's Board (calls and sync per
// hour, the queue, the lag, each integration's health), in practice time.
func (h *DashboardHandler) Show(c echo.Context) error {
	p := session.From(c)
	b, err := h.health.Board(c.Request().Context(), p.Org.ID, session.Zone(c), web.URLs(c), time.Now(), dashboardHours)
	if err != nil {
		return err
	}
	d := pages.Dashboard{OrgName: p.Org.Name, Calls: bars(b.Calls), Sync: bars(b.Sync)}
	for _, s := range b.Stats {
		d.Stats = append(d.Stats, pages.DashboardStat(s))
	}
	for _, s := range b.SyncStats {
		d.SyncStats = append(d.SyncStats, pages.DashboardStat(s))
	}
	for _, r := range b.Rows {
		d.Health = append(d.Health, pages.HealthRow(r))
	}
	if d.Setup, err = h.setupSteps(c); err != nil {
		return err
	}
	return web.Render(c, http.StatusOK, pages.DashboardPage(d))
}

func bars(in []health.Bar) []components.Bar {
	out := make([]components.Bar, len(in))
	for i, b := range in {
		out[i] = components.Bar(b)
	}
	return out
}

// Nav handles GET /nav: the menu alone, which every page polls for its
// open-error badge.
func (h *DashboardHandler) Nav(c echo.Context) error {
	return web.Render(c, http.StatusOK, layouts.Menu())
}
