DROP TABLE oauth_states;
--bun:split
ALTER TABLE api_credentials DROP COLUMN oauth_account;
--bun:split
ALTER TABLE api_credentials DROP COLUMN needs_reauth;
