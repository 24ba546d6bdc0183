package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/clock"
	"switchboard/integrations/health"
	"switchboard/integrations/syncer"
	"switchboard/models"
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
	sync   *syncer.Manager
}

// NewDashboardHandler returns a DashboardHandler; sync counts the open
// sync errors.
func NewDashboardHandler(hs *health.Service, sync *syncer.Manager) *DashboardHandler {
	return &DashboardHandler{health: hs, sync: sync}
}

// Show handles GET /: integration health, calls and errors per hour over
// the last day, and the organization's numbers.
func (h *DashboardHandler) Show(c echo.Context) error {
	p := session.From(c)
	ctx := c.Request().Context()
	since := time.Now().UTC().Truncate(time.Hour).Add(-(dashboardHours - 1) * time.Hour)
	day, err := h.health.CallsPerHour(ctx, p.Org.ID, since, dashboardHours)
	if err != nil {
		return err
	}
	hours, ins := day.Hours, day.Integrations
	open, err := h.sync.OpenErrors(ctx, p.Org.ID)
	if err != nil {
		return err
	}
	d, calls, failed := dashboardOf(session.Zone(c), since, hours, ins)
	d.OrgName = p.Org.Name
	d.Stats = dashboardStats(web.URLs(c), open, len(ins), calls, failed)
	return web.Render(c, http.StatusOK, pages.DashboardPage(d))
}

// dashboardOf builds the chart and the health rows from the hourly counts
// and returns the period's calls and failures.
func dashboardOf(z clock.Zone, since time.Time, hours []models.CallHour, ins []models.Integration) (pages.Dashboard, int, int) {
	d := pages.Dashboard{Chart: make([]components.Bar, dashboardHours)}
	for i := range d.Chart {
		d.Chart[i].Label = z.In(since.Add(time.Duration(i) * time.Hour)).Format("15:04")
	}
	rows := make(map[string]*pages.HealthRow, len(ins))
	last := map[string]time.Time{}
	calls, failed := 0, 0
	for _, ch := range hours {
		calls, failed = calls+ch.Calls, failed+ch.Errors
		if ch.Hour >= 0 && ch.Hour < len(d.Chart) {
			d.Chart[ch.Hour].Total += ch.Calls
			d.Chart[ch.Hour].Failed += ch.Errors
		}
		if rows[ch.Provider] == nil {
			rows[ch.Provider] = &pages.HealthRow{}
		}
		rows[ch.Provider].Calls += ch.Calls
		rows[ch.Provider].Errors += ch.Errors
		if ch.Last.After(last[ch.Provider]) {
			last[ch.Provider] = ch.Last
		}
	}
	for _, in := range ins {
		row := pages.HealthRow{ID: in.ID, Name: in.Name, Slug: in.Slug, Enabled: in.Enabled}
		if r := rows[in.Slug]; r != nil {
			row.Calls, row.Errors = r.Calls, r.Errors
			row.LastCall = z.FormatPage(last[in.Slug])
		}
		d.Health = append(d.Health, row)
	}
	return d, calls, failed
}

// dashboardStats are the numbers at the top of the dashboard.
func dashboardStats(u urls.URLs, open, integrations, calls, failed int) []pages.DashboardStat {
	tone, openTone := "", "green"
	if failed > 0 {
		tone = "red"
	}
	if open > 0 {
		openTone = "red"
	}
	return []pages.DashboardStat{
		{Label: "Open sync errors", Value: pages.Count(open), Hint: "retrying, failed or in conflict", Href: u.SyncErrors(), Tone: openTone},
		{Label: "Integrations", Value: pages.Count(integrations), Hint: "connected systems", Href: u.Integrations()},
		{Label: "Calls 24h", Value: pages.Count(calls), Hint: "executions through the API", Href: u.Integrations()},
		{Label: "Errors 24h", Value: pages.Count(failed), Hint: "failed executions", Href: u.Integrations(), Tone: tone},
	}
}
