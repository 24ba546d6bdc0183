package config

import (
	"io"
	"net"
	"strings"
	"testing"
)

// FuzzLoad feeds settings through the environment: a refusal names each
// bad setting and never shows the secret key or a database password; an
// accepted configuration is valid.
func FuzzLoad(f *testing.F) {
	f.Add(":8080", "sqlite://./data/switchboard.db", "info", "auto", "15s", "720h", "4", "false", "c3dpdGNoYm9hcmQtdGVzdC1rZXktMzItYnl0ZXMhISE=", "127.0.0.0/8, ::1/128")
	f.Add("127.0.0.1:0", "postgres://app:s3cret-pw@127.0.0.1:5432/switchboard", "debug", "json", "1m", "24h", "0", "yes", "", "")
	f.Add("8080", "mysql://root:hunter2hunter2@db/x", "verbose", "xml", "-1s", "0", "257", "maybe", "not base64!", "10.0.0.0/33")
	f.Add("[::1]:80", "postgresql://u:pw-pw-pw@h:1 2/d", "warn", "text", "1h", "1ns", "256", "ON", "k", "a,,b")
	f.Fuzz(func(t *testing.T, addr, db, level, format, shutdown, retention, workers, demo, secret, allow string) {
		env := map[string]string{"SWITCHBOARD_ADDR": addr, "DATABASE_URL": db, "SWITCHBOARD_LOG_LEVEL": level, "SWITCHBOARD_LOG_FORMAT": format,
			"SWITCHBOARD_SHUTDOWN_TIMEOUT": shutdown, "SWITCHBOARD_API_CALL_RETENTION": retention, "SWITCHBOARD_SYNC_WORKERS": workers,
			"SWITCHBOARD_DEMO": demo, "SWITCHBOARD_SECRET_KEY": secret, "SWITCHBOARD_ALLOW_DESTINATIONS": allow}
		c, _, err := Load("switchboard", nil, func(k string) string { return env[k] }, io.Discard)
		if err != nil {
			msg := err.Error()
			for _, line := range strings.Split(msg, "\n") {
				if !strings.HasPrefix(line, "config: --") && !strings.HasPrefix(line, "config: SWITCHBOARD_") {
					t.Fatalf("error line %q does not name a setting", line)
				}
			}
			if s := strings.TrimSpace(secret); len(s) >= 4 && strings.Contains(msg, s) {
				t.Fatalf("error shows the secret key: %s", msg)
			}
			if pw := dbPassword(db); pw != "" && strings.Contains(msg, pw) {
				t.Fatalf("error shows the database password %q: %s", pw, msg)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("Load accepted a configuration Validate refuses: %v", err)
		}
		if _, _, err := net.SplitHostPort(c.Addr); err != nil || c.ShutdownTimeout <= 0 || c.APICallRetention <= 0 ||
			c.SyncWorkers < 0 || c.SyncWorkers > maxSyncWorkers {
			t.Fatalf("accepted %+v", c)
		}
	})
}

// dbPassword returns the password-looking part of a database URL (between
// the first ":" after "://" and the last "@" of the authority), when it is
// long enough to look for.
func dbPassword(raw string) string {
	scheme, rest, ok := strings.Cut(strings.TrimSpace(raw), "://")
	if !ok || strings.ContainsAny(scheme, "/?#@: ") {
		return "" // not a URL with an authority
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return ""
	}
	_, pw, _ := strings.Cut(rest[:at], ":")
	if len(pw) < 4 || strings.Contains("xxxxx", pw) {
		return ""
	}
	return pw
}
