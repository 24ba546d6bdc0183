-- The login throttle's state, shared by every process on the database: per
-- key ("a:<email>" or "ip:<client address>") the failures inside the
-- window, the attempts begun and not yet ended, and the delay in force.
CREATE TABLE login_throttle (
    key VARCHAR(320) PRIMARY KEY,
    failures INTEGER NOT NULL DEFAULT 0,
    pending INTEGER NOT NULL DEFAULT 0,
    pending_at {{.TS}} NOT NULL,
    last_at {{.TS}} NOT NULL,
    until_at {{.TS}} NOT NULL
);
--bun:split
CREATE INDEX login_throttle_last_idx ON login_throttle (last_at);
