package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/integrations/health"
	"switchboard/urls"
	"switchboard/views/components"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

// dashboardHours is the span of the dashboard's chart and counts.
const dashboardHours = 24

// DashboardHandler renders the signed-in home page.
type DashboardHandler struct {
	health *health.Service
}

// NewDashboardHandler returns a DashboardHandler.
func NewDashboardHandler(hs *health.Service) *DashboardHandler {
	return &DashboardHandler{health: hs}
}

// Show handles GET /: integration health, calls and errors per hour over
// the last day (in practice time), and the organization's numbers.
func (h *DashboardHandler) Show(c echo.Context) error {
	p, z := session.From(c), session.Zone(c)
	day, err := h.health.Today(c.Request().Context(), p.Org.ID, time.Now(), dashboardHours)
	if err != nil {
		return err
	}
	d := pages.Dashboard{OrgName: p.Org.Name, Chart: make([]components.Bar, len(day.Hours))}
	for i, n := range day.Hours {
		d.Chart[i] = components.Bar{Label: z.In(day.Since.Add(time.Duration(i) * time.Hour)).Format("15:04"), Total: n.Calls, Failed: n.Errors}
	}
	for _, in := range day.Integrations {
		row := pages.HealthRow{ID: in.ID, Name: in.Name, Slug: in.Slug, Enabled: in.Enabled, Calls: in.Count.Calls, Errors: in.Count.Errors}
		if !in.LastCall.IsZero() {
			row.LastCall = z.FormatPage(in.LastCall)
		}
		d.Health = append(d.Health, row)
	}
	d.Stats = dashboardStats(web.URLs(c), day)
	if d.Setup, err = h.setupSteps(c); err != nil {
		return err
	}
	return web.Render(c, http.StatusOK, pages.DashboardPage(d))
}

// dashboardStats are the numbers at the top of the dashboard.
func dashboardStats(u urls.URLs, day *health.Day) []pages.DashboardStat {
	tone, openTone := "", "green"
	if day.Failed > 0 {
		tone = "red"
	}
	if day.OpenErrors > 0 {
		openTone = "red"
	}
	return []pages.DashboardStat{
		{Label: "Open sync errors", Value: pages.Count(day.OpenErrors), Hint: "retrying, failed or in conflict", Href: u.SyncErrors(), Tone: openTone},
		{Label: "Integrations", Value: pages.Count(len(day.Integrations)), Hint: "connected systems", Href: u.Integrations()},
		{Label: "Calls 24h", Value: pages.Count(day.Calls), Hint: "function executions", Href: u.Integrations()},
		{Label: "Errors 24h", Value: pages.Count(day.Failed), Hint: "failed executions", Href: u.Integrations(), Tone: tone},
	}
}
