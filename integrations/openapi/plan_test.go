package openapi

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"switchboard/integrations/definition"
)

func TestPlanForANewIntegration(t *testing.T) {
	src := parseSpec(t, "petstore-oas3.yaml")
	t.Run("slug and name come from the title when not given", func(t *testing.T) {
		plan, err := NewPlan(nil, src, ModeMerge, "", "")
		if err != nil {
			t.Fatalf("NewPlan: %v", err)
		}
		d := plan.Result
		if d.Slug != "swagger-petstore-openapi-3-0" || d.Name != "Swagger Petstore - OpenAPI 3.0" {
			t.Errorf("got slug %q name %q", d.Slug, d.Name)
		}
		if !plan.New || len(plan.Added) != 19 || len(plan.Changed)+len(plan.Removed)+len(plan.Unchanged) != 0 {
			t.Errorf("got new=%v added %d changed %d removed %d unchanged %d, want 19 added only",
				plan.New, len(plan.Added), len(plan.Changed), len(plan.Removed), len(plan.Unchanged))
		}
		if d.BaseURL["production"] != "https://petstore3.swagger.io/api/v3" || d.Auth.Type != "api_key" ||
			!reflect.DeepEqual(d.CredentialNames(), []string{"api_key"}) {
			t.Errorf("got base URL %v auth %+v fields %v", d.BaseURL, d.Auth, d.CredentialFields)
		}
		if _, err := definition.Compile(d); err != nil {
			t.Errorf("the result does not compile: %v", err)
		}
	})
	t.Run("given slug and name win", func(t *testing.T) {
		plan, err := NewPlan(nil, src, ModeReplace, "pets", "Pets")
		if err != nil {
			t.Fatalf("NewPlan: %v", err)
		}
		if plan.Result.Slug != "pets" || plan.Result.Name != "Pets" {
			t.Errorf("got slug %q name %q", plan.Result.Slug, plan.Result.Name)
		}
	})
	t.Run("a source without an absolute base URL gives the validation error", func(t *testing.T) {
		relative := *src
		relative.BaseURL = "/api/v3"
		plan, err := NewPlan(nil, &relative, ModeMerge, "pets", "Pets")
		var ve *definition.ValidationError
		if !errors.As(err, &ve) || !strings.Contains(err.Error(), "base_url.production") {
			t.Fatalf("got %v, want a validation error naming base_url.production", err)
		}
		if plan == nil || len(plan.Added) != 19 {
			t.Errorf("got plan %+v, want the attempted plan for the preview", plan)
		}
	})
	t.Run("the source is not changed", func(t *testing.T) {
		before := src.Endpoints[0].Params[0].Name
		plan, _ := NewPlan(nil, src, ModeMerge, "", "")
		plan.Result.Endpoints[0].Params[0].Name = "changed"
		if src.Endpoints[0].Params[0].Name != before {
			t.Error("the plan shares memory with the source")
		}
	})
}

func TestPlanMerge(t *testing.T) {
	src := parseSpec(t, "petstore-oas3.yaml")
	current := existingDoc(t)
	plan, err := NewPlan(current, src, ModeMerge, "ignored", "Ignored")
	if err != nil {
		t.Fatalf("NewPlan: %v", err)
	}
	t.Run("new functions are added after the existing ones", func(t *testing.T) {
		if len(plan.Added) != 18 || slices.Contains(changeNames(plan.Added), "getPetById") {
			t.Errorf("got added %v, want the 18 petstore functions other than getPetById", changeNames(plan.Added))
		}
		got := functions(plan.Result.Endpoints)
		if len(got) != 20 || got[0] != "getPetById" || got[1] != "Ping" || got[2] != "updatePet" {
			t.Errorf("got endpoints %v", got)
		}
	})
	t.Run("the hand-edited endpoint is kept and reported as changed", func(t *testing.T) {
		if len(plan.Changed) != 1 || plan.Changed[0].Function != "getPetById" {
			t.Fatalf("got changed %+v", plan.Changed)
		}
		if fields := plan.Changed[0].Fields; !reflect.DeepEqual(fields, []string{"description", "tags"}) {
			t.Errorf("got fields %v, want description and tags (extract is not set by the import)", fields)
		}
		e, _ := plan.Result.Endpoint("getPetById")
		if e.Description != "Fetch one pet (edited by hand)" || e.Extract != "data" {
			t.Errorf("got %+v, want the hand edits kept", e)
		}
	})
	t.Run("nothing is removed and the settings stay", func(t *testing.T) {
		if len(plan.Removed) != 0 || len(plan.Dropped) != 0 {
			t.Errorf("got removed %v dropped %v", plan.Removed, plan.Dropped)
		}
		d := plan.Result
		if d.Slug != "petstore" || d.TestFunction != "Ping" || len(d.ParameterMaps) != 3 || d.Sync["patient"] == nil {
			t.Errorf("got %+v, want the integration's settings kept", d)
		}
	})
	t.Run("importing the same document again changes nothing", func(t *testing.T) {
		again, err := NewPlan(plan.Result, src, ModeMerge, "", "")
		if err != nil {
			t.Fatalf("NewPlan: %v", err)
		}
		if len(again.Added) != 0 || len(again.Unchanged) != 18 || len(again.Changed) != 1 {
			t.Errorf("got added %d unchanged %d changed %d, want 0, 18, 1", len(again.Added), len(again.Unchanged), len(again.Changed))
		}
	})
	t.Run("the current document is not changed", func(t *testing.T) {
		if len(current.Endpoints) != 2 {
			t.Errorf("got %d endpoints in the current document, want 2", len(current.Endpoints))
		}
	})
}

func TestPlanReplace(t *testing.T) {
	src := parseSpec(t, "petstore-oas3.yaml")
	plan, err := NewPlan(existingDoc(t), src, ModeReplace, "", "")
	if err != nil {
		t.Fatalf("NewPlan: %v", err)
	}
	t.Run("the endpoints are exactly the source's", func(t *testing.T) {
		if !reflect.DeepEqual(functions(plan.Result.Endpoints), functions(src.Endpoints)) {
			t.Errorf("got %v", functions(plan.Result.Endpoints))
		}
		if len(plan.Added) != 18 {
			t.Errorf("got %d added, want 18", len(plan.Added))
		}
		e, _ := plan.Result.Endpoint("getPetById")
		if e.Extract != "" || e.Description == "Fetch one pet (edited by hand)" {
			t.Errorf("got %+v, want the imported form", e)
		}
	})
	t.Run("differences are listed field by field", func(t *testing.T) {
		if len(plan.Changed) != 1 || !reflect.DeepEqual(plan.Changed[0].Fields, []string{"description", "tags", "extract"}) {
			t.Errorf("got changed %+v", plan.Changed)
		}
	})
	t.Run("functions only in the integration are removed with what points at them", func(t *testing.T) {
		if got := changeNames(plan.Removed); !reflect.DeepEqual(got, []string{"Ping"}) {
			t.Errorf("got removed %v, want Ping", got)
		}
		want := []string{
			"parameter map ping → p of the removed function Ping",
			"test_function Ping (removed)",
			"sync.patient.list_changed Ping (removed)",
			"sync.patient.bookmark_param since (no longer a parameter of list_changed)",
		}
		if !reflect.DeepEqual(plan.Dropped, want) {
			t.Errorf("got dropped %q, want %q", plan.Dropped, want)
		}
		d := plan.Result
		if d.TestFunction != "" || len(d.ParameterMaps) != 2 || d.Sync["patient"].Get != "getPetById" || d.Sync["patient"].ListChanged != "" {
			t.Errorf("got test_function %q maps %v sync %+v", d.TestFunction, d.ParameterMaps, d.Sync["patient"])
		}
	})
	t.Run("a sync entity left without functions is dropped", func(t *testing.T) {
		only := src.Filter(Filter{Tags: []string{"store"}})
		p, err := NewPlan(existingDoc(t), only, ModeReplace, "", "")
		if err != nil {
			t.Fatalf("NewPlan: %v", err)
		}
		if p.Result.Sync["patient"] != nil || !slices.Contains(p.Dropped, "sync.patient (no functions left)") {
			t.Errorf("got sync %v dropped %q", p.Result.Sync, p.Dropped)
		}
	})
}

func TestPlanRefusesAnUnknownMode(t *testing.T) {
	if _, err := NewPlan(nil, &Source{}, "upsert", "", ""); err == nil || !strings.Contains(err.Error(), "upsert") {
		t.Errorf("got %v, want an error naming the mode", err)
	}
	if _, err := NewPlan(nil, nil, ModeMerge, "", ""); err == nil {
		t.Error("got no error for a nil source")
	}
}

func TestFilter(t *testing.T) {
	src := parseSpec(t, "petstore-oas3.yaml")
	tests := []struct {
		name   string
		filter Filter
		want   int
		first  string
	}{
		{"NoFilterKeepsAll", Filter{}, 19, "updatePet"},
		{"ByTag", Filter{Tags: []string{"store"}}, 4, "getInventory"},
		{"ByTagIgnoringCase", Filter{Tags: []string{"STORE", "nothing"}}, 4, "getInventory"},
		{"ByPathPrefix", Filter{PathPrefix: "/user"}, 7, "createUser"},
		{"ByPathPrefixSegmentWise", Filter{PathPrefix: "/pe"}, 0, ""},
		{"ByPathPrefixWithSlash", Filter{PathPrefix: "/pet/"}, 6, "findPetsByStatus"},
		{"ByTagAndPrefix", Filter{Tags: []string{"pet"}, PathPrefix: "/pet/{petId}"}, 4, "getPetById"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := src.Filter(tt.filter)
			if len(got.Endpoints) != tt.want {
				t.Fatalf("got %d endpoints %v, want %d", len(got.Endpoints), functions(got.Endpoints), tt.want)
			}
			if tt.want > 0 && got.Endpoints[0].Function != tt.first {
				t.Errorf("got first %s, want %s", got.Endpoints[0].Function, tt.first)
			}
		})
	}
	if len(src.Endpoints) != 19 {
		t.Errorf("Filter changed the source: %d endpoints", len(src.Endpoints))
	}
}
