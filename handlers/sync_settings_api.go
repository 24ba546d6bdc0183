package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/api"
	"switchboard/apperr"
	"switchboard/integrations/reference"
	"switchboard/integrations/syncsettings"
	"switchboard/web"
	"switchboard/web/session"
)

// SyncSettingsHandler serves the sync configurations: the sync settings
// page and /api/admin/integration-settings. The sync settings service does
// the work; a change takes effect on the next write.
type SyncSettingsHandler struct {
	settings *syncsettings.Service
	log      *accounts.Audit
	// pickers lists the values of a definition's default_pickers.
	pickers *reference.Service
}

// NewSyncSettingsHandler returns a SyncSettingsHandler; log is the audit
// log.
func NewSyncSettingsHandler(settings *syncsettings.Service, log *accounts.Audit, pickers *reference.Service) *SyncSettingsHandler {
	return &SyncSettingsHandler{settings: settings, log: log, pickers: pickers}
}

// syncSettingsOut is the configuration as the API shows it.
func syncSettingsOut(c echo.Context, st *syncsettings.Setting) api.SyncSettings {
	return api.SyncSettingsOf(st, webhookURL(c, st.Integration.Slug))
}

// webhookURL is where the integration's inbound changes are sent.
func webhookURL(c echo.Context, slug string) string {
	return web.BaseURL(c) + web.URLs(c).Webhook(session.From(c).Org.Slug, slug)
}

// configID reads the :configId route parameter.
func configID(c echo.Context) (int64, error) {
	id, err := web.PathID(c, "configId")
	if err != nil {
		return 0, apperr.NotFound("sync configuration")
	}
	return id, nil
}

// audit logs a change to a configuration.
func (h *SyncSettingsHandler) audit(c echo.Context, action accounts.Action, st *syncsettings.Setting, detail map[string]any) {
	record(c, h.log, action, accounts.TargetOf("sync_config", st.Config.ID), detail)
}

func settingDetail(st *syncsettings.Setting) map[string]any {
	return map[string]any{"integration": st.Integration.Slug, "direction": st.Config.Direction, "enabled": st.Config.Enabled}
}

// allowed is the sync configuration id, refused to a key limited to other
// integrations.
func (h *SyncSettingsHandler) allowed(c echo.Context, id int64) (*syncsettings.Setting, error) {
	st, err := h.settings.Get(c.Request().Context(), session.From(c).Org.ID, id)
	if err != nil {
		return nil, err
	}
	return st, session.IntegrationAllowed(c, st.Integration.Slug)
}

// List handles GET /api/admin/integration-settings.
func (h *SyncSettingsHandler) List(c echo.Context) error {
	sts, err := h.settings.List(c.Request().Context(), session.From(c).Org.ID)
	if err != nil {
		return err
	}
	allowed := session.AllowedIntegration(c)
	out := make([]api.SyncSettings, 0, len(sts))
	for i := range sts {
		if allowed(sts[i].Integration.Slug) {
			out = append(out, syncSettingsOut(c, &sts[i]))
		}
	}
	return c.JSON(http.StatusOK, web.ListOf(out))
}

// Create handles POST /api/admin/integration-settings; the answer carries
// the webhook secret, once.
func (h *SyncSettingsHandler) Create(c echo.Context) error {
	var req api.SyncSettingsRequest
	if err := web.DecodeValidJSON(c, &req); err != nil {
		return err
	}
	if err := session.IntegrationAllowed(c, req.Integration); err != nil {
		return err
	}
	st, err := h.settings.Create(c.Request().Context(), session.From(c).Org.ID, req.Input())
	if err != nil {
		return err
	}
	h.audit(c, accounts.ActionSyncSettingsCreated, st, settingDetail(st))
	return c.JSON(http.StatusCreated, syncSettingsOut(c, st))
}

// Get handles GET /api/admin/integration-settings/:configId.
func (h *SyncSettingsHandler) Get(c echo.Context) error {
	id, err := configID(c)
	if err != nil {
		return err
	}
	st, err := h.allowed(c, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, syncSettingsOut(c, st))
}

// Update handles PUT /api/admin/integration-settings/:configId.
func (h *SyncSettingsHandler) Update(c echo.Context) error {
	id, err := configID(c)
	if err != nil {
		return err
	}
	if _, err := h.allowed(c, id); err != nil {
		return err
	}
	var req api.SyncSettingsRequest
	if err := web.DecodeValidJSON(c, &req); err != nil {
		return err
	}
	st, err := h.settings.Update(c.Request().Context(), session.From(c).Org.ID, id, req.Input())
	if err != nil {
		return err
	}
	h.audit(c, accounts.ActionSyncSettingsUpdated, st, settingDetail(st))
	return c.JSON(http.StatusOK, syncSettingsOut(c, st))
}

// Delete handles DELETE /api/admin/integration-settings/:configId.
func (h *SyncSettingsHandler) Delete(c echo.Context) error {
	id, err := configID(c)
	if err != nil {
		return err
	}
	if _, err := h.allowed(c, id); err != nil {
		return err
	}
	st, err := h.settings.Delete(c.Request().Context(), session.From(c).Org.ID, id)
	if err != nil {
		return err
	}
	h.audit(c, accounts.ActionSyncSettingsDeleted, st, map[string]any{"integration": st.Integration.Slug})
	return c.NoContent(http.StatusNoContent)
}

// RegenerateSecret handles POST /api/admin/integration-settings/:configId/webhook-secret:
// a new secret, answered once.
func (h *SyncSettingsHandler) RegenerateSecret(c echo.Context) error {
	id, err := configID(c)
	if err != nil {
		return err
	}
	if _, err := h.allowed(c, id); err != nil {
		return err
	}
	st, err := h.settings.RegenerateSecret(c.Request().Context(), session.From(c).Org.ID, id)
	if err != nil {
		return err
	}
	h.audit(c, accounts.ActionWebhookSecretRegenerated, st, map[string]any{"integration": st.Integration.Slug})
	return c.JSON(http.StatusOK, syncSettingsOut(c, st))
}
