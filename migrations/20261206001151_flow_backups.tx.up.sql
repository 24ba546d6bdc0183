-- The flows document a Node-RED runtime had before each deploy through
-- the Flows tab (kept 30 per integration and environment): listed with who
-- deployed and when, downloadable, restorable.
CREATE TABLE flow_backups (
    id {{.ID}},
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    integration_id BIGINT NOT NULL REFERENCES external_integrations (id) ON DELETE CASCADE,
    environment VARCHAR(16) NOT NULL,
    reason VARCHAR(200) NOT NULL DEFAULT '',
    actor VARCHAR(300) NOT NULL DEFAULT '',
    flows TEXT NOT NULL,
    flow_count INTEGER NOT NULL DEFAULT 0,
    node_count INTEGER NOT NULL DEFAULT 0,
    created_at {{.TS}} NOT NULL DEFAULT {{.Now}}
);
--bun:split
CREATE INDEX flow_backups_env_idx ON flow_backups (organization_id, integration_id, environment, created_at);
--bun:split
CREATE INDEX flow_backups_integration_idx ON flow_backups (integration_id);
