-- A record has at most one open create job per integration: two would
-- create it twice upstream. Older duplicates are dismissed first (the
-- oldest open one stays), then a partial unique index holds the rule on
-- both engines.
UPDATE sync_jobs SET status = 'dismissed', last_error = 'a second create job of the same record'
WHERE operation = 'create' AND status IN ('pending', 'retrying', 'failed', 'conflict')
  AND EXISTS (SELECT 1 FROM sync_jobs AS o WHERE o.organization_id = sync_jobs.organization_id
    AND o.integration_id = sync_jobs.integration_id AND o.entity = sync_jobs.entity
    AND o.local_id = sync_jobs.local_id AND o.operation = 'create'
    AND o.status IN ('pending', 'retrying', 'failed', 'conflict') AND o.id < sync_jobs.id);
--bun:split
CREATE UNIQUE INDEX sync_jobs_one_open_create_idx ON sync_jobs (organization_id, integration_id, entity, local_id)
WHERE operation = 'create' AND status IN ('pending', 'retrying', 'failed', 'conflict');
