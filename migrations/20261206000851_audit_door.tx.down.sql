DROP INDEX audit_log_target_idx;
--bun:split
ALTER TABLE audit_log DROP COLUMN door;
