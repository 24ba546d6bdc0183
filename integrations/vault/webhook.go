package vault

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"switchboard/models"
)

// WebhookSecrets generates, seals and opens the secrets that sign a sync
// configuration's inbound webhooks. The syncer asks it for the secret of a
// configuration; the sync settings generate and regenerate them.
type WebhookSecrets struct {
	vault *Vault
}

// NewWebhookSecrets returns the webhook secrets over v.
func NewWebhookSecrets(v *Vault) *WebhookSecrets { return &WebhookSecrets{vault: v} }

// webhookAAD binds a sealed webhook secret to its configuration.
func webhookAAD(orgID, integrationID int64) string {
	return fmt.Sprintf("sync_config_webhook:%d:%d", orgID, integrationID)
}

// WebhookSecret opens cfg's webhook secret ("" when none is set).
func (w *WebhookSecrets) WebhookSecret(_ context.Context, cfg *models.SyncConfig) (string, error) {
	if cfg.WebhookSecretSealed == "" {
		return "", nil
	}
	b, err := w.vault.box.Open(cfg.WebhookSecretSealed, webhookAAD(cfg.OrganizationID, cfg.IntegrationID))
	if err != nil {
		return "", fmt.Errorf("vault: webhook secret of sync configuration %d: %w", cfg.ID, err)
	}
	return string(b), nil
}

// Generate seals a new random secret onto cfg, which belongs to orgID, and
// returns it: the only time it is shown. The caller saves cfg.
func (w *WebhookSecrets) Generate(orgID int64, cfg *models.SyncConfig) (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("vault: webhook secret: %w", err)
	}
	secret := "whsec_" + hex.EncodeToString(b)
	sealed, err := w.vault.box.Seal([]byte(secret), webhookAAD(orgID, cfg.IntegrationID))
	if err != nil {
		return "", fmt.Errorf("vault: webhook secret: %w", err)
	}
	cfg.WebhookSecretSealed = sealed
	return secret, nil
}
