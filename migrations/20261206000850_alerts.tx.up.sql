-- Alerts (SPEC §10 "Operations"): an organization's alert webhook and its
-- signing secret (sealed like credentials, shown once), which integrations
-- are unhealthy now (one row per integration until it recovers, so that
-- integration.unhealthy is raised once), and the alert deliveries, each a
-- background job retried with backoff.
ALTER TABLE organizations ADD COLUMN alert_webhook_url VARCHAR(2000) NOT NULL DEFAULT '';
--bun:split
ALTER TABLE organizations ADD COLUMN alert_secret_sealed TEXT NOT NULL DEFAULT '';
--bun:split
CREATE TABLE alert_states (
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    integration_id BIGINT NOT NULL REFERENCES external_integrations (id) ON DELETE CASCADE,
    reason VARCHAR(500) NOT NULL DEFAULT '',
    since {{.TS}} NOT NULL DEFAULT {{.Now}},
    PRIMARY KEY (organization_id, integration_id)
);
--bun:split
CREATE INDEX alert_states_integration_idx ON alert_states (integration_id);
--bun:split
CREATE TABLE alert_deliveries (
    id {{.ID}},
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    event VARCHAR(40) NOT NULL,
    payload TEXT NOT NULL,
    status VARCHAR(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error VARCHAR(500) NOT NULL DEFAULT '',
    last_http_status INTEGER NOT NULL DEFAULT 0,
    delivered_at {{.TS}},
    created_at {{.TS}} NOT NULL DEFAULT {{.Now}},
    updated_at {{.TS}} NOT NULL DEFAULT {{.Now}}
);
--bun:split
CREATE INDEX alert_deliveries_org_idx ON alert_deliveries (organization_id, id);
