ALTER TABLE api_keys DROP COLUMN integrations;
--bun:split
ALTER TABLE api_keys DROP COLUMN scopes;
