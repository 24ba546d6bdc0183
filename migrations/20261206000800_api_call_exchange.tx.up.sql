-- A failed call keeps its last exchange with the external system, redacted
-- (credentials replaced, bodies cut to 2 KiB), for the call log's detail.
ALTER TABLE api_calls ADD COLUMN request_excerpt TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE api_calls ADD COLUMN response_excerpt TEXT NOT NULL DEFAULT '';
