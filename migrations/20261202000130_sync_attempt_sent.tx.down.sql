ALTER TABLE sync_attempts DROP COLUMN sent;
