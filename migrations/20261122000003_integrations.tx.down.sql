DROP TABLE api_credentials;
--bun:split
DROP TABLE integration_sync_mappings;
--bun:split
DROP TABLE integration_parameter_maps;
--bun:split
DROP TABLE integration_endpoints;
--bun:split
DROP TABLE external_integrations;
--bun:split
DROP TABLE app_settings;
