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
