-- OAuth Connect (oauth2_authorization_code): the account a credential is
-- connected as, whether the provider refused its refresh token for good
-- (the practice must connect again), and the pending authorizations: one
-- row per Connect press, bound to the session and organization that
-- pressed it, used once and expiring.
ALTER TABLE api_credentials ADD COLUMN needs_reauth BOOLEAN NOT NULL DEFAULT FALSE;
--bun:split
ALTER TABLE api_credentials ADD COLUMN oauth_account VARCHAR(320) NOT NULL DEFAULT '';
--bun:split
CREATE TABLE oauth_states (
    id {{.ID}},
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    integration_id BIGINT NOT NULL REFERENCES external_integrations (id) ON DELETE CASCADE,
    environment VARCHAR(20) NOT NULL,
    state_hash VARCHAR(64) NOT NULL,
    session_id BIGINT NOT NULL,
    verifier_sealed TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    expires_at {{.TS}} NOT NULL,
    created_at {{.TS}} NOT NULL DEFAULT {{.Now}}
);
--bun:split
CREATE UNIQUE INDEX oauth_states_state_key ON oauth_states (state_hash);
--bun:split
CREATE INDEX oauth_states_org_idx ON oauth_states (organization_id, expires_at);
--bun:split
CREATE INDEX oauth_states_integration_idx ON oauth_states (integration_id);
