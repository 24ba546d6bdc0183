package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"switchboard/auth"
	"switchboard/database"
	"switchboard/models"
)

// TestAPIKeyCreateWithScopes: --scopes and --integrations are stored on
// the key (and printed); without them the key holds every scope; an
// unknown scope is refused naming the flag and no key is made.
func TestAPIKeyCreateWithScopes(t *testing.T) {
	dir := t.TempDir()
	dbURL := "sqlite://" + filepath.Join(dir, "sb.db")
	env := envWith(map[string]string{"DATABASE_URL": dbURL, "SWITCHBOARD_DATA_DIR": dir})
	ctx := context.Background()
	var out bytes.Buffer
	if err := run(ctx, []string{"user", "create", "--org", "bright", "--email", "o@bright.test", "--password", "long-enough-pw", "--role", "owner"}, env, &out, &out); err != nil {
		t.Fatalf("user create: %v\n%s", err, out.String())
	}
	create := func(extra ...string) (string, error) {
		out.Reset()
		err := run(ctx, append([]string{"apikey", "create", "--org", "bright", "--role", "agent", "--name", "Bot"}, extra...), env, &out, &out)
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		return lines[len(lines)-1], err
	}
	scoped, err := create("--scopes", "records:read,execute:read", "--integrations", "cloud9, opendental")
	if err != nil || !strings.Contains(out.String(), "execute:read,records:read on integrations cloud9,opendental") {
		t.Fatalf("scoped create: %v %s", err, out.String())
	}
	plain, err := create()
	if err != nil || !strings.Contains(out.String(), "all integrations") {
		t.Fatalf("plain create: %v %s", err, out.String())
	}
	if _, err := create("--scopes", "records:delete"); err == nil || !strings.Contains(err.Error(), "--scopes: unknown scope records:delete") {
		t.Fatalf("unknown scope: err = %v", err)
	}
	db, err := database.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	store := models.NewStore(db)
	get := func(key string) *models.APIKey {
		k, err := store.APIKeyByHash(ctx, auth.HashAPIKey(key))
		if err != nil {
			t.Fatalf("key %q: %v", key, err)
		}
		return k
	}
	k := get(scoped)
	if !k.HasScope(models.ScopeRecordsRead) || k.HasScope(models.ScopeRecordsWrite) || k.HasScope(models.ScopeExecuteWrite) ||
		!k.AllowsIntegration("cloud9") || k.AllowsIntegration("dentrix") {
		t.Fatalf("stored scoped key = scopes %q integrations %q", k.Scopes, k.Integrations)
	}
	if k := get(plain); strings.Join(k.ScopeList(), ",") != strings.Join(models.AgentScopes, ",") || k.IntegrationList() != nil {
		t.Fatalf("stored default key = scopes %q integrations %q", k.Scopes, k.Integrations)
	}
	o, _ := store.OrganizationBySlug(ctx, "bright")
	if ks, _ := store.Tenant(o.ID).APIKeys(ctx); len(ks) != 2 {
		t.Fatalf("%d keys, want 2 (the refused one not made)", len(ks))
	}
}
