CREATE TABLE api_calls (
    id {{.ID}},
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    integration_id BIGINT REFERENCES external_integrations (id) ON DELETE SET NULL,
    provider VARCHAR(64) NOT NULL,
    function VARCHAR(200) NOT NULL,
    environment VARCHAR(20) NOT NULL DEFAULT 'production',
    ok BOOLEAN NOT NULL,
    error_code VARCHAR(40) NOT NULL DEFAULT '',
    upstream_status INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    duration_ms BIGINT NOT NULL DEFAULT 0,
    caller VARCHAR(300) NOT NULL DEFAULT '',
    request_id VARCHAR(64) NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    created_at {{.TS}} NOT NULL DEFAULT {{.Now}},
    updated_at {{.TS}} NOT NULL DEFAULT {{.Now}}
);
--bun:split
CREATE INDEX api_calls_org_created_idx ON api_calls (organization_id, created_at);
--bun:split
CREATE INDEX api_calls_org_provider_created_idx ON api_calls (organization_id, provider, created_at);
--bun:split
CREATE INDEX api_calls_integration_idx ON api_calls (integration_id);
--bun:split
CREATE INDEX api_calls_created_idx ON api_calls (created_at);
