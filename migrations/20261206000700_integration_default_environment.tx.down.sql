ALTER TABLE integration_sync_configs DROP COLUMN environment_default;
--bun:split
ALTER TABLE external_integrations DROP COLUMN default_environment;
