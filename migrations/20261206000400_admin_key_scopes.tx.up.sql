-- Keys that chose every scope of the agent API are stored as "none chosen"
-- (their role's default), so that admin keys made with every box ticked
-- keep the admin API now that it has scopes of its own (admin:read,
-- admin:write, credentials:write).
UPDATE api_keys SET scopes = '' WHERE scopes = 'execute:read,execute:write,records:read,records:write';
