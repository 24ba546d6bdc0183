package handlers

import (
	"github.com/labstack/echo/v4"

	"switchboard/models"
	"switchboard/views/components"
	"switchboard/web"
	"switchboard/web/session"
)

// setupSteps is the dashboard's first-run checklist, ticked from what is
// saved (health.Setup), each step linked to where it is done. Only owners
// and admins, who can take the steps, see it.
func (h *DashboardHandler) setupSteps(c echo.Context) ([]components.ChecklistStep, error) {
	p := session.From(c)
	if p.Role != models.RoleOwner && p.Role != models.RoleAdmin {
		return nil, nil
	}
	s, err := h.health.Setup(c.Request().Context(), p.Org)
	if err != nil || s.Done() {
		return nil, err
	}
	u := web.URLs(c)
	creds, sync := u.Integrations(), u.SyncSettings()
	if s.Integration != 0 {
		creds = u.IntegrationCredentials(s.Integration)
	}
	return []components.ChecklistStep{
		{Key: "clock", Label: "Set the time zone and opening hours", Help: "Appointment times and open slots follow them.", Href: u.Settings(), Done: s.Clock},
		{Key: "system", Label: "Add your practice system from the catalog", Help: "Open Dental, Cloud9, Google Calendar…", Href: u.IntegrationNew(), Done: s.System},
		{Key: "credentials", Label: "Enter its credentials", Help: "The keys the vendor gave you; they are stored encrypted.", Href: creds, Done: s.Credentials},
		{Key: "test", Label: "Press Test Connection", Help: "Checks that the credentials work before anything relies on them.", Href: creds, Done: s.Tested},
		{Key: "sync", Label: "Turn sync on", Help: "Bookings made here reach the practice system.", Href: sync, Done: s.Sync},
		{Key: "agent-key", Label: "Create an agent key", Help: "Your phone or chat agent uses it to book.", Href: u.APIKeys(), Done: s.AgentKey},
	}, nil
}
