package registry_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/integrations/registry"
	"switchboard/models"
	"switchboard/testsupport"
)

// newService returns a Service on a migrated database with an
// organization holding one small integration.
func newService(t *testing.T, dbURL string) (*registry.Service, int64, *models.Integration) {
	t.Helper()
	store := models.NewStore(testsupport.OpenDB(t, dbURL))
	org, _ := testsupport.Seed(t, store, "acme", "owner@acme.test", models.RoleOwner)
	svc := registry.NewService(registry.New(store), store)
	doc := &definition.Document{Slug: "pets", Name: "Pets", BaseURL: map[string]string{"production": "https://pets.example.com"},
		TestFunction: "ListPets", Endpoints: []definition.Endpoint{
			{Function: "ListPets", Method: "GET", Path: "/pets"},
			{Function: "GetPet", Method: "GET", Path: "/pets/{id}", Params: []definition.Param{{Name: "id", In: "path", Type: "string", Required: true}}},
		}}
	in, err := svc.Create(context.Background(), org.ID, doc)
	if err != nil {
		t.Fatal(err)
	}
	return svc, org.ID, in
}

// TestServiceEndpointEdits: adding, renaming and deleting an endpoint
// keeps the ids of the rows that stay, renames the references and takes
// the endpoint's maps with it; a duplicate function is a conflict.
func TestServiceEndpointEdits(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		svc, orgID, in := newService(t, dbURL)
		d, i, err := svc.AddEndpoint(ctx, orgID, in.ID, definition.Endpoint{Function: "AddPet", Method: "POST", Path: "/pets", Writes: true})
		if err != nil {
			t.Fatal(err)
		}
		addID := d.EndpointID(i)
		if _, _, err := svc.AddEndpoint(ctx, orgID, in.ID, definition.Endpoint{Function: "AddPet", Method: "POST", Path: "/x"}); !errors.Is(err, registry.ErrDuplicateFunction) || apperr.Code(err) != apperr.CodeConflict {
			t.Errorf("a second AddPet: got %v, want a conflict", err)
		}
		if _, _, err := svc.AddMap(ctx, orgID, in.ID, definition.ParameterMap{Internal: "pet_id", External: "id", Endpoint: "ListPets"}); err != nil {
			t.Fatal(err)
		}
		list, li, err := svc.Endpoint(ctx, orgID, d.EndpointID(d.IndexOf("ListPets")))
		if err != nil {
			t.Fatal(err)
		}
		renamed := list.Doc.Endpoints[li]
		renamed.Function = "AllPets"
		after, ai, err := svc.UpdateEndpoint(ctx, orgID, list.EndpointID(li), renamed)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := after.EndpointID(ai), list.EndpointID(li); got != want {
			t.Errorf("renamed endpoint id = %d, want %d", got, want)
		}
		if after.Doc.TestFunction != "AllPets" || after.Doc.ParameterMaps[0].Endpoint != "AllPets" {
			t.Errorf("references after the rename: test function %q, map endpoint %q", after.Doc.TestFunction, after.Doc.ParameterMaps[0].Endpoint)
		}
		if got := after.EndpointID(after.IndexOf("AddPet")); got != addID {
			t.Errorf("AddPet id = %d, want %d (kept)", got, addID)
		}

		after.Doc.TestFunction = "GetPet"
		if _, err := svc.Replace(ctx, orgID, in.ID, after.Doc); err != nil {
			t.Fatal(err)
		}
		gone, fn, err := svc.DeleteEndpoint(ctx, orgID, list.EndpointID(li))
		if err != nil || fn != "AllPets" {
			t.Fatalf("delete = %q, %v", fn, err)
		}
		if gone.IndexOf("AllPets") >= 0 || len(gone.Doc.ParameterMaps) != 0 {
			t.Errorf("after the delete: functions %v, maps %v", gone.Functions(), gone.Doc.ParameterMaps)
		}
		if _, _, err := svc.Endpoint(ctx, orgID, list.EndpointID(li)); !apperr.IsNotFound(err) {
			t.Errorf("the deleted endpoint: got %v, want not found", err)
		}
	})
}

// TestServiceMapEdits: a map is added, changed in place and removed.
func TestServiceMapEdits(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		svc, orgID, in := newService(t, dbURL)
		d, i, err := svc.AddMap(ctx, orgID, in.ID, definition.ParameterMap{Internal: "pet_id", External: "id"})
		if err != nil {
			t.Fatal(err)
		}
		id := d.MapID(i)
		d, i, err = svc.UpdateMap(ctx, orgID, id, definition.ParameterMap{Internal: "animal_id", External: "id", Transform: "trim"})
		if err != nil {
			t.Fatal(err)
		}
		if d.MapID(i) != id || d.Doc.ParameterMaps[i].Internal != "animal_id" {
			t.Errorf("updated map = %d %+v, want id %d and internal animal_id", d.MapID(i), d.Doc.ParameterMaps[i], id)
		}
		_, m, err := svc.DeleteMap(ctx, orgID, id)
		if err != nil || m.Internal != "animal_id" {
			t.Fatalf("delete = %+v, %v", m, err)
		}
		if _, _, err := svc.Map(ctx, orgID, id); !apperr.IsNotFound(err) {
			t.Errorf("the deleted map: got %v, want not found", err)
		}
	})
}

// TestServiceSettingsWriteNothingWhenInvalid: a bad timeout is a field
// error and leaves the document (and its version) as it was.
func TestServiceSettingsWriteNothingWhenInvalid(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		svc, orgID, in := newService(t, dbURL)
		st := registry.Settings{Name: "Renamed", BaseURLProduction: "https://pets.example.com", Timeout: "soon", Enabled: true}
		_, err := svc.UpdateSettings(ctx, orgID, in.ID, st)
		e, ok := apperr.As(err)
		if !ok || e.Code != apperr.CodeValidationFailed || len(e.Fields) != 1 || e.Fields[0].Field != "timeout" {
			t.Fatalf("bad timeout: got %v, want a validation error on timeout", err)
		}
		d, err := svc.Load(ctx, orgID, in.ID)
		if err != nil || d.Doc.Name != "Pets" || d.Integration.Version != in.Version {
			t.Fatalf("after the refused edit: %+v, %v", d, err)
		}
		st.Timeout = "20s"
		if d, err = svc.UpdateSettings(ctx, orgID, in.ID, st); err != nil || d.Doc.Name != "Renamed" || registry.SettingsOf(d.Doc).Timeout != "20s" {
			t.Fatalf("good settings: %v", err)
		}
	})
}

// TestServiceConcurrentEditsAllLand: edits of one document made at the
// same time each run in their own transaction, one after the other, so
// none undoes another.
func TestServiceConcurrentEditsAllLand(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		svc, orgID, in := newService(t, dbURL)
		const n = 8
		var wg sync.WaitGroup
		errs := make([]error, n)
		for k := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _, errs[k] = svc.AddEndpoint(ctx, orgID, in.ID, definition.Endpoint{Function: fmt.Sprintf("F%d", k), Method: "GET", Path: fmt.Sprintf("/f%d", k)})
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		d, err := svc.Load(ctx, orgID, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		for k := range n {
			if d.IndexOf(fmt.Sprintf("F%d", k)) < 0 {
				t.Errorf("F%d is missing: %v", k, d.Functions())
			}
		}
		if got, want := d.Integration.Version, in.Version+n; got != want {
			t.Errorf("version = %d, want %d", got, want)
		}
	})
}

// TestServiceCreateFromCatalog: the catalog entry is required and must
// exist.
func TestServiceCreateFromCatalog(t *testing.T) {
	ctx := context.Background()
	svc, orgID, _ := newService(t, testsupport.SQLiteURL(t))
	for name, entry := range map[string]string{"ErrCatalogRequired": "", "ErrCatalogUnknown": "no-such-system"} {
		t.Run(name, func(t *testing.T) {
			_, err := svc.CreateFromCatalog(ctx, orgID, entry, "", "")
			if e, ok := apperr.As(err); !ok || e.Code != apperr.CodeValidationFailed || e.Fields[0].Field != "catalog" {
				t.Errorf("got %v, want a validation error on catalog", err)
			}
		})
	}
	in, err := svc.CreateFromCatalog(ctx, orgID, "opendental", "od-main", "Main office")
	if err != nil || in.Slug != "od-main" || in.Name != "Main office" || in.Catalog != "opendental" {
		t.Fatalf("from the catalog: %+v, %v", in, err)
	}
}

func TestImportOriginalRegistryNeedsAnIntegration(t *testing.T) {
	svc, orgID, _ := newService(t, testsupport.SQLiteURL(t))
	_, err := svc.Import(t.Context(), orgID, []byte(`{"metadata": {}, "functions": [{"function_name": "A", "endpoint": "/a", "method": "GET"}]}`), "reg.json",
		registry.ImportOptions{Slug: "od", DryRun: true})
	if e, ok := apperr.As(err); !ok || len(e.Fields) != 1 || e.Fields[0].Field != "integration" || !strings.Contains(e.Fields[0].Message, "existing integration") {
		t.Fatalf("err = %v, want the integration named", err)
	}
}
