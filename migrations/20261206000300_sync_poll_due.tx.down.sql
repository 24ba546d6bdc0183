ALTER TABLE integration_sync_configs DROP COLUMN next_poll_at;
