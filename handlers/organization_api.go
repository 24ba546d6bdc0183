package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/api"
	"switchboard/apperr"
	"switchboard/web"
	"switchboard/web/session"
)

// OrganizationAPI serves the organization's own settings to owners and
// admins (session or admin key): its name, time zone, opening hours and
// whether appointments may overlap.
type OrganizationAPI struct {
	accounts *accounts.Service
}

// NewOrganizationAPI returns an OrganizationAPI.
func NewOrganizationAPI(accts *accounts.Service) *OrganizationAPI {
	return &OrganizationAPI{accounts: accts}
}

// Get handles GET /api/admin/organization.
func (h *OrganizationAPI) Get(c echo.Context) error {
	o, err := h.accounts.Organization(c.Request().Context(), session.OrgID(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.OrganizationOf(o))
}

// Update handles PUT /api/admin/organization.
func (h *OrganizationAPI) Update(c echo.Context) error {
	var in api.OrganizationUpdate
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	var bad []apperr.FieldError
	if err := c.Validate(&in); err != nil {
		e, ok := apperr.As(err)
		if !ok {
			return err
		}
		bad = e.Fields
	}
	o, err := h.accounts.PatchOrganization(c.Request().Context(), session.Actor(c), accounts.OrganizationPatch(in), bad)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.OrganizationOf(o))
}
