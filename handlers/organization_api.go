package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/apperr"
	"switchboard/clock"
	"switchboard/models"
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

// organizationIn is the body of PUT /api/admin/organization. Fields left
// out (or null) keep their value; the slug may be sent back as it is but
// never changed, since URLs and webhook addresses carry it.
type organizationIn struct {
	Name          *string      `json:"name" validate:"omitnil,max=200"`
	Slug          *string      `json:"slug"`
	TimeZone      *string      `json:"time_zone" validate:"omitnil,max=64"`
	OpeningHours  *clock.Hours `json:"opening_hours"`
	AllowOverlaps *bool        `json:"allow_overlaps"`
}

// organizationOut is the organization as the API shows it.
type organizationOut struct {
	Name          string      `json:"name"`
	Slug          string      `json:"slug"`
	TimeZone      string      `json:"time_zone"`
	OpeningHours  clock.Hours `json:"opening_hours"`
	AllowOverlaps bool        `json:"allow_overlaps"`
}

func presentOrganization(o *models.Organization) organizationOut {
	return organizationOut{Name: o.Name, Slug: o.Slug, TimeZone: o.TimeZone, OpeningHours: o.Hours().Normalize(), AllowOverlaps: o.AllowOverlaps}
}

// Get handles GET /api/admin/organization.
func (h *OrganizationAPI) Get(c echo.Context) error {
	o, err := h.accounts.Organization(c.Request().Context(), session.OrgID(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, presentOrganization(o))
}

// Update handles PUT /api/admin/organization.
func (h *OrganizationAPI) Update(c echo.Context) error {
	var in organizationIn
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
	current, err := h.accounts.Organization(c.Request().Context(), session.OrgID(c))
	if err != nil {
		return err
	}
	if in.Slug != nil && *in.Slug != current.Slug {
		bad = append(bad, apperr.FieldError{Field: "slug", Message: "cannot be changed: URLs and webhook addresses use it (it is " + current.Slug + ")"})
	}
	s := current.Settings()
	if in.Name != nil {
		s.Name = *in.Name
	}
	if in.TimeZone != nil {
		s.TimeZone, s.TimeZoneChosen = *in.TimeZone, true
	}
	if in.OpeningHours != nil {
		s.OpeningHours = *in.OpeningHours
	}
	if in.AllowOverlaps != nil {
		s.AllowOverlaps = *in.AllowOverlaps
	}
	o, err := h.accounts.UpdateOrganization(c.Request().Context(), session.Actor(c), s, bad)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, presentOrganization(o))
}
