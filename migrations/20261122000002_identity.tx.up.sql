CREATE TABLE users (
    id {{.ID}},
    email VARCHAR(254) NOT NULL,
    name VARCHAR(200) NOT NULL DEFAULT '',
    password_hash VARCHAR(200) NOT NULL,
    created_at {{.TS}} NOT NULL DEFAULT {{.Now}},
    updated_at {{.TS}} NOT NULL DEFAULT {{.Now}}
);
--bun:split
CREATE UNIQUE INDEX users_email_key ON users (email);
--bun:split
CREATE TABLE memberships (
    id {{.ID}},
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role VARCHAR(16) NOT NULL CHECK (role IN ('owner', 'admin', 'staff')),
    created_at {{.TS}} NOT NULL DEFAULT {{.Now}},
    updated_at {{.TS}} NOT NULL DEFAULT {{.Now}}
);
--bun:split
CREATE UNIQUE INDEX memberships_org_user_key ON memberships (organization_id, user_id);
--bun:split
CREATE INDEX memberships_user_id_idx ON memberships (user_id);
--bun:split
CREATE TABLE sessions (
    id {{.ID}},
    token_hash VARCHAR(64) NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    ip VARCHAR(64) NOT NULL DEFAULT '',
    user_agent VARCHAR(300) NOT NULL DEFAULT '',
    expires_at {{.TS}} NOT NULL,
    created_at {{.TS}} NOT NULL DEFAULT {{.Now}},
    updated_at {{.TS}} NOT NULL DEFAULT {{.Now}}
);
--bun:split
CREATE UNIQUE INDEX sessions_token_hash_key ON sessions (token_hash);
--bun:split
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
--bun:split
CREATE INDEX sessions_organization_id_idx ON sessions (organization_id);
--bun:split
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);
--bun:split
CREATE TABLE api_keys (
    id {{.ID}},
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name VARCHAR(100) NOT NULL,
    role VARCHAR(16) NOT NULL CHECK (role IN ('agent', 'admin')),
    prefix VARCHAR(32) NOT NULL,
    key_hash VARCHAR(64) NOT NULL,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    last_used_at {{.TS}},
    revoked_at {{.TS}},
    created_at {{.TS}} NOT NULL DEFAULT {{.Now}},
    updated_at {{.TS}} NOT NULL DEFAULT {{.Now}}
);
--bun:split
CREATE UNIQUE INDEX api_keys_key_hash_key ON api_keys (key_hash);
--bun:split
CREATE INDEX api_keys_organization_id_idx ON api_keys (organization_id);
--bun:split
CREATE INDEX api_keys_created_by_idx ON api_keys (created_by);
--bun:split
CREATE TABLE audit_log (
    id {{.ID}},
    organization_id BIGINT REFERENCES organizations (id) ON DELETE CASCADE,
    actor_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    actor VARCHAR(300) NOT NULL DEFAULT '',
    action VARCHAR(64) NOT NULL,
    target_type VARCHAR(64) NOT NULL DEFAULT '',
    target_id VARCHAR(64) NOT NULL DEFAULT '',
    details TEXT NOT NULL DEFAULT '',
    ip VARCHAR(64) NOT NULL DEFAULT '',
    user_agent VARCHAR(300) NOT NULL DEFAULT '',
    created_at {{.TS}} NOT NULL DEFAULT {{.Now}},
    updated_at {{.TS}} NOT NULL DEFAULT {{.Now}}
);
--bun:split
CREATE INDEX audit_log_org_created_idx ON audit_log (organization_id, created_at);
--bun:split
CREATE INDEX audit_log_actor_user_id_idx ON audit_log (actor_user_id);
--bun:split
CREATE INDEX audit_log_action_idx ON audit_log (action);
