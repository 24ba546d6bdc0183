-- The door a change came through (page, api, mcp, booking), so that the
-- audit log can be filtered by it, and the lookup of one record's history.
ALTER TABLE audit_log ADD COLUMN door VARCHAR(20) NOT NULL DEFAULT '';
--bun:split
CREATE INDEX audit_log_target_idx ON audit_log (organization_id, target_type, target_id, id);
