package openapi

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"switchboard/integrations/definition"
)

func TestEverySpecFileImports(t *testing.T) {
	readSpec(t, "petstore-oas3.yaml") // fails when the directory is missing
	entries, err := os.ReadDir(specDir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"petstore-oas3.yaml": 19, "petstore-swagger2.json": 3, "uber-swagger2.yaml": 5, "opendental-oas3.yml": 68}
	seen := 0
	for _, entry := range entries {
		name := entry.Name()
		if entry.IsDir() || strings.EqualFold(name, "README.md") {
			continue
		}
		seen++
		t.Run(name, func(t *testing.T) {
			data := readSpec(t, name)
			src, err := Parse(data, name)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			ops := walkOperations(t, data)
			if got := len(src.Endpoints); got != len(ops) {
				t.Errorf("got %d endpoints, want %d (one per operation)", got, len(ops))
			}
			if n, ok := want[name]; ok && len(src.Endpoints) != n {
				t.Errorf("got %d endpoints, want %d", len(src.Endpoints), n)
			}
			checkNames(t, src.Endpoints)
			checkRoutes(t, src.Endpoints, ops)
			plan, err := NewPlan(nil, src, ModeMerge, "", "")
			if err != nil {
				t.Fatalf("NewPlan for a new integration: %v", err)
			}
			if _, err := definition.Compile(plan.Result); err != nil {
				t.Errorf("the new integration does not compile: %v", err)
			}
		})
	}
	if seen < len(want) {
		t.Errorf("found %d spec files, want at least %d", seen, len(want))
	}
}

// checkRoutes checks that the endpoints are exactly the operations, with
// the operationId as function name where there is one.
func checkRoutes(t *testing.T, endpoints []definition.Endpoint, ops []specOperation) {
	t.Helper()
	byRoute := map[string]definition.Endpoint{}
	for _, e := range endpoints {
		byRoute[e.Method+" "+e.Path] = e
	}
	for _, op := range ops {
		e, ok := byRoute[op.Method+" "+op.Path]
		switch {
		case !ok:
			t.Errorf("operation %s %s was not imported", op.Method, op.Path)
		case op.OperationID != "" && e.Function != op.OperationID:
			t.Errorf("%s %s: got function %q, want the operationId %q", op.Method, op.Path, e.Function, op.OperationID)
		}
		if wantWrites := slices.Contains([]string{"POST", "PUT", "PATCH", "DELETE"}, op.Method); ok && e.Writes != wantWrites {
			t.Errorf("%s %s: got writes %v, want %v", op.Method, op.Path, e.Writes, wantWrites)
		}
	}
}

func TestPetstoreOAS3(t *testing.T) {
	data := readSpec(t, "petstore-oas3.yaml")
	src := parseSpec(t, "petstore-oas3.yaml")

	t.Run("every operationId becomes a function, in document order", func(t *testing.T) {
		var want []string
		for _, op := range walkOperations(t, data) {
			want = append(want, op.OperationID)
		}
		got := functions(src.Endpoints)
		if len(got) != 19 {
			t.Fatalf("got %d endpoints, want 19", len(got))
		}
		if !reflect.DeepEqual(sorted(got), sorted(want)) {
			t.Errorf("got functions %v, want %v", sorted(got), sorted(want))
		}
		if got[0] != "updatePet" || got[1] != "addPet" || got[18] != "deleteUser" {
			t.Errorf("got order %v, want the document's (updatePet, addPet, ... deleteUser)", got)
		}
	})
	t.Run("the base URL comes from servers", func(t *testing.T) {
		if src.BaseURL != "https://petstore3.swagger.io/api/v3" {
			t.Errorf("got base URL %q", src.BaseURL)
		}
		if src.Format != "openapi 3.0.4" || src.Title != "Swagger Petstore - OpenAPI 3.0" {
			t.Errorf("got format %q title %q", src.Format, src.Title)
		}
	})
	t.Run("findPetsByStatus has the status query with default and enum", func(t *testing.T) {
		e := endpointByFunction(t, src, "findPetsByStatus")
		if e.Method != "GET" || e.Path != "/pet/findByStatus" || e.Writes {
			t.Errorf("got %s %s writes=%v", e.Method, e.Path, e.Writes)
		}
		p := paramByName(t, e, "status")
		want := definition.Param{Name: "status", In: "query", Type: "string", Default: "available",
			Description: "Status values that need to be considered for filter", Enum: []any{"available", "pending", "sold"}}
		if !reflect.DeepEqual(p, want) {
			t.Errorf("got %+v, want %+v", p, want)
		}
		if !slices.Contains(e.Tags, "pet") {
			t.Errorf("got tags %v, want pet", e.Tags)
		}
	})
	t.Run("updatePetWithForm has the integer path petId and the name and status queries", func(t *testing.T) {
		e := endpointByFunction(t, src, "updatePetWithForm")
		if got := paramNames(e); !reflect.DeepEqual(got, []string{"petId", "name", "status"}) {
			t.Errorf("got params %v", got)
		}
		if p := paramByName(t, e, "petId"); p.In != "path" || p.Type != "integer" || !p.Required {
			t.Errorf("got petId %+v, want a required integer path parameter", p)
		}
		for _, name := range []string{"name", "status"} {
			if p := paramByName(t, e, name); p.In != "query" || p.Type != "string" || p.Required {
				t.Errorf("got %s %+v, want an optional string query parameter", name, p)
			}
		}
		if !e.Writes {
			t.Error("got writes false for a POST")
		}
	})
	t.Run("addPet takes the properties of the $ref'd Pet schema as body parameters", func(t *testing.T) {
		e := endpointByFunction(t, src, "addPet")
		if got := paramNames(e); !reflect.DeepEqual(got, []string{"id", "name", "category", "photoUrls", "tags", "status"}) {
			t.Errorf("got params %v, want Pet's properties in document order", got)
		}
		types := map[string]string{"id": "integer", "name": "string", "category": "object", "photoUrls": "array", "tags": "array", "status": "string"}
		for _, p := range e.Params {
			wantRequired := p.Name == "name" || p.Name == "photoUrls"
			if p.In != "body" || p.Type != types[p.Name] || p.Required != wantRequired {
				t.Errorf("got %+v, want in body, type %s, required %v", p, types[p.Name], wantRequired)
			}
		}
	})
	t.Run("deletePet keeps its header parameter", func(t *testing.T) {
		p := paramByName(t, endpointByFunction(t, src, "deletePet"), "api_key")
		if p.In != "header" || p.Type != "string" {
			t.Errorf("got %+v", p)
		}
	})
	t.Run("the api_key scheme is suggested, the implicit OAuth2 flow is reported", func(t *testing.T) {
		want := &definition.Auth{Type: "api_key", Header: "api_key", Template: "{{api_key}}"}
		if !reflect.DeepEqual(src.Auth, want) || !reflect.DeepEqual(src.CredentialFields, []string{"api_key"}) {
			t.Errorf("got auth %+v fields %v", src.Auth, src.CredentialFields)
		}
		if !hasWarning(src, `"petstore_auth" is not used`) {
			t.Errorf("got warnings %q, want one about petstore_auth", src.Warnings)
		}
	})
	t.Run("bodies that are not JSON objects are reported", func(t *testing.T) {
		for _, fn := range []string{"uploadFile", "createUsersWithListInput"} {
			if !hasWarning(src, fn+": the request body") {
				t.Errorf("got warnings %q, want one about %s", src.Warnings, fn)
			}
		}
	})
}

func TestPetstoreSwagger2(t *testing.T) {
	src := parseSpec(t, "petstore-swagger2.json")
	if got := functions(src.Endpoints); !reflect.DeepEqual(got, []string{"listPets", "createPets", "showPetById"}) {
		t.Errorf("got functions %v", got)
	}
	if src.BaseURL != "http://petstore.swagger.io/v1" {
		t.Errorf("got base URL %q, want scheme://host+basePath", src.BaseURL)
	}
	if src.Format != "swagger 2.0" {
		t.Errorf("got format %q", src.Format)
	}
	limit := paramByName(t, endpointByFunction(t, src, "listPets"), "limit")
	if limit.In != "query" || limit.Type != "integer" || limit.Required {
		t.Errorf("got limit %+v", limit)
	}
	petID := paramByName(t, endpointByFunction(t, src, "showPetById"), "petId")
	if petID.In != "path" || petID.Type != "string" || !petID.Required {
		t.Errorf("got petId %+v", petID)
	}
	if src.Auth != nil {
		t.Errorf("got auth %+v, want none (the document declares no security)", src.Auth)
	}
}

func TestUberSwagger2(t *testing.T) {
	src := parseSpec(t, "uber-swagger2.yaml")
	want := []string{"GetProducts", "GetEstimatesPrice", "GetEstimatesTime", "GetMe", "GetHistory"}
	if got := functions(src.Endpoints); !reflect.DeepEqual(got, want) {
		t.Errorf("got generated functions %v, want %v", got, want)
	}
	checkNames(t, src.Endpoints)
	if src.BaseURL != "https://api.uber.com/v1" {
		t.Errorf("got base URL %q", src.BaseURL)
	}
	wantAuth := &definition.Auth{Type: "api_key", QueryParam: "server_token", Template: "{{api_key}}"}
	if !reflect.DeepEqual(src.Auth, wantAuth) || !reflect.DeepEqual(src.CredentialFields, []string{"api_key"}) {
		t.Errorf("got auth %+v fields %v, want %+v", src.Auth, src.CredentialFields, wantAuth)
	}
	lat := paramByName(t, endpointByFunction(t, src, "GetProducts"), "latitude")
	if lat.In != "query" || lat.Type != "number" || !lat.Required || lat.Description != "Latitude component of location." {
		t.Errorf("got latitude %+v", lat)
	}
}

func TestOpenDentalOAS3(t *testing.T) {
	data := readSpec(t, "opendental-oas3.yml")
	src := parseSpec(t, "opendental-oas3.yml")
	if len(src.Endpoints) != 68 || len(walkOperations(t, data)) != 68 {
		t.Fatalf("got %d endpoints, want 68", len(src.Endpoints))
	}
	checkNames(t, src.Endpoints)
	t.Run("generated names read as method and path", func(t *testing.T) {
		for fn, route := range map[string]string{
			"GetPatientsByPatNum":                "GET /patients/{PatNum}",
			"GetPatientsSimple":                  "GET /patients/Simple",
			"PostPatients":                       "POST /patients",
			"PutAppointmentsBreakByAptNum":       "PUT /appointments/{AptNum}/Break",
			"PutProcedurelogsGroupNoteByProcNum": "PUT /procedurelogs/{ProcNum}/GroupNote",
		} {
			if e := endpointByFunction(t, src, fn); e.Method+" "+e.Path != route {
				t.Errorf("%s is %s %s, want %s", fn, e.Method, e.Path, route)
			}
		}
	})
	t.Run("$ref'd components.parameters are resolved", func(t *testing.T) {
		p := paramByName(t, endpointByFunction(t, src, "GetPatientsByPatNum"), "PatNum")
		want := definition.Param{Name: "PatNum", In: "path", Type: "integer", Required: true, Description: "Primary key of the patient."}
		if !reflect.DeepEqual(p, want) {
			t.Errorf("got %+v, want %+v", p, want)
		}
		offset := paramByName(t, endpointByFunction(t, src, "GetPatientsSimple"), "Offset")
		if offset.In != "query" || offset.Type != "integer" || offset.Default != json.Number("0") {
			t.Errorf("got Offset %+v, want an integer query with default 0", offset)
		}
	})
	t.Run("the apiKey header scheme is suggested", func(t *testing.T) {
		want := &definition.Auth{Type: "api_key", Header: "Authorization", Template: "{{api_key}}"}
		if !reflect.DeepEqual(src.Auth, want) {
			t.Errorf("got auth %+v", src.Auth)
		}
		if src.BaseURL != "https://api.opendental.com/api/v1" {
			t.Errorf("got base URL %q", src.BaseURL)
		}
	})
	t.Run("free-form bodies are reported once", func(t *testing.T) {
		if !hasWarning(src, "free-form JSON") {
			t.Errorf("got warnings %q", src.Warnings)
		}
	})
}

// hasWarning reports whether a warning contains part.
func hasWarning(src *Source, part string) bool {
	return slices.ContainsFunc(src.Warnings, func(w string) bool { return strings.Contains(w, part) })
}

// sorted returns a sorted copy.
func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}
