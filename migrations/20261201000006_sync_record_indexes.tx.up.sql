-- A record's sync state (its newest job per integration, its external ids)
-- is read after every write: index it by organization and record, so that
-- the read does not scan the organization's whole queue.
CREATE INDEX sync_jobs_org_record_idx ON sync_jobs (organization_id, entity, local_id, integration_id, id);
--bun:split
CREATE INDEX external_refs_org_record_idx ON external_refs (organization_id, entity, local_id);
--bun:split
-- Workers claim the oldest due open job: a partial index of open jobs in
-- claim order lets the claim stop at the first free one instead of sorting
-- the whole backlog, and stays small however many synced jobs pile up.
CREATE INDEX sync_jobs_queue_idx ON sync_jobs (next_attempt_at, id) WHERE status IN ('pending', 'retrying');
--bun:split
DROP INDEX sync_jobs_due_idx;
--bun:split
-- PostgreSQL: leave room on each page of the queue so that a claim (which
-- changes no indexed column) updates the row in place (HOT) instead of
-- adding an entry to every index, and vacuum the queue often: its rows
-- are updated several times each and die fast.
{{if eq .Name "pg"}}ALTER TABLE sync_jobs SET (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02){{else}}SELECT 1{{end}};
