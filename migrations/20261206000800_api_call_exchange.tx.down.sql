ALTER TABLE api_calls DROP COLUMN response_excerpt;
--bun:split
ALTER TABLE api_calls DROP COLUMN request_excerpt;
