package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchboard/models"
	"switchboard/views/pages"
)

// DashboardHandler renders the signed-in home page.
type DashboardHandler struct {
	store *models.Store
}

// NewDashboardHandler returns a DashboardHandler.
func NewDashboardHandler(store *models.Store) *DashboardHandler {
	return &DashboardHandler{store: store}
}

// Show handles GET /.
func (h *DashboardHandler) Show(c echo.Context) error {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	t := h.store.Tenant(p.Org.ID)
	members, err := t.Members(ctx)
	if err != nil {
		return err
	}
	keys, err := t.APIKeys(ctx)
	if err != nil {
		return err
	}
	active := 0
	for _, k := range keys {
		if !k.Revoked() {
			active++
		}
	}
	d := pages.Dashboard{OrgName: p.Org.Name, Stats: []pages.DashboardStat{
		{Label: "Users", Value: pages.Count(len(members)), Hint: "people with access", Href: "/users"},
		{Label: "Agent API keys", Value: pages.Count(active), Hint: "active keys", Href: "/api-keys"},
	}}
	return render(c, http.StatusOK, pages.DashboardPage(d))
}
