package database

import (
	"strings"
	"testing"
)

// FuzzRedact checks that the password of a database URL never survives
// redaction, whether or not the URL parses.
func FuzzRedact(f *testing.F) {
	for _, seed := range []string{"postgres://app:s3cret-pw@127.0.0.1:5432/switchboard?sslmode=disable", "postgres://app:s3cret-pw@127.0.0.1:54 32/db",
		"mysql://root:hunter2hunter2@db/x", "postgres://app@127.0.0.1/db", "sqlite://./data/switchboard.db", "postgres://a:b@c@d/e", "postgres://%zz:pw-pw-pw@h/d", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		_, rest, ok := strings.Cut(raw, "://")
		if !ok {
			return
		}
		authority := rest
		if i := strings.IndexAny(rest, "/?#"); i >= 0 {
			authority = rest[:i]
		}
		at := strings.LastIndex(authority, "@")
		if at < 0 {
			return
		}
		_, password, hasPassword := strings.Cut(authority[:at], ":")
		if !hasPassword || len(password) < 4 || strings.Contains("xxxxx", password) {
			return
		}
		if got := Redact(raw); strings.Contains(got, password) {
			t.Fatalf("Redact(%q) = %q still shows the password %q", raw, got, password)
		}
	})
}
