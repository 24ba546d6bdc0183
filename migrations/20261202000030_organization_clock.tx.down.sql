ALTER TABLE organizations DROP COLUMN allow_overlaps;
--bun:split
ALTER TABLE organizations DROP COLUMN opening_hours;
--bun:split
ALTER TABLE organizations DROP COLUMN time_zone_set_at;
--bun:split
ALTER TABLE organizations DROP COLUMN time_zone;
