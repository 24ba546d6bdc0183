package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/api"
	"switchboard/apperr"
	"switchboard/integrations/alerts"
	"switchboard/web"
	"switchboard/web/session"
)

// OrganizationAPI serves the organization's own settings to owners and
// admins (session or admin key): its name, time zone, opening hours,
// whether appointments may overlap, and its alert webhook.
type OrganizationAPI struct {
	accounts *accounts.Service
	alerts   *alerts.Service
}

// NewOrganizationAPI returns an OrganizationAPI.
func NewOrganizationAPI(accts *accounts.Service, al *alerts.Service) *OrganizationAPI {
	return &OrganizationAPI{accounts: accts, alerts: al}
}

// Get handles GET /api/admin/organization.
func (h *OrganizationAPI) Get(c echo.Context) error {
	o, err := h.accounts.Organization(c.Request().Context(), session.OrgID(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.OrganizationOf(o))
}

// Update handles PUT /api/admin/organization. The first alert webhook
// generates the signing secret, shown in this answer only.
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
	sec, err := ensureAlertSecret(c, h.alerts, h.accounts.Audit(), o.AlertWebhookURL)
	if err != nil {
		return err
	}
	out := api.OrganizationOf(o)
	out.AlertSigningSecret, out.AlertSecretSet = sec, out.AlertSecretSet || sec != ""
	return c.JSON(http.StatusOK, out)
}

// ensureAlertSecret gives the organization a signing secret once it has
// an alert webhook, and returns it when it was just made ("" otherwise).
func ensureAlertSecret(c echo.Context, al *alerts.Service, log *accounts.Audit, webhook string) (string, error) {
	if webhook == "" {
		return "", nil
	}
	sec, created, err := al.EnsureSecret(c.Request().Context(), session.OrgID(c))
	if err != nil || !created {
		return "", err
	}
	record(c, log, accounts.ActionAlertSecretRotated, accounts.TargetOf("organization", session.OrgID(c)), map[string]any{"reason": "first alert webhook"})
	return sec, nil
}

// RotateAlertSecret handles POST /api/admin/organization/alert-secret.
func (h *OrganizationAPI) RotateAlertSecret(c echo.Context) error {
	sec, err := h.alerts.RotateSecret(c.Request().Context(), session.OrgID(c))
	if err != nil {
		return err
	}
	record(c, h.accounts.Audit(), accounts.ActionAlertSecretRotated, accounts.TargetOf("organization", session.OrgID(c)), nil)
	return c.JSON(http.StatusOK, api.AlertSecret{AlertSigningSecret: sec})
}

// AlertsList handles GET /api/admin/alerts: the newest alert deliveries.
func (h *OrganizationAPI) AlertsList(c echo.Context) error {
	ds, err := h.alerts.Deliveries(c.Request().Context(), session.OrgID(c), 100)
	if err != nil {
		return err
	}
	items := make([]api.AlertDelivery, len(ds))
	for i := range ds {
		items[i] = api.AlertDeliveryOf(&ds[i])
	}
	return c.JSON(http.StatusOK, web.List[api.AlertDelivery]{Items: items})
}

// AlertsTest handles POST /api/admin/alerts/test ("Send test alert"): 202
// with the delivery, which goes in the background.
func (h *OrganizationAPI) AlertsTest(c echo.Context) error {
	d, err := h.alerts.SendTest(c.Request().Context(), session.OrgID(c))
	if err != nil {
		return err
	}
	record(c, h.accounts.Audit(), accounts.ActionAlertTestSent, accounts.TargetOf("alert_delivery", d.ID), nil)
	return c.JSON(http.StatusAccepted, api.AlertDeliveryOf(d))
}
