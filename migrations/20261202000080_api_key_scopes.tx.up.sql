-- An API key's scopes and the integrations it may execute, each
-- comma-separated; empty means all (the keys made before keep every right).
ALTER TABLE api_keys ADD COLUMN scopes TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE api_keys ADD COLUMN integrations TEXT NOT NULL DEFAULT '';
