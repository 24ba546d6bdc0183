-- The function that lists the practice system's own free slots
-- (sync.appointment.slots); availability keeps free times inside them.
ALTER TABLE integration_sync_mappings ADD COLUMN slots_function VARCHAR(100) NOT NULL DEFAULT '';
