CREATE INDEX external_refs_org_idx ON external_refs (organization_id);
