package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"testing"
)

// TestUserResetPassword: `user reset-password --org --email` prints a
// one-time link of the member; bad flags are named; an unknown member is
// refused.
func TestUserResetPassword(t *testing.T) {
	dir := t.TempDir()
	env := envWith(map[string]string{"DATABASE_URL": "sqlite://" + filepath.Join(dir, "sb.db"), "SWITCHBOARD_DATA_DIR": dir})
	ctx := context.Background()
	var out bytes.Buffer
	if err := run(ctx, []string{"user", "create", "--org", "bright", "--email", "owner@bright.test", "--password", "long-enough-pw", "--role", "owner"}, env, &out, &out); err != nil {
		t.Fatalf("user create: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"user", "reset-password", "--org", "bright", "--email", "owner@bright.test"}, env, &out, &out); err != nil {
		t.Fatalf("reset-password: %v\n%s", err, out.String())
	}
	if !regexp.MustCompile(`http://[^/]+/password-reset/[A-Za-z0-9_-]{20,}`).MatchString(out.String()) {
		t.Fatalf("reset-password printed no link:\n%s", out.String())
	}
	if err := run(ctx, []string{"user", "reset-password", "--org", "Bad Org", "--email", "x"}, env, &out, &out); err == nil ||
		!regexp.MustCompile(`--org.*--email`).MatchString(err.Error()) {
		t.Fatalf("bad flags = %v, want both named", err)
	}
	if err := run(ctx, []string{"user", "reset-password", "--org", "bright", "--email", "nobody@bright.test"}, env, &out, &out); err == nil {
		t.Fatal("a reset link for an unknown user was issued")
	}
}
