package handlers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/integrations/registry"
	"switchboard/integrations/vault"
	"switchboard/models"
)

// SyncSettingsAPI manages the sync configurations (SPEC §4
// /api/admin/integration-settings). A change takes effect on the next
// write: the write path reads the configurations, nothing is cached.
type SyncSettingsAPI struct {
	store    *models.Store
	registry *registry.Registry
	vault    *vault.Vault
	logger   *slog.Logger
}

// NewSyncSettingsAPI returns a SyncSettingsAPI.
func NewSyncSettingsAPI(store *models.Store, reg *registry.Registry, v *vault.Vault, logger *slog.Logger) *SyncSettingsAPI {
	return &SyncSettingsAPI{store: store, registry: reg, vault: v, logger: logger}
}

// syncSettingsIn is the body of POST and PUT; pointers tell left-out fields.
type syncSettingsIn struct {
	Integration        string   `json:"integration"`
	Enabled            *bool    `json:"enabled"`
	Direction          *string  `json:"direction"`
	Environment        *string  `json:"environment"`
	SyncOnCreate       *bool    `json:"sync_on_create"`
	SyncOnUpdate       *bool    `json:"sync_on_update"`
	SyncOnDelete       *bool    `json:"sync_on_delete"`
	Entities           []string `json:"entities"`
	ConflictResolution *string  `json:"conflict_resolution"`
	PollInterval       *int     `json:"poll_interval_seconds"`
}

// syncSettingsOut is a sync configuration as the API shows it.
type syncSettingsOut struct {
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

var (
	directions = []string{models.DirectionLocalOnly, models.DirectionDualWrite, models.DirectionExternalOnly, models.DirectionFromExternal, models.DirectionBidirectional}
	strategies = []string{models.ConflictLocalWins, models.ConflictExternalWins, models.ConflictNewestWins, models.ConflictManual}
)

// webhookAAD binds a sealed webhook secret to its configuration.
func webhookAAD(orgID, integrationID int64) string {
	return fmt.Sprintf("sync_config_webhook:%d:%d", orgID, integrationID)
}

// WebhookSecret opens a configuration's webhook secret ("" when none).
func WebhookSecret(v *vault.Vault, cfg *models.SyncConfig) (string, error) {
	if cfg.WebhookSecretSealed == "" {
		return "", nil
	}
	b, err := v.Box().Open(cfg.WebhookSecretSealed, webhookAAD(cfg.OrganizationID, cfg.IntegrationID))
	return string(b), err
}

func (h *SyncSettingsAPI) present(c echo.Context, cfg *models.SyncConfig, slug, secret string) syncSettingsOut {
	org := currentPrincipal(c).Org
	return syncSettingsOut{ID: cfg.ID, Integration: slug, Enabled: cfg.Enabled, Direction: cfg.Direction, Environment: cfg.Environment,
		SyncOnCreate: cfg.SyncOnCreate, SyncOnUpdate: cfg.SyncOnUpdate, SyncOnDelete: cfg.SyncOnDelete, Entities: nonNil(cfg.EntityList()),
		ConflictResolution: cfg.ConflictResolution, PollInterval: cfg.PollIntervalSeconds,
		WebhookURL:       c.Scheme() + "://" + c.Request().Host + "/webhooks/" + org.Slug + "/" + slug,
		WebhookSecretSet: cfg.WebhookSecretSealed != "", WebhookSecret: secret,
		LastSyncAt: cfg.LastSyncAt, LastSyncStatus: cfg.LastSyncStatus, LastError: cfg.LastError, CreatedAt: cfg.CreatedAt, UpdatedAt: cfg.UpdatedAt}
}

// applySettings copies in onto cfg and validates against the integration's
// sync mappings.
func (h *SyncSettingsAPI) applySettings(ctx context.Context, orgID int64, cfg *models.SyncConfig, in syncSettingsIn) error {
	if in.Enabled != nil {
		cfg.Enabled = *in.Enabled
	}
	if in.Direction != nil {
		cfg.Direction = *in.Direction
	}
	if in.Environment != nil {
		cfg.Environment = *in.Environment
	}
	if in.SyncOnCreate != nil {
		cfg.SyncOnCreate = *in.SyncOnCreate
	}
	if in.SyncOnUpdate != nil {
		cfg.SyncOnUpdate = *in.SyncOnUpdate
	}
	if in.SyncOnDelete != nil {
		cfg.SyncOnDelete = *in.SyncOnDelete
	}
	if in.Entities != nil {
		cfg.Entities = strings.Join(in.Entities, ",")
	}
	if in.ConflictResolution != nil {
		cfg.ConflictResolution = *in.ConflictResolution
	}
	if in.PollInterval != nil {
		cfg.PollIntervalSeconds = *in.PollInterval
	}
	var bad []apperr.FieldError
	if !slices.Contains(directions, cfg.Direction) {
		bad = append(bad, apperr.FieldError{Field: "direction", Message: "must be one of " + strings.Join(directions, ", ")})
	}
	if !slices.Contains(strategies, cfg.ConflictResolution) {
		bad = append(bad, apperr.FieldError{Field: "conflict_resolution", Message: "must be one of " + strings.Join(strategies, ", ")})
	}
	if !definition.IsEnvironment(cfg.Environment) {
		bad = append(bad, apperr.FieldError{Field: "environment", Message: "must be one of production, sandbox"})
	}
	if cfg.PollIntervalSeconds < 10 || cfg.PollIntervalSeconds > 86400 {
		bad = append(bad, apperr.FieldError{Field: "poll_interval_seconds", Message: "must be between 10 and 86400"})
	}
	doc, _, err := h.registry.Load(ctx, orgID, cfg.IntegrationID)
	if err != nil {
		return err
	}
	for i, e := range cfg.EntityList() {
		if e != "appointment" && e != "patient" {
			bad = append(bad, apperr.FieldError{Field: fmt.Sprintf("entities[%d]", i), Message: "must be appointment or patient"})
			continue
		}
		if cfg.Direction != models.DirectionLocalOnly && (doc.Sync[e] == nil || doc.Sync[e].Create == "" && doc.Sync[e].ListChanged == "") {
			bad = append(bad, apperr.FieldError{Field: fmt.Sprintf("entities[%d]", i), Message: fmt.Sprintf("%s has no sync functions for %s (sync.%s in its definition)", doc.Slug, e, e)})
		}
	}
	if len(bad) > 0 {
		return apperr.Validation(bad...)
	}
	return nil
}

// newSecret returns a random webhook secret.
func newSecret() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return "whsec_" + hex.EncodeToString(b)
}

// sealSecret stores a new webhook secret on cfg and returns it.
func (h *SyncSettingsAPI) sealSecret(orgID int64, cfg *models.SyncConfig) (string, error) {
	secret := newSecret()
	sealed, err := h.vault.Box().Seal([]byte(secret), webhookAAD(orgID, cfg.IntegrationID))
	if err != nil {
		return "", err
	}
	cfg.WebhookSecretSealed = sealed
	return secret, nil
}

// List handles GET /api/admin/integration-settings.
func (h *SyncSettingsAPI) List(c echo.Context) error {
	p := currentPrincipal(c)
	t := h.store.Tenant(p.Org.ID)
	cfgs, err := t.SyncConfigs(c.Request().Context())
	if err != nil {
		return err
	}
	slugs, err := h.slugs(c.Request().Context(), p.Org.ID)
	if err != nil {
		return err
	}
	out := make([]syncSettingsOut, 0, len(cfgs))
	for i := range cfgs {
		out = append(out, h.present(c, &cfgs[i], slugs[cfgs[i].IntegrationID], ""))
	}
	return c.JSON(http.StatusOK, listOf(out))
}

func (h *SyncSettingsAPI) slugs(ctx context.Context, orgID int64) (map[int64]string, error) {
	ins, err := h.store.Tenant(orgID).Integrations(ctx)
	if err != nil {
		return nil, err
	}
	m := make(map[int64]string, len(ins))
	for _, in := range ins {
		m[in.ID] = in.Slug
	}
	return m, nil
}

// Create handles POST /api/admin/integration-settings; the answer carries
// the webhook secret, once.
func (h *SyncSettingsAPI) Create(c echo.Context) error {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	var in syncSettingsIn
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.Integration == "" {
		return apperr.Validation(apperr.FieldError{Field: "integration", Message: "is required"})
	}
	integ, err := h.store.Tenant(p.Org.ID).IntegrationBySlug(ctx, in.Integration)
	if apperr.IsNotFound(err) {
		return apperr.Validation(apperr.FieldError{Field: "integration", Message: fmt.Sprintf("no integration %q in this organization", in.Integration)})
	}
	if err != nil {
		return err
	}
	cfg := defaultSyncConfig(integ.ID)
	if err := h.applySettings(ctx, p.Org.ID, cfg, in); err != nil {
		return err
	}
	secret, err := h.sealSecret(p.Org.ID, cfg)
	if err != nil {
		return err
	}
	if err := h.store.Tenant(p.Org.ID).SaveSyncConfig(ctx, cfg); err != nil {
		return err
	}
	auditChange(c, h.store, h.logger, "sync_settings_created", "sync_config", cfg.ID, map[string]any{"integration": integ.Slug, "direction": cfg.Direction, "enabled": cfg.Enabled})
	return c.JSON(http.StatusCreated, h.present(c, cfg, integ.Slug, secret))
}

func defaultSyncConfig(integrationID int64) *models.SyncConfig {
	return &models.SyncConfig{IntegrationID: integrationID, Direction: models.DirectionDualWrite, Environment: "production",
		SyncOnCreate: true, SyncOnUpdate: true, SyncOnDelete: true, Entities: "appointment,patient",
		ConflictResolution: models.ConflictNewestWins, PollIntervalSeconds: 60}
}

func (h *SyncSettingsAPI) config(c echo.Context) (*models.SyncConfig, string, error) {
	p := currentPrincipal(c)
	id, err := pathID(c, "configId")
	if err != nil {
		return nil, "", apperr.NotFound("sync configuration")
	}
	cfg, err := h.store.Tenant(p.Org.ID).SyncConfig(c.Request().Context(), id)
	if err != nil {
		return nil, "", err
	}
	in, err := h.store.Tenant(p.Org.ID).Integration(c.Request().Context(), cfg.IntegrationID)
	if err != nil {
		return nil, "", err
	}
	return cfg, in.Slug, nil
}

// Get handles GET /api/admin/integration-settings/:configId.
func (h *SyncSettingsAPI) Get(c echo.Context) error {
	cfg, slug, err := h.config(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, h.present(c, cfg, slug, ""))
}

// Update handles PUT /api/admin/integration-settings/:configId.
func (h *SyncSettingsAPI) Update(c echo.Context) error {
	p := currentPrincipal(c)
	cfg, slug, err := h.config(c)
	if err != nil {
		return err
	}
	var in syncSettingsIn
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.Integration != "" && in.Integration != slug {
		return apperr.Validation(apperr.FieldError{Field: "integration", Message: "cannot be changed; delete this configuration and create one for the other integration"})
	}
	if err := h.applySettings(c.Request().Context(), p.Org.ID, cfg, in); err != nil {
		return err
	}
	if err := h.store.Tenant(p.Org.ID).SaveSyncConfig(c.Request().Context(), cfg); err != nil {
		return err
	}
	auditChange(c, h.store, h.logger, "sync_settings_updated", "sync_config", cfg.ID, map[string]any{"integration": slug, "direction": cfg.Direction, "enabled": cfg.Enabled})
	return c.JSON(http.StatusOK, h.present(c, cfg, slug, ""))
}

// Delete handles DELETE /api/admin/integration-settings/:configId.
func (h *SyncSettingsAPI) Delete(c echo.Context) error {
	p := currentPrincipal(c)
	cfg, slug, err := h.config(c)
	if err != nil {
		return err
	}
	if err := h.store.Tenant(p.Org.ID).DeleteSyncConfig(c.Request().Context(), cfg.ID); err != nil {
		return err
	}
	auditChange(c, h.store, h.logger, "sync_settings_deleted", "sync_config", cfg.ID, map[string]any{"integration": slug})
	return c.NoContent(http.StatusNoContent)
}

// RegenerateSecret handles POST /api/admin/integration-settings/:configId/webhook-secret:
// a new secret, answered once.
func (h *SyncSettingsAPI) RegenerateSecret(c echo.Context) error {
	p := currentPrincipal(c)
	cfg, slug, err := h.config(c)
	if err != nil {
		return err
	}
	secret, err := h.sealSecret(p.Org.ID, cfg)
	if err != nil {
		return err
	}
	if err := h.store.Tenant(p.Org.ID).SaveSyncConfig(c.Request().Context(), cfg); err != nil {
		return err
	}
	auditChange(c, h.store, h.logger, "webhook_secret_regenerated", "sync_config", cfg.ID, map[string]any{"integration": slug})
	return c.JSON(http.StatusOK, h.present(c, cfg, slug, secret))
}
