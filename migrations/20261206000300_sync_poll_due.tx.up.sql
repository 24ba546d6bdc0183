-- When a configuration's next poll is due: the poll that moves it forward
-- is the one that runs (one per interval across every process sharing
-- the database, and across restarts).
ALTER TABLE integration_sync_configs ADD COLUMN next_poll_at {{.TS}};
