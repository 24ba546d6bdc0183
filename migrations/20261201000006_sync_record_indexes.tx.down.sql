{{if eq .Name "pg"}}ALTER TABLE sync_jobs RESET (fillfactor, autovacuum_vacuum_scale_factor, autovacuum_analyze_scale_factor){{else}}SELECT 1{{end}};
--bun:split
CREATE INDEX sync_jobs_due_idx ON sync_jobs (status, next_attempt_at);
--bun:split
DROP INDEX sync_jobs_queue_idx;
--bun:split
DROP INDEX external_refs_org_record_idx;
--bun:split
DROP INDEX sync_jobs_org_record_idx;
