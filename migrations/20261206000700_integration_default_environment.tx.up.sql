-- The environment of a call that names none, of sync deliveries and of
-- reference lists (default_environment of the definition document, kept
-- as a column so the sync settings can show it without decoding it).
ALTER TABLE external_integrations ADD COLUMN default_environment VARCHAR(16) NOT NULL DEFAULT 'production';
--bun:split
-- A sync configuration that follows its integration's default_environment
-- instead of naming one (new configurations do; older ones keep theirs).
ALTER TABLE integration_sync_configs ADD COLUMN environment_default BOOLEAN NOT NULL DEFAULT FALSE;
