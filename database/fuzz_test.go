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
		scheme, rest, ok := strings.Cut(raw, "://")
		if !ok || !validScheme(scheme) {
			return // not a URL with an authority
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
		got := Redact(raw)
		if _, shown, _ := strings.Cut(userinfo(got), ":"); strings.Contains(shown, password) {
			t.Fatalf("Redact(%q) = %q still shows the password %q", raw, got, password)
		}
	})
}

// userinfo returns what a URL holds between "://" and the last "@" of its
// authority: the user name and, after a colon, the password.
func userinfo(raw string) string {
	_, rest, _ := strings.Cut(raw, "://")
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return ""
	}
	return rest[:at]
}

// validScheme reports whether s is a URL scheme: a letter, then letters,
// digits, "+", "-" or ".".
func validScheme(s string) bool {
	for i, r := range s {
		letter := (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if !letter && (i == 0 || !strings.ContainsRune("0123456789+-.", r)) {
			return false
		}
	}
	return s != ""
}
