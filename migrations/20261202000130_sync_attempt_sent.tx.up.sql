-- Whether an attempt's request went out to the external system: one
-- refused before sending (validation, missing credentials, a blocked
-- destination) is shown as "not sent" with its reason. Older attempts
-- without a request excerpt and without an answer were never sent.
ALTER TABLE sync_attempts ADD COLUMN sent BOOLEAN NOT NULL DEFAULT TRUE;
--bun:split
UPDATE sync_attempts SET sent = FALSE WHERE http_status = 0 AND request_excerpt = '';
