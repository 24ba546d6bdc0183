DROP INDEX appointments_org_operatory_start_idx;
--bun:split
DROP INDEX appointments_org_provider_start_idx;
