ALTER TABLE integration_sync_mappings DROP COLUMN slots_function;
