-- A pending invitation to join an organization. Nothing is granted until
-- the invited person accepts: signed in as the invited email's account, or
-- by choosing a password when no account has that email. Only the token's
-- hash is kept; accepting or revoking deletes the row.
CREATE TABLE invitations (
    id {{.ID}},
    organization_id BIGINT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    email VARCHAR(254) NOT NULL,
    name VARCHAR(200) NOT NULL DEFAULT '',
    role VARCHAR(16) NOT NULL CHECK (role IN ('owner', 'admin', 'staff')),
    token_hash VARCHAR(64) NOT NULL,
    invited_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    expires_at {{.TS}} NOT NULL,
    created_at {{.TS}} NOT NULL DEFAULT {{.Now}},
    updated_at {{.TS}} NOT NULL DEFAULT {{.Now}}
);
--bun:split
CREATE UNIQUE INDEX invitations_token_hash_key ON invitations (token_hash);
--bun:split
CREATE UNIQUE INDEX invitations_org_email_key ON invitations (organization_id, email);
--bun:split
CREATE INDEX invitations_invited_by_idx ON invitations (invited_by);
