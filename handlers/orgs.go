package handlers

import (
	"fmt"
	"log/slog"
	"strconv"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/models"
	"switchboard/web"
	"switchboard/web/session"
)

// OrgHandler switches the organization a user acts in.
type OrgHandler struct {
	store  *models.Store
	logger *slog.Logger
}

// NewOrgHandler returns an OrgHandler.
func NewOrgHandler(store *models.Store, logger *slog.Logger) *OrgHandler {
	return &OrgHandler{store: store, logger: logger}
}

// Switch handles POST /orgs/switch.
func (h *OrgHandler) Switch(c echo.Context) error {
	p := session.From(c)
	id, err := strconv.ParseInt(c.FormValue("org_id"), 10, 64)
	if err != nil {
		return apperr.NotFound("organization")
	}
	var target *models.Membership
	for i := range p.Membership {
		if p.Membership[i].OrganizationID == id {
			target = &p.Membership[i]
		}
	}
	if target == nil {
		return apperr.NotFound("organization")
	}
	if err := h.store.SetSessionOrganization(c.Request().Context(), p.Session.ID, id); err != nil {
		return err
	}
	writeAudit(c, h.store, h.logger, models.AuditEvent{OrganizationID: &id, ActorUserID: p.ActorID(), Actor: p.Actor(),
		Action: models.AuditOrgSwitched, TargetType: "organization", TargetID: fmt.Sprint(id),
		Details: map[string]any{"from": p.Org.Slug}})
	session.Flash(c, "success", "You are now working in "+target.Organization.Name+".")
	return web.Redirect(c, web.URLs(c).Dashboard())
}
