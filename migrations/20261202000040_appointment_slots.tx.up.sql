-- The slot check and availability look up a provider's or an operatory's
-- appointments around a time.
CREATE INDEX appointments_org_provider_start_idx ON appointments (organization_id, provider_ref, start_at);
--bun:split
CREATE INDEX appointments_org_operatory_start_idx ON appointments (organization_id, operatory_ref, start_at);
