package handlers

import (
	"strconv"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/apperr"
	"switchboard/web"
	"switchboard/web/session"
)

// OrgHandler switches the organization a user acts in.
type OrgHandler struct {
	accounts *accounts.Service
}

// NewOrgHandler returns an OrgHandler.
func NewOrgHandler(accts *accounts.Service) *OrgHandler { return &OrgHandler{accounts: accts} }

// Switch handles POST /orgs/switch.
func (h *OrgHandler) Switch(c echo.Context) error {
	id, err := strconv.ParseInt(c.FormValue("org_id"), 10, 64)
	if err != nil {
		return apperr.NotFound("organization")
	}
	m, err := h.accounts.SwitchOrganization(c.Request().Context(), session.Actor(c), session.From(c).Signed(), id)
	if err != nil {
		return err
	}
	session.Flash(c, "success", "You are now working in "+m.Organization.Name+".")
	return web.Redirect(c, web.URLs(c).Dashboard())
}
