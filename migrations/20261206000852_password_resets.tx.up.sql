-- One-time password-reset links an owner (or an operator with the CLI)
-- issues for a user: only the token's hash is kept; a link expires and
-- works once.
CREATE TABLE password_resets (
    id {{.ID}},
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash VARCHAR(64) NOT NULL,
    created_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    expires_at {{.TS}} NOT NULL,
    used_at {{.TS}},
    created_at {{.TS}} NOT NULL DEFAULT {{.Now}}
);
--bun:split
CREATE UNIQUE INDEX password_resets_token_hash_key ON password_resets (token_hash);
--bun:split
CREATE INDEX password_resets_user_idx ON password_resets (user_id);
--bun:split
CREATE INDEX password_resets_org_idx ON password_resets (organization_id);
--bun:split
CREATE INDEX password_resets_created_by_idx ON password_resets (created_by);
