CREATE TABLE app_settings (
    key VARCHAR(100) PRIMARY KEY,
    value TEXT NOT NULL,
    created_at {{.TS}} NOT NULL DEFAULT {{.Now}},
    updated_at {{.TS}} NOT NULL DEFAULT {{.Now}}
);
--bun:split
CREATE TABLE external_integrations (
    id {{.ID}},
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    slug VARCHAR(64) NOT NULL,
    name VARCHAR(200) NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    catalog VARCHAR(64) NOT NULL DEFAULT '',
    base_url_production VARCHAR(2000) NOT NULL DEFAULT '',
    base_url_sandbox VARCHAR(2000) NOT NULL DEFAULT '',
    auth_type VARCHAR(40) NOT NULL DEFAULT 'none',
    request_format VARCHAR(10) NOT NULL DEFAULT 'json',
    timeout_ms BIGINT NOT NULL DEFAULT 0,
    test_function VARCHAR(200) NOT NULL DEFAULT '',
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    settings TEXT NOT NULL DEFAULT '{}',
    version BIGINT NOT NULL DEFAULT 1,
    created_at {{.TS}} NOT NULL DEFAULT {{.Now}},
    updated_at {{.TS}} NOT NULL DEFAULT {{.Now}}
);
--bun:split
CREATE UNIQUE INDEX external_integrations_org_slug_key ON external_integrations (organization_id, slug);
--bun:split
CREATE INDEX external_integrations_enabled_idx ON external_integrations (organization_id, enabled);
--bun:split
CREATE TABLE integration_endpoints (
    id {{.ID}},
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    integration_id BIGINT NOT NULL REFERENCES external_integrations (id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    function VARCHAR(200) NOT NULL,
    method VARCHAR(10) NOT NULL,
    path VARCHAR(2000) NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    writes BOOLEAN NOT NULL DEFAULT FALSE,
    retry_safe BOOLEAN NOT NULL DEFAULT FALSE,
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    settings TEXT NOT NULL DEFAULT '{}',
    created_at {{.TS}} NOT NULL DEFAULT {{.Now}},
    updated_at {{.TS}} NOT NULL DEFAULT {{.Now}}
);
--bun:split
CREATE UNIQUE INDEX integration_endpoints_function_key ON integration_endpoints (integration_id, function);
--bun:split
CREATE INDEX integration_endpoints_org_idx ON integration_endpoints (organization_id);
--bun:split
CREATE INDEX integration_endpoints_method_idx ON integration_endpoints (integration_id, method);
--bun:split
CREATE INDEX integration_endpoints_writes_idx ON integration_endpoints (integration_id, writes);
--bun:split
CREATE TABLE integration_parameter_maps (
    id {{.ID}},
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    integration_id BIGINT NOT NULL REFERENCES external_integrations (id) ON DELETE CASCADE,
    endpoint_id BIGINT REFERENCES integration_endpoints (id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0,
    internal_name VARCHAR(200) NOT NULL,
    external_name VARCHAR(200) NOT NULL,
    transform VARCHAR(1000) NOT NULL DEFAULT '',
    direction VARCHAR(10) NOT NULL DEFAULT 'both' CHECK (direction IN ('request', 'response', 'both')),
    created_at {{.TS}} NOT NULL DEFAULT {{.Now}},
    updated_at {{.TS}} NOT NULL DEFAULT {{.Now}}
);
--bun:split
CREATE INDEX integration_parameter_maps_integration_idx ON integration_parameter_maps (integration_id);
--bun:split
CREATE INDEX integration_parameter_maps_endpoint_idx ON integration_parameter_maps (endpoint_id);
--bun:split
CREATE INDEX integration_parameter_maps_org_idx ON integration_parameter_maps (organization_id);
--bun:split
CREATE TABLE integration_sync_mappings (
    id {{.ID}},
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    integration_id BIGINT NOT NULL REFERENCES external_integrations (id) ON DELETE CASCADE,
    entity VARCHAR(20) NOT NULL CHECK (entity IN ('appointment', 'patient')),
    create_function VARCHAR(200) NOT NULL DEFAULT '',
    update_function VARCHAR(200) NOT NULL DEFAULT '',
    delete_function VARCHAR(200) NOT NULL DEFAULT '',
    get_function VARCHAR(200) NOT NULL DEFAULT '',
    list_changed_function VARCHAR(200) NOT NULL DEFAULT '',
    bookmark_param VARCHAR(200) NOT NULL DEFAULT '',
    bookmark_path VARCHAR(500) NOT NULL DEFAULT '',
    id_path VARCHAR(500) NOT NULL DEFAULT '',
    idempotency_header VARCHAR(200) NOT NULL DEFAULT '',
    created_at {{.TS}} NOT NULL DEFAULT {{.Now}},
    updated_at {{.TS}} NOT NULL DEFAULT {{.Now}}
);
--bun:split
CREATE UNIQUE INDEX integration_sync_mappings_entity_key ON integration_sync_mappings (integration_id, entity);
--bun:split
CREATE INDEX integration_sync_mappings_org_idx ON integration_sync_mappings (organization_id);
--bun:split
CREATE TABLE api_credentials (
    id {{.ID}},
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    integration_id BIGINT NOT NULL REFERENCES external_integrations (id) ON DELETE CASCADE,
    environment VARCHAR(20) NOT NULL CHECK (environment IN ('production', 'sandbox')),
    sealed TEXT NOT NULL,
    field_names TEXT NOT NULL DEFAULT '',
    last_used_at {{.TS}},
    last_tested_at {{.TS}},
    last_test_ok BOOLEAN,
    last_test_message TEXT NOT NULL DEFAULT '',
    created_at {{.TS}} NOT NULL DEFAULT {{.Now}},
    updated_at {{.TS}} NOT NULL DEFAULT {{.Now}}
);
--bun:split
CREATE UNIQUE INDEX api_credentials_integration_env_key ON api_credentials (integration_id, environment);
--bun:split
CREATE INDEX api_credentials_org_idx ON api_credentials (organization_id);
