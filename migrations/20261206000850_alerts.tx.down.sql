DROP TABLE alert_deliveries;
--bun:split
DROP TABLE alert_states;
--bun:split
ALTER TABLE organizations DROP COLUMN alert_secret_sealed;
--bun:split
ALTER TABLE organizations DROP COLUMN alert_webhook_url;
