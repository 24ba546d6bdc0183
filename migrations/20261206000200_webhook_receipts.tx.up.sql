-- The signatures of the webhooks received while their timestamp is within
-- the tolerance, so that a delivery captured on the way cannot be sent
-- again (a replay) by any process sharing the database.
CREATE TABLE webhook_receipts (
    id {{.ID}},
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    integration_id BIGINT NOT NULL REFERENCES external_integrations (id) ON DELETE CASCADE,
    signature VARCHAR(64) NOT NULL,
    expires_at {{.TS}} NOT NULL,
    created_at {{.TS}} NOT NULL DEFAULT {{.Now}}
);
--bun:split
CREATE UNIQUE INDEX webhook_receipts_signature ON webhook_receipts (organization_id, integration_id, signature);
--bun:split
CREATE INDEX webhook_receipts_integration_idx ON webhook_receipts (integration_id);
--bun:split
CREATE INDEX webhook_receipts_expires_idx ON webhook_receipts (organization_id, expires_at);
