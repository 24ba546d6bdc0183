ALTER TABLE integration_sync_mappings DROP COLUMN busy_function;
