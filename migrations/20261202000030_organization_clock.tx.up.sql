-- The practice's clock: its time zone (UTC until someone chooses one;
-- time_zone_set_at says when that happened), weekly opening hours as JSON
-- in practice time, and whether appointments may overlap.
ALTER TABLE organizations ADD COLUMN time_zone VARCHAR(64) NOT NULL DEFAULT 'UTC';
--bun:split
ALTER TABLE organizations ADD COLUMN time_zone_set_at {{.TS}};
--bun:split
ALTER TABLE organizations ADD COLUMN opening_hours TEXT NOT NULL DEFAULT '{}';
--bun:split
ALTER TABLE organizations ADD COLUMN allow_overlaps BOOLEAN NOT NULL DEFAULT FALSE;
