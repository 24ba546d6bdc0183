package handlers

import (
	"log/slog"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/auth"
	"switchboard/clock"
	"switchboard/models"
	"switchboard/web"
	"switchboard/web/session"
)

// orgSettings saves an organization's settings for the API and the
// settings page alike: the update, its audit entry, and the API key cache
// (which holds each key's organization) dropped so that agents see the new
// clock at once.
type orgSettings struct {
	store  *models.Store
	keys   *auth.KeyAuthenticator
	logger *slog.Logger
}

// save validates in (with the caller's own field errors first) and stores
// it, answering a validation_failed error that names every bad field.
func (s *orgSettings) save(c echo.Context, in models.OrganizationSettings, bad []apperr.FieldError) (*models.Organization, error) {
	p := session.From(c)
	if bad = dedupeFields(append(bad, in.FieldErrors()...)); len(bad) > 0 {
		return nil, apperr.Validation(bad...)
	}
	before, after, err := s.store.Tenant(p.Org.ID).UpdateOrganization(c.Request().Context(), in)
	if err != nil {
		return nil, err
	}
	s.keys.Invalidate()
	if details := models.OrganizationChanges(before, after); details != nil {
		writeAudit(c, s.store, s.logger, models.AuditEvent{OrganizationID: &p.Org.ID, ActorUserID: p.ActorID(), Actor: p.Actor(),
			Action: models.AuditOrgUpdated, TargetType: "organization", TargetID: strconv.FormatInt(p.Org.ID, 10), Details: details})
	}
	return after, nil
}

func dedupeFields(fs []apperr.FieldError) []apperr.FieldError {
	seen := map[string]bool{}
	out := fs[:0]
	for _, f := range fs {
		if !seen[f.Field] {
			seen[f.Field] = true
			out = append(out, f)
		}
	}
	return out
}

// OrganizationAPI serves the organization's own settings to owners and
// admins (session or admin key): its name, time zone, opening hours and
// whether appointments may overlap.
type OrganizationAPI struct {
	settings *orgSettings
}

// NewOrganizationAPI returns an OrganizationAPI.
func NewOrganizationAPI(store *models.Store, keys *auth.KeyAuthenticator, logger *slog.Logger) *OrganizationAPI {
	return &OrganizationAPI{settings: &orgSettings{store: store, keys: keys, logger: logger}}
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
	o, err := h.settings.store.Tenant(session.From(c).Org.ID).Organization(c.Request().Context())
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
	current, err := h.settings.store.Tenant(session.From(c).Org.ID).Organization(c.Request().Context())
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
	o, err := h.settings.save(c, s, bad)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, presentOrganization(o))
}
