DROP TABLE idempotency_keys;
--bun:split
DROP TABLE sync_attempts;
--bun:split
DROP TABLE sync_jobs;
--bun:split
DROP TABLE integration_sync_configs;
--bun:split
DROP TABLE external_refs;
--bun:split
DROP TABLE appointments;
--bun:split
DROP TABLE patients;
