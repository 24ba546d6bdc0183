CREATE TABLE patients (
    id {{.ID}},
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    first_name VARCHAR(100) NOT NULL,
    last_name VARCHAR(100) NOT NULL,
    birthdate VARCHAR(10) NOT NULL DEFAULT '',
    phone VARCHAR(40) NOT NULL DEFAULT '',
    email VARCHAR(254) NOT NULL DEFAULT '',
    gender VARCHAR(20) NOT NULL DEFAULT '',
    address_line VARCHAR(200) NOT NULL DEFAULT '',
    city VARCHAR(100) NOT NULL DEFAULT '',
    state VARCHAR(50) NOT NULL DEFAULT '',
    postal_code VARCHAR(20) NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    deleted_at {{.TS}},
    created_at {{.TS}} NOT NULL DEFAULT {{.Now}},
    updated_at {{.TS}} NOT NULL DEFAULT {{.Now}}
);
--bun:split
CREATE INDEX patients_org_name_idx ON patients (organization_id, last_name, first_name);
--bun:split
CREATE INDEX patients_org_phone_idx ON patients (organization_id, phone);
--bun:split
CREATE INDEX patients_org_updated_idx ON patients (organization_id, updated_at);
--bun:split
CREATE TABLE appointments (
    id {{.ID}},
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    patient_id BIGINT NOT NULL REFERENCES patients (id) ON DELETE RESTRICT,
    start_at {{.TS}} NOT NULL,
    end_at {{.TS}} NOT NULL,
    duration_minutes INTEGER NOT NULL,
    provider_ref VARCHAR(100) NOT NULL DEFAULT '',
    operatory_ref VARCHAR(100) NOT NULL DEFAULT '',
    location_ref VARCHAR(100) NOT NULL DEFAULT '',
    appointment_type VARCHAR(100) NOT NULL DEFAULT '',
    status VARCHAR(20) NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'confirmed', 'cancelled', 'completed', 'no_show')),
    notes TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_at {{.TS}} NOT NULL DEFAULT {{.Now}},
    updated_at {{.TS}} NOT NULL DEFAULT {{.Now}}
);
--bun:split
CREATE INDEX appointments_org_start_idx ON appointments (organization_id, start_at);
--bun:split
CREATE INDEX appointments_patient_idx ON appointments (patient_id);
--bun:split
CREATE INDEX appointments_org_status_idx ON appointments (organization_id, status);
--bun:split
CREATE INDEX appointments_org_updated_idx ON appointments (organization_id, updated_at);
--bun:split
CREATE TABLE external_refs (
    id {{.ID}},
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    integration_id BIGINT NOT NULL REFERENCES external_integrations (id) ON DELETE CASCADE,
    entity VARCHAR(20) NOT NULL CHECK (entity IN ('appointment', 'patient')),
    local_id BIGINT NOT NULL,
    external_id VARCHAR(200) NOT NULL,
    external_version VARCHAR(200) NOT NULL DEFAULT '',
    external_updated_at {{.TS}},
    synced_version BIGINT NOT NULL DEFAULT 0,
    created_at {{.TS}} NOT NULL DEFAULT {{.Now}},
    updated_at {{.TS}} NOT NULL DEFAULT {{.Now}}
);
--bun:split
CREATE UNIQUE INDEX external_refs_local_key ON external_refs (integration_id, entity, local_id);
--bun:split
CREATE INDEX external_refs_external_idx ON external_refs (integration_id, entity, external_id);
--bun:split
CREATE INDEX external_refs_org_idx ON external_refs (organization_id);
--bun:split
CREATE TABLE integration_sync_configs (
    id {{.ID}},
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    integration_id BIGINT NOT NULL REFERENCES external_integrations (id) ON DELETE CASCADE,
    enabled BOOLEAN NOT NULL DEFAULT FALSE,
    direction VARCHAR(20) NOT NULL DEFAULT 'local_only' CHECK (direction IN ('local_only', 'dual_write', 'external_only', 'from_external', 'bidirectional')),
    environment VARCHAR(20) NOT NULL DEFAULT 'production' CHECK (environment IN ('production', 'sandbox')),
    sync_on_create BOOLEAN NOT NULL DEFAULT TRUE,
    sync_on_update BOOLEAN NOT NULL DEFAULT TRUE,
    sync_on_delete BOOLEAN NOT NULL DEFAULT TRUE,
    entities VARCHAR(100) NOT NULL DEFAULT 'appointment,patient',
    conflict_resolution VARCHAR(20) NOT NULL DEFAULT 'newest_wins' CHECK (conflict_resolution IN ('local_wins', 'external_wins', 'newest_wins', 'manual')),
    webhook_secret_sealed TEXT NOT NULL DEFAULT '',
    poll_interval_seconds INTEGER NOT NULL DEFAULT 60,
    bookmarks TEXT NOT NULL DEFAULT '{}',
    last_sync_at {{.TS}},
    last_sync_status VARCHAR(20) NOT NULL DEFAULT '',
    last_error TEXT NOT NULL DEFAULT '',
    created_at {{.TS}} NOT NULL DEFAULT {{.Now}},
    updated_at {{.TS}} NOT NULL DEFAULT {{.Now}}
);
--bun:split
CREATE UNIQUE INDEX integration_sync_configs_integration_key ON integration_sync_configs (integration_id);
--bun:split
CREATE INDEX integration_sync_configs_org_idx ON integration_sync_configs (organization_id, enabled);
--bun:split
CREATE TABLE sync_jobs (
    id {{.ID}},
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    integration_id BIGINT NOT NULL REFERENCES external_integrations (id) ON DELETE CASCADE,
    entity VARCHAR(20) NOT NULL CHECK (entity IN ('appointment', 'patient')),
    local_id BIGINT NOT NULL,
    operation VARCHAR(10) NOT NULL CHECK (operation IN ('create', 'update', 'delete')),
    status VARCHAR(20) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'retrying', 'failed', 'conflict', 'synced', 'dismissed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 6,
    next_attempt_at {{.TS}} NOT NULL DEFAULT {{.Now}},
    lease_owner VARCHAR(100) NOT NULL DEFAULT '',
    lease_until {{.TS}},
    record_version BIGINT NOT NULL DEFAULT 0,
    external_id VARCHAR(200) NOT NULL DEFAULT '',
    last_error TEXT NOT NULL DEFAULT '',
    last_http_status INTEGER NOT NULL DEFAULT 0,
    conflict_detail TEXT NOT NULL DEFAULT '',
    finished_at {{.TS}},
    created_at {{.TS}} NOT NULL DEFAULT {{.Now}},
    updated_at {{.TS}} NOT NULL DEFAULT {{.Now}}
);
--bun:split
CREATE INDEX sync_jobs_due_idx ON sync_jobs (status, next_attempt_at);
--bun:split
CREATE INDEX sync_jobs_record_idx ON sync_jobs (integration_id, entity, local_id, id);
--bun:split
CREATE INDEX sync_jobs_org_status_idx ON sync_jobs (organization_id, status, updated_at);
--bun:split
CREATE TABLE sync_attempts (
    id {{.ID}},
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    job_id BIGINT NOT NULL REFERENCES sync_jobs (id) ON DELETE CASCADE,
    attempt INTEGER NOT NULL,
    ok BOOLEAN NOT NULL,
    http_status INTEGER NOT NULL DEFAULT 0,
    duration_ms BIGINT NOT NULL DEFAULT 0,
    error TEXT NOT NULL DEFAULT '',
    request_excerpt TEXT NOT NULL DEFAULT '',
    response_excerpt TEXT NOT NULL DEFAULT '',
    created_at {{.TS}} NOT NULL DEFAULT {{.Now}},
    updated_at {{.TS}} NOT NULL DEFAULT {{.Now}}
);
--bun:split
CREATE INDEX sync_attempts_job_idx ON sync_attempts (job_id);
--bun:split
CREATE INDEX sync_attempts_org_idx ON sync_attempts (organization_id);
--bun:split
CREATE TABLE idempotency_keys (
    id {{.ID}},
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    key VARCHAR(200) NOT NULL,
    request_hash VARCHAR(64) NOT NULL,
    state VARCHAR(20) NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done')),
    response_status INTEGER NOT NULL DEFAULT 0,
    response_body TEXT NOT NULL DEFAULT '',
    expires_at {{.TS}} NOT NULL,
    created_at {{.TS}} NOT NULL DEFAULT {{.Now}},
    updated_at {{.TS}} NOT NULL DEFAULT {{.Now}}
);
--bun:split
CREATE UNIQUE INDEX idempotency_keys_org_key ON idempotency_keys (organization_id, key);
--bun:split
CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at);
