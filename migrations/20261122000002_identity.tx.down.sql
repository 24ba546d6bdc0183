DROP TABLE audit_log;
--bun:split
DROP TABLE api_keys;
--bun:split
DROP TABLE sessions;
--bun:split
DROP TABLE memberships;
--bun:split
DROP TABLE users;
