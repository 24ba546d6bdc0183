package registry_test

import (
	"context"
	"testing"

	"switchboard/apperr"
	"switchboard/integrations/catalog"
	"switchboard/integrations/registry"
	"switchboard/models"
	"switchboard/testsupport"
)

// TestLookupID: an integration is found by id, from memory once cached,
// still after its slug changes, and never from another organization.
func TestLookupID(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		store := models.NewStore(testsupport.OpenDB(t, dbURL))
		acme, _ := testsupport.Seed(t, store, "acme", "owner@acme.test", models.RoleOwner)
		globex, _ := testsupport.Seed(t, store, "globex", "owner@globex.test", models.RoleOwner)
		reg := registry.New(store)
		entry, err := catalog.Get("opendental")
		if err != nil {
			t.Fatal(err)
		}
		doc, err := entry.Doc.Clone()
		if err != nil {
			t.Fatal(err)
		}
		in, err := reg.Create(ctx, acme.ID, doc, "opendental")
		if err != nil {
			t.Fatal(err)
		}

		for i := range 2 { // the first call loads, the second is cached
			e, err := reg.LookupID(ctx, acme.ID, in.ID)
			if err != nil || e.IntegrationID != in.ID || e.Slug != "opendental" {
				t.Fatalf("call %d: got %+v, %v", i, e, err)
			}
		}
		if _, err := reg.LookupID(ctx, globex.ID, in.ID); !apperr.IsNotFound(err) {
			t.Errorf("another organization's id: got %v, want not found", err)
		}

		renamed, rows, err := reg.Load(ctx, acme.ID, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		renamed.Slug = "opendental-main"
		if _, err := reg.Replace(ctx, acme.ID, in.ID, renamed, registry.HintsOf(rows)); err != nil {
			t.Fatal(err)
		}
		e, err := reg.LookupID(ctx, acme.ID, in.ID)
		if err != nil || e.Slug != "opendental-main" {
			t.Errorf("after the rename: got %+v, %v", e, err)
		}
	})
}
