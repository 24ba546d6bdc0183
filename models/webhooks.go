package models

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// WebhookReceipt is the signature of a webhook delivery taken, kept until
// its timestamp is out of the tolerance: a delivery sent again (a replay)
// carries the same signature and is refused, in every process sharing the
// database.
type WebhookReceipt struct {
	bun.BaseModel `bun:"table:webhook_receipts,alias:wr"`

	ID             int64     `bun:"id,pk,autoincrement"`
	OrganizationID int64     `bun:"organization_id,notnull"`
	IntegrationID  int64     `bun:"integration_id,notnull"`
	Signature      string    `bun:"signature,notnull"`
	ExpiresAt      time.Time `bun:"expires_at,notnull"`
	CreatedAt      time.Time `bun:"created_at,notnull"`
}

// ClaimWebhook records the signature of a delivery to an integration until
// expires, answering false when it was recorded already (the same delivery
// again). The organization's expired receipts go on the way.
func (t *Tenant) ClaimWebhook(ctx context.Context, integrationID int64, signature string, now, expires time.Time) (bool, error) {
	defer lockWrites(t.db, t.txMu)()
	if _, err := t.deleteQ((*WebhookReceipt)(nil)).Where("wr.expires_at <= ?", now).Exec(ctx); err != nil {
		return false, wrap("purge webhook receipts", err)
	}
	_, err := t.db.NewInsert().Model(&WebhookReceipt{OrganizationID: t.orgID, IntegrationID: integrationID,
		Signature: signature, ExpiresAt: expires, CreatedAt: now}).Exec(ctx)
	if isUniqueViolation(err) {
		return false, nil
	}
	if err != nil {
		return false, wrap("claim webhook", err)
	}
	return true, nil
}

// ReleaseWebhook forgets a claimed signature: the delivery could not be
// applied, so its sender may send it again.
func (t *Tenant) ReleaseWebhook(ctx context.Context, integrationID int64, signature string) error {
	defer lockWrites(t.db, t.txMu)()
	_, err := t.deleteQ((*WebhookReceipt)(nil)).Where("wr.integration_id = ? AND wr.signature = ?", integrationID, signature).Exec(ctx)
	return wrap("release webhook", err)
}
