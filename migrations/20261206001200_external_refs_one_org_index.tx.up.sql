-- external_refs_org_idx (organization_id alone) duplicated the leading column
-- of external_refs_org_record_idx (organization_id, entity, local_id), which
-- serves the organization's cascade as well. Without statistics (a table
-- never analyzed: autovacuum off, or not yet run) PostgreSQL's cached
-- generic plan of the read by local id chose it once the table held a few
-- pages, and then walked every reference of the organization per read.
DROP INDEX external_refs_org_idx;
