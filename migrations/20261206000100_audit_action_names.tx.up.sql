-- One audit name per action: the sync error log's page wrote
-- sync_job_retry, sync_job_dismiss and sync_job_resolve where the JSON API
-- wrote sync_job_retried, sync_job_dismissed and sync_conflict_resolved.
-- Entries written under the page's names take the one name, so that the
-- audit log's filter finds them.
UPDATE audit_log SET action = 'sync_job_retried' WHERE action = 'sync_job_retry';
--bun:split
UPDATE audit_log SET action = 'sync_job_dismissed' WHERE action = 'sync_job_dismiss';
--bun:split
UPDATE audit_log SET action = 'sync_conflict_resolved' WHERE action = 'sync_job_resolve';
