package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/integrations/syncer"
	"switchboard/models"
	"switchboard/views/components"
	"switchboard/views/pages"
)

// DashboardHandler renders the signed-in home page.
type DashboardHandler struct {
	store *models.Store
	sync  *syncer.Manager
}

// NewDashboardHandler returns a DashboardHandler.
func NewDashboardHandler(store *models.Store) *DashboardHandler {
	return &DashboardHandler{store: store}
}

// Show handles GET /: integration health, calls and errors per hour over
// the last day, and the organization's numbers.
func (h *DashboardHandler) Show(c echo.Context) error {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	t := h.store.Tenant(p.Org.ID)
	now := time.Now().UTC()
	since := now.Truncate(time.Hour).Add(-23 * time.Hour)
	calls, err := t.RecentCalls(ctx, since, 100_000)
	if err != nil {
		return err
	}
	ins, err := t.Integrations(ctx)
	if err != nil {
		return err
	}
	d := pages.Dashboard{OrgName: p.Org.Name}
	buckets := make([]components.Bar, 24)
	for i := range buckets {
		buckets[i].Label = since.Add(time.Duration(i) * time.Hour).Format("15:04")
	}
	perSlug := map[string]*pages.HealthRow{}
	for _, in := range ins {
		perSlug[in.Slug] = &pages.HealthRow{ID: in.ID, Name: in.Name, Slug: in.Slug, Enabled: in.Enabled}
	}
	failed := 0
	for _, call := range calls {
		i := int(call.CreatedAt.UTC().Sub(since) / time.Hour)
		if i >= 0 && i < len(buckets) {
			buckets[i].Total++
			if !call.OK {
				buckets[i].Failed++
			}
		}
		if !call.OK {
			failed++
		}
		if row := perSlug[call.Provider]; row != nil {
			row.Calls++
			if !call.OK {
				row.Errors++
			}
			if row.LastCall == "" {
				row.LastCall = call.CreatedAt.UTC().Format("2006-01-02 15:04 UTC")
			}
		}
	}
	for _, in := range ins {
		d.Health = append(d.Health, *perSlug[in.Slug])
	}
	d.Chart = buckets
	tone := ""
	if failed > 0 {
		tone = "red"
	}
	open, err := h.sync.OpenErrors(ctx, p.Org.ID)
	if err != nil {
		return err
	}
	openTone := "green"
	if open > 0 {
		openTone = "red"
	}
	d.Stats = []pages.DashboardStat{
		{Label: "Open sync errors", Value: pages.Count(open), Hint: "retrying, failed or in conflict", Href: "/sync-errors", Tone: openTone},
		{Label: "Integrations", Value: pages.Count(len(ins)), Hint: "connected systems", Href: "/integrations"},
		{Label: "Calls 24h", Value: pages.Count(len(calls)), Hint: "executions through the API", Href: "/integrations"},
		{Label: "Errors 24h", Value: pages.Count(failed), Hint: "failed executions", Href: "/integrations", Tone: tone},
	}
	return render(c, http.StatusOK, pages.DashboardPage(d))
}
