package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchboard/app"
	"switchboard/buildinfo"
	"switchboard/config"
	"switchboard/integrations/catalog"
	"switchboard/logging"
	"switchboard/models"
	"switchboard/testsupport"
)

func envWith(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestMigrateCommands(t *testing.T) {
	db := "sqlite://" + filepath.Join(t.TempDir(), "sb.db")
	env := envWith(map[string]string{"DATABASE_URL": db})
	steps := []struct {
		args []string
		want string
	}{
		{[]string{"migrate", "status"}, "pending"},
		{[]string{"migrate", "up"}, "applied"},
		{[]string{"migrate", "status"}, "0 pending"},
		{[]string{"migrate", "down", "--all"}, "rolled back"},
	}
	for _, s := range steps {
		var out bytes.Buffer
		if err := run(context.Background(), s.args, env, &out, &out); err != nil {
			t.Fatalf("%v: %v\n%s", s.args, err, out.String())
		}
		if !strings.Contains(out.String(), s.want) {
			t.Fatalf("%v printed %q, want it to mention %q", s.args, out.String(), s.want)
		}
	}
}

func TestUnknownCommandFails(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"frobnicate"}, envWith(nil), &out, &out); err == nil {
		t.Fatal("unknown command accepted")
	}
}

func TestServeShutsDownGracefully(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dir := t.TempDir()
	env := envWith(map[string]string{
		"DATABASE_URL":           "sqlite://" + filepath.Join(dir, "sb.db"),
		"SWITCHBOARD_DATA_DIR":   dir,
		"SWITCHBOARD_SECRET_KEY": "c3dpdGNoYm9hcmQtdGVzdC1rZXktMzItYnl0ZXMhISE=",
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var out syncBuffer
	go func() { done <- run(ctx, []string{"serve", "--addr", addr}, env, &out, &out) }()
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(fmt.Sprintf("http://%s/readyz", addr))
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server never became ready: %v\n%s", err, out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if resp, err := http.Get(fmt.Sprintf("http://%s/", addr)); err == nil {
		resp.Body.Close()
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop after cancellation")
	}
	if !strings.Contains(out.String(), `"request_id"`) {
		t.Errorf("request log lines carry no request_id:\n%s", out.String())
	}
}

func TestUserAndAPIKeyCreate(t *testing.T) {
	dir := t.TempDir()
	env := envWith(map[string]string{"DATABASE_URL": "sqlite://" + filepath.Join(dir, "sb.db"), "SWITCHBOARD_DATA_DIR": dir})
	ctx := context.Background()
	var out bytes.Buffer
	err := run(ctx, []string{"user", "create", "--org", "bright", "--email", "Owner@Bright.test", "--password", "long-enough-pw", "--role", "owner"}, env, &out, &out)
	if err != nil {
		t.Fatalf("user create: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "created organization bright") || !strings.Contains(out.String(), "owner@bright.test is owner of bright") {
		t.Fatalf("user create printed %q", out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"user", "create", "--org", "bright", "--email", "x", "--password", "short", "--role", "boss"}, env, &out, &out); err == nil ||
		!strings.Contains(err.Error(), "--email") || !strings.Contains(err.Error(), "--password") || !strings.Contains(err.Error(), "--role") {
		t.Fatalf("bad user create: err = %v", err)
	}
	out.Reset()
	if err := run(ctx, []string{"apikey", "create", "--org", "bright", "--role", "agent", "--name", "Retell"}, env, &out, &out); err != nil {
		t.Fatalf("apikey create: %v\n%s", err, out.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	key := lines[len(lines)-1]
	if !strings.HasPrefix(key, "sbk_") || len(key) != 52 {
		t.Fatalf("last line %q is not the key", key)
	}
	out.Reset()
	if err := run(ctx, []string{"apikey", "create", "--org", "nope", "--role", "agent", "--name", "x"}, env, &out, &out); err == nil {
		t.Fatal("apikey create for an unknown organization succeeded")
	}
}

func TestSecretKeyFingerprintAndRotation(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite://" + filepath.Join(dir, "sb.db")
	keyA := "c3dpdGNoYm9hcmQtdGVzdC1rZXktMzItYnl0ZXMhISE="
	keyB := "YW5vdGhlci1zd2l0Y2hib2FyZC1rZXktMzItYnl0ZXM="
	ctx := context.Background()
	var out bytes.Buffer
	envA := envWith(map[string]string{"DATABASE_URL": db, "SWITCHBOARD_DATA_DIR": dir, "SWITCHBOARD_SECRET_KEY": keyA})
	envB := envWith(map[string]string{"DATABASE_URL": db, "SWITCHBOARD_DATA_DIR": dir, "SWITCHBOARD_SECRET_KEY": keyB})

	// Start once with key A (stores the fingerprint) and save a credential.
	a := startApp(t, envA)
	org, err := a.Store.CreateOrganization(ctx, "acme", "Acme")
	if err != nil {
		t.Fatal(err)
	}
	entry, _ := catalog.Get("opendental")
	in, err := a.Registry.Create(ctx, org.ID, entry.Doc, "opendental")
	if err != nil {
		t.Fatal(err)
	}
	sealed, names, err := a.Vault.Seal(org.ID, in.ID, "production", map[string]string{"developer_key": "dev-SECRET", "customer_key": "cust-SECRET"})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Store.Tenant(org.ID).SaveCredential(ctx, &models.Credential{IntegrationID: in.ID, Environment: "production", Sealed: sealed, FieldNames: names}); err != nil {
		t.Fatal(err)
	}
	a.Close()

	// Key B is refused loudly.
	if err := run(ctx, []string{"serve", "--addr", "127.0.0.1:0"}, envB, &out, &out); err == nil || !strings.Contains(err.Error(), "fingerprint") {
		t.Fatalf("start with another key: err = %v, want a fingerprint error", err)
	}
	// Rotate from A to B, then B works and opens the credential.
	out.Reset()
	if err := run(ctx, []string{"secrets", "rotate", "--new-key", keyB}, envA, &out, &out); err != nil || !strings.Contains(out.String(), "re-encrypted 1 credentials") {
		t.Fatalf("rotate: %v\n%s", err, out.String())
	}
	b := startApp(t, envB)
	defer b.Close()
	creds, err := b.Store.Tenant(org.ID).Credentials(ctx)
	if err != nil || len(creds) != 1 {
		t.Fatalf("credentials after rotation: %v %v", creds, err)
	}
	fields, err := b.Vault.Open(&creds[0])
	if err != nil || fields["developer_key"] != "dev-SECRET" {
		t.Fatalf("open after rotation: %v %v", fields, err)
	}
}

func startApp(t *testing.T, env func(string) string) *app.App {
	t.Helper()
	cfg, _, err := config.Load("test", nil, env, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	a, err := app.New(context.Background(), cfg, logging.Discard())
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestImportCommands(t *testing.T) {
	spec := filepath.Join("..", "..", "..", "shared", "testdata", "specs", "uber-swagger2.yaml")
	if _, err := os.Stat(spec); err != nil {
		t.Skipf("shared test specs not found: %v", err)
	}
	dir := t.TempDir()
	env := envWith(map[string]string{"DATABASE_URL": "sqlite://" + filepath.Join(dir, "sb.db"), "SWITCHBOARD_DATA_DIR": dir})
	ctx := context.Background()
	var out bytes.Buffer
	if err := run(ctx, []string{"user", "create", "--org", "acme", "--email", "o@acme.test", "--password", "long-enough-pw", "--role", "owner"}, env, &out, &out); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(ctx, []string{"import", "openapi", "--org", "acme", "--integration", "uber", "--dry-run", spec}, env, &out, &out); err != nil {
		t.Fatalf("dry run: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "would import uber") || !strings.Contains(out.String(), "5 added") {
		t.Fatalf("dry run printed %q", out.String())
	}
	out.Reset()
	if err := run(ctx, []string{"import", "openapi", "--org", "acme", "--integration", "uber", spec}, env, &out, &out); err != nil {
		t.Fatalf("import: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "imported uber") || !strings.Contains(out.String(), "5 added") {
		t.Fatalf("import printed %q", out.String())
	}
	// A registry file into the same integration, merged.
	reg := filepath.Join(dir, "registry.json")
	os.WriteFile(reg, []byte(`[{"function":"GetExtra","method":"GET","path":"/extra/{id}","params":[{"name":"id","in":"path","type":"integer","required":true}]}]`), 0o600)
	out.Reset()
	if err := run(ctx, []string{"import", "registry", "--org", "acme", "--integration", "uber", reg}, env, &out, &out); err != nil || !strings.Contains(out.String(), "1 added") {
		t.Fatalf("registry import: %v %q", err, out.String())
	}
	// The original system's registry, flags after the file, dry run then for real.
	orig := filepath.Join(dir, "unified_registry.json")
	os.WriteFile(orig, testsupport.RegistrySample(t), 0o600)
	out.Reset()
	if err := run(ctx, []string{"import", "registry", orig, "--org", "acme", "--integration", "uber", "--dry-run"}, env, &out, &out); err != nil {
		t.Fatalf("original registry, flags after the file: %v\n%s", err, out.String())
	}
	if got := out.String(); !strings.Contains(got, "would import uber (registry (original), merge): 8 added") {
		t.Fatalf("original registry dry run printed %q", got)
	}
	out.Reset()
	if err := run(ctx, []string{"import", "registry", "--org", "acme", orig, "--integration", "uber"}, env, &out, &out); err != nil || !strings.Contains(out.String(), "imported uber (registry (original), merge): 8 added") {
		t.Fatalf("original registry import: %v %q", err, out.String())
	}
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`[{"function":"X","method":"GET","path":"/x","parms":[]}]`), 0o600)
	if err := run(ctx, []string{"import", "registry", "--org", "acme", "--integration", "uber", bad}, env, &out, &out); err == nil || !strings.Contains(err.Error(), "parms") {
		t.Fatalf("bad registry: err = %v", err)
	}
}

func TestBadDatabaseURLsDoNotShowTheirPassword(t *testing.T) {
	for _, db := range []string{"mysql://root:hunter2hunter2@db.example/x", "postgres://app:s3cret-pw-9@127.0.0.1:54 32/db"} {
		var out bytes.Buffer
		err := run(context.Background(), []string{"migrate", "status"}, envWith(map[string]string{"DATABASE_URL": db}), &out, &out)
		if err == nil {
			t.Fatalf("%s accepted", db)
		}
		for _, pw := range []string{"hunter2hunter2", "s3cret-pw-9"} {
			if strings.Contains(err.Error(), pw) || strings.Contains(out.String(), pw) {
				t.Errorf("the error shows the password: %v\n%s", err, out.String())
			}
		}
	}
}

// TestDataDirAloneMovesTheDatabase runs `migrate up` with only
// SWITCHBOARD_DATA_DIR (or --data-dir) set: the embedded database is created
// inside that folder, not in ./data.
func TestDataDirAloneMovesTheDatabase(t *testing.T) {
	for _, how := range []string{"env", "flag"} {
		t.Run(how, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "practice-data")
			env := map[string]string{}
			args := []string{"migrate", "up"}
			if how == "env" {
				env["SWITCHBOARD_DATA_DIR"] = dir
			} else {
				args = append(args, "--data-dir", dir)
			}
			var out bytes.Buffer
			if err := run(context.Background(), args, envWith(env), &out, &out); err != nil {
				t.Fatalf("%v: %v\n%s", args, err, out.String())
			}
			if _, err := os.Stat(filepath.Join(dir, "switchboard.db")); err != nil {
				t.Fatalf("the database is not in the data folder: %v\n%s", err, out.String())
			}
			if _, err := os.Stat("data/switchboard.db"); err == nil {
				t.Fatal("a database appeared in ./data although the data folder is elsewhere")
			}
		})
	}
}

func TestFlagsBeforeOrAfterPositionals(t *testing.T) {
	dir := t.TempDir()
	env := envWith(map[string]string{"DATABASE_URL": "sqlite://" + filepath.Join(dir, "sb.db"), "SWITCHBOARD_DATA_DIR": dir})
	ctx := context.Background()
	var out bytes.Buffer
	// migrate: the action first, flags and --all in any order.
	for _, args := range [][]string{{"migrate", "up", "--db", "sqlite://" + filepath.Join(dir, "other.db")}, {"migrate", "down", "--db", "sqlite://" + filepath.Join(dir, "other.db"), "--all"}} {
		if err := run(ctx, args, env, &out, &out); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out.String())
		}
	}
	if !strings.Contains(out.String(), "applied") || !strings.Contains(out.String(), "rolled back") {
		t.Fatalf("migrate printed %q", out.String())
	}
	// Commands without positionals refuse a stray one instead of dropping the flags after it.
	for _, args := range [][]string{
		{"user", "create", "stray", "--org", "x", "--email", "a@b.test", "--password", "long-enough-pw", "--role", "owner"},
		{"apikey", "create", "--org", "x", "stray", "--role", "agent", "--name", "n"},
		{"secrets", "rotate", "stray"},
		{"serve", "stray"},
		{"migrate", "status", "stray"},
	} {
		err := run(ctx, args, env, &out, &out)
		if err == nil || !strings.Contains(err.Error(), `unexpected argument "stray"`) {
			t.Errorf("%v: err = %v, want the stray argument named", args, err)
		}
	}
	// Flags after a positional are read: user create with its flags split around nothing positional works.
	out.Reset()
	if err := run(ctx, []string{"user", "create", "--org", "acme", "--email", "o@acme.test", "--password", "long-enough-pw", "--role", "owner"}, env, &out, &out); err != nil {
		t.Fatal(err)
	}
	// import: FILE first, in the middle, last; "--" makes what follows positional.
	reg := filepath.Join(dir, "registry.json")
	os.WriteFile(reg, []byte(`[{"function":"GetExtra","method":"GET","path":"/extra"}]`), 0o600)
	for _, args := range [][]string{
		{"import", "registry", reg, "--org", "acme", "--integration", "extra", "--dry-run"},
		{"import", "registry", "--org", "acme", reg, "--integration", "extra", "--dry-run"},
		{"import", "registry", "--org", "acme", "--integration", "extra", "--dry-run", "--", reg},
	} {
		out.Reset()
		err := run(ctx, args, env, &out, &out)
		// A registry array brings no base URL, so a new integration is refused for that reason, after the flags were read.
		if err == nil || !strings.Contains(err.Error(), "base_url") {
			t.Errorf("%v: err = %v (%s), want the flags read and the missing base URL named", args, err, out.String())
		}
	}
	if err := run(ctx, []string{"import", "registry", reg, reg, "--org", "acme", "--integration", "extra"}, env, &out, &out); err == nil || !strings.Contains(err.Error(), "usage") {
		t.Errorf("two files: err = %v, want the usage", err)
	}
}

// TestImportOriginalRegistryIntoACatalogCopy: --catalog starts the
// integration from the catalog entry (its base URL drops the registry's
// /api prefix) and imports into the copy; the dry run writes nothing.
func TestImportOriginalRegistryIntoACatalogCopy(t *testing.T) {
	dir := t.TempDir()
	env := envWith(map[string]string{"DATABASE_URL": "sqlite://" + filepath.Join(dir, "sb.db"), "SWITCHBOARD_DATA_DIR": dir})
	ctx := context.Background()
	var out bytes.Buffer
	if err := run(ctx, []string{"user", "create", "--org", "bright", "--email", "o@bright.test", "--password", "long-enough-pw", "--role", "owner"}, env, &out, &out); err != nil {
		t.Fatal(err)
	}
	reg := filepath.Join(dir, "unified_registry.json")
	os.WriteFile(reg, testsupport.RegistrySample(t), 0o600)
	for _, dry := range []bool{true, false} {
		args := []string{"import", "registry", reg, "--org", "bright", "--integration", "opendental", "--catalog", "opendental"}
		if dry {
			args = append(args, "--dry-run")
		}
		out.Reset()
		if err := run(ctx, args, env, &out, &out); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, out.String())
		}
		if got := out.String(); !strings.Contains(got, "opendental (registry (original), merge): 3 added, 5 ") || !strings.Contains(got, "normalized: the leading /api of 4 endpoints") {
			t.Fatalf("%v printed %q", args, got)
		}
	}
	cfg, _, err := config.Load("test", nil, env, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	store, closeDB, err := openStore(ctx, cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	defer closeDB()
	org, err := store.OrganizationBySlug(ctx, "bright")
	if err != nil {
		t.Fatal(err)
	}
	in, err := store.Tenant(org.ID).IntegrationBySlug(ctx, "opendental")
	if err != nil || in.Catalog != "opendental" || in.BaseURLProduction != "https://api.opendental.com/api/v1" {
		t.Fatalf("integration = %+v, %v", in, err)
	}
}

// TestVersionCommand: "switchboard version" and "switchboard --version"
// print switchboard <version> (<commit>, <go version>) from the binary's
// build information.
func TestVersionCommand(t *testing.T) {
	for _, arg := range []string{"version", "--version"} {
		var out bytes.Buffer
		if err := run(t.Context(), []string{arg}, func(string) string { return "" }, &out, &out); err != nil {
			t.Fatalf("%s: %v", arg, err)
		}
		want := buildinfo.Get().String() + "\n"
		if out.String() != want || !strings.HasPrefix(want, "switchboard ") || !strings.Contains(want, ", go1.") {
			t.Fatalf("%s printed %q, want %q", arg, out.String(), want)
		}
	}
}
