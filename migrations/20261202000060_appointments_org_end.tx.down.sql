DROP INDEX appointments_org_end_idx;
