ALTER TABLE integration_sync_mappings DROP COLUMN defaults;
--bun:split
ALTER TABLE integration_sync_configs DROP COLUMN defaults;
