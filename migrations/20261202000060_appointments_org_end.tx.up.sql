-- Availability reads the appointments that end after the start of a range
-- (and start before its end): index them by organization and end, so the
-- read skips the organization's past appointments.
CREATE INDEX appointments_org_end_idx ON appointments (organization_id, end_at);
