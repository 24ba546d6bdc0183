package registry

import (
	"context"
	"testing"

	"path/filepath"

	"switchboard/apperr"
	"switchboard/database"
	"switchboard/migrations"
	"switchboard/models"
)

// openStore opens a migrated SQLite file (testsupport would import this
// package back through the app).
func openStore(t *testing.T) *models.Store {
	t.Helper()
	ctx := context.Background()
	db, err := database.Open(ctx, "sqlite://"+filepath.Join(t.TempDir(), "switchboard.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	runner, err := migrations.New(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := runner.Up(ctx); err != nil {
		t.Fatal(err)
	}
	return models.NewStore(db)
}

// wantRefused checks a refusal of the import gate: rate_limited (429)
// with a retry_after.
func wantRefused(t *testing.T, err error) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.CodeRateLimited {
		t.Fatalf("err = %v, want rate_limited", err)
	}
	if n, ok := e.RetryAfter(); !ok || n <= 0 {
		t.Errorf("retry_after = %d, %v; want a wait", n, ok)
	}
}

// TestOneImportPerOrganizationAndFewInAll: while an organization's import
// runs, its next one (a dry run too) is refused at once with 429 and a
// Retry-After; another organization's goes on, until MaxImports run.
func TestOneImportPerOrganizationAndFewInAll(t *testing.T) {
	store := openStore(t)
	org, err := store.CreateOrganization(context.Background(), "acme", "Acme")
	if err != nil {
		t.Fatal(err)
	}
	r := New(store)
	doc := []byte(`{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "servers": [{"url": "https://api.example.com"}], "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}}`)
	leave, err := r.imports.enter(org.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Import(context.Background(), org.ID, doc, "a.json", ImportOptions{Slug: "a", Mode: "merge", DryRun: true})
	wantRefused(t, err)
	other, err := r.imports.enter(org.ID + 1)
	if err != nil {
		t.Fatalf("another organization's import: %v", err)
	}
	_, err = r.imports.enter(org.ID + 2)
	wantRefused(t, err) // MaxImports run
	other()
	leave()
	if _, err := r.Import(context.Background(), org.ID, doc, "a.json", ImportOptions{Slug: "a", Mode: "merge"}); err != nil {
		t.Fatalf("the import once the other ended: %v", err)
	}
	if r.imports.running != 0 || len(r.imports.orgs) != 0 {
		t.Errorf("the gate holds %d imports of %v after every import ended", r.imports.running, r.imports.orgs)
	}
}
