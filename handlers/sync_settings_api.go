package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/apperr"
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
}

// NewSyncSettingsHandler returns a SyncSettingsHandler; log is the audit
// log.
func NewSyncSettingsHandler(settings *syncsettings.Service, log *accounts.Audit) *SyncSettingsHandler {
	return &SyncSettingsHandler{settings: settings, log: log}
}

// syncSettingsRequest is the body of POST and PUT; fields left out keep
// their value (on POST, the default).
type syncSettingsRequest struct {
	// Integration is the slug of the integration; required on POST, and
	// on PUT it may only repeat the configuration's own.
	Integration  string  `json:"integration"`
	Enabled      *bool   `json:"enabled"`
	Direction    *string `json:"direction" validate:"omitempty,oneof=local_only dual_write external_only from_external bidirectional"`
	Environment  *string `json:"environment" validate:"omitempty,oneof=production sandbox"`
	SyncOnCreate *bool   `json:"sync_on_create"`
	SyncOnUpdate *bool   `json:"sync_on_update"`
	SyncOnDelete *bool   `json:"sync_on_delete"`
	// Entities are appointment and/or patient.
	Entities           []string `json:"entities"`
	ConflictResolution *string  `json:"conflict_resolution" validate:"omitempty,oneof=local_wins external_wins newest_wins manual"`
	// PollInterval is in seconds, 10 to 86400.
	PollInterval *int `json:"poll_interval_seconds"`
}

func (r *syncSettingsRequest) input() syncsettings.Input {
	return syncsettings.Input{Integration: r.Integration, Enabled: r.Enabled, Direction: r.Direction, Environment: r.Environment,
		SyncOnCreate: r.SyncOnCreate, SyncOnUpdate: r.SyncOnUpdate, SyncOnDelete: r.SyncOnDelete, Entities: r.Entities,
		ConflictResolution: r.ConflictResolution, PollInterval: r.PollInterval}
}

// syncSettingsResponse is a sync configuration as the API shows it; the
// webhook secret is only there right after it was generated.
type syncSettingsResponse struct {
	ID                 int64      `json:"id"`
	Integration        string     `json:"integration"`
	Enabled            bool       `json:"enabled"`
	Direction          string     `json:"direction"`
	Environment        string     `json:"environment"`
	SyncOnCreate       bool       `json:"sync_on_create"`
	SyncOnUpdate       bool       `json:"sync_on_update"`
	SyncOnDelete       bool       `json:"sync_on_delete"`
	Entities           []string   `json:"entities"`
	ConflictResolution string     `json:"conflict_resolution"`
	PollInterval       int        `json:"poll_interval_seconds"`
	WebhookURL         string     `json:"webhook_url"`
	WebhookSecretSet   bool       `json:"webhook_secret_set"`
	WebhookSecret      string     `json:"webhook_secret,omitempty"`
	LastSyncAt         *time.Time `json:"last_sync_at"`
	LastSyncStatus     string     `json:"last_sync_status"`
	LastError          string     `json:"last_error"`
	CreatedAt          time.Time  `json:"created_at"`
	UpdatedAt          time.Time  `json:"updated_at"`
}

func syncSettingsOut(c echo.Context, st *syncsettings.Setting) syncSettingsResponse {
	cfg, slug := st.Config, st.Integration.Slug
	return syncSettingsResponse{ID: cfg.ID, Integration: slug, Enabled: cfg.Enabled, Direction: cfg.Direction, Environment: cfg.Environment,
		SyncOnCreate: cfg.SyncOnCreate, SyncOnUpdate: cfg.SyncOnUpdate, SyncOnDelete: cfg.SyncOnDelete, Entities: web.NonNil(cfg.EntityList()),
		ConflictResolution: cfg.ConflictResolution, PollInterval: cfg.PollIntervalSeconds,
		WebhookURL: webhookURL(c, slug), WebhookSecretSet: cfg.WebhookSecretSealed != "", WebhookSecret: st.Secret,
		LastSyncAt: cfg.LastSyncAt, LastSyncStatus: cfg.LastSyncStatus, LastError: cfg.LastError, CreatedAt: cfg.CreatedAt, UpdatedAt: cfg.UpdatedAt}
}

// webhookURL is where the integration's inbound changes are sent.
func webhookURL(c echo.Context, slug string) string {
	return c.Scheme() + "://" + c.Request().Host + web.URLs(c).Webhook(session.From(c).Org.Slug, slug)
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

// List handles GET /api/admin/integration-settings.
func (h *SyncSettingsHandler) List(c echo.Context) error {
	sts, err := h.settings.List(c.Request().Context(), session.From(c).Org.ID)
	if err != nil {
		return err
	}
	out := make([]syncSettingsResponse, 0, len(sts))
	for i := range sts {
		out = append(out, syncSettingsOut(c, &sts[i]))
	}
	return c.JSON(http.StatusOK, web.ListOf(out))
}

// Create handles POST /api/admin/integration-settings; the answer carries
// the webhook secret, once.
func (h *SyncSettingsHandler) Create(c echo.Context) error {
	var req syncSettingsRequest
	if err := web.DecodeValidJSON(c, &req); err != nil {
		return err
	}
	st, err := h.settings.Create(c.Request().Context(), session.From(c).Org.ID, req.input())
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
	st, err := h.settings.Get(c.Request().Context(), session.From(c).Org.ID, id)
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
	var req syncSettingsRequest
	if err := web.DecodeValidJSON(c, &req); err != nil {
		return err
	}
	st, err := h.settings.Update(c.Request().Context(), session.From(c).Org.ID, id, req.input())
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
	st, err := h.settings.RegenerateSecret(c.Request().Context(), session.From(c).Org.ID, id)
	if err != nil {
		return err
	}
	h.audit(c, accounts.ActionWebhookSecretRegenerated, st, map[string]any{"integration": st.Integration.Slug})
	return c.JSON(http.StatusOK, syncSettingsOut(c, st))
}
