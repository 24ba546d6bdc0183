-- The function that answers a target's busy times (Google Calendar's
-- freeBusy): availability leaves them out.
ALTER TABLE integration_sync_mappings ADD COLUMN busy_function VARCHAR(200) NOT NULL DEFAULT '';
