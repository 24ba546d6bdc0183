-- Parameter values a configuration's deliveries send when the record has
-- none, as a JSON object (Google Calendar's calendarId and summary
-- template, Cloud9's providerGUID and locationGUID); a value may name the
-- record's fields by name.
ALTER TABLE integration_sync_configs ADD COLUMN defaults TEXT NOT NULL DEFAULT '{}';
--bun:split
-- The definition's own defaults of a sync mapping (sync.<entity>.defaults).
ALTER TABLE integration_sync_mappings ADD COLUMN defaults TEXT NOT NULL DEFAULT '{}';
