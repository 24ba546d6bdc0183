package openapi

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"switchboard/integrations/definition"
)

// registryOf writes n endpoints as a registry array, the form a large
// hand-kept registry (337 Open Dental functions) is kept in.
func registryOf(n int) []byte {
	var endpoints []map[string]any
	for i := 0; i < n; i++ {
		e := map[string]any{
			"function":    fmt.Sprintf("OdFunction%03d", i),
			"method":      []string{"GET", "POST", "PUT", "DELETE"}[i%4],
			"path":        fmt.Sprintf("/resource%d/{Num}", i),
			"description": fmt.Sprintf("Function %d", i),
			"params": []map[string]any{
				{"name": "Num", "in": "path", "type": "integer", "required": true},
				{"name": "Note", "type": "string", "default": "x"},
			},
		}
		if i%4 != 0 {
			e["writes"] = true
		}
		endpoints = append(endpoints, e)
	}
	b, _ := json.MarshalIndent(endpoints, "", "  ")
	return b
}

func TestRegistryImport(t *testing.T) {
	t.Run("a 337-endpoint registry array imports whole", func(t *testing.T) {
		src, err := Parse(registryOf(337), "opendental-registry.json")
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		if src.Format != "registry" || len(src.Endpoints) != 337 {
			t.Fatalf("got format %q with %d endpoints, want registry with 337", src.Format, len(src.Endpoints))
		}
		e := src.Endpoints[335]
		if e.Function != "OdFunction335" || e.Method != "DELETE" || e.Params[1].Default != "x" || !e.Writes {
			t.Errorf("got endpoint 335 %+v, want OdFunction335, a DELETE that writes", e)
		}
		plan, err := NewPlan(existingDoc(t), src, ModeMerge, "", "")
		if err != nil {
			t.Fatalf("NewPlan: %v", err)
		}
		if len(plan.Added) != 337 || len(plan.Result.Endpoints) != 337+2 {
			t.Errorf("got %d added and %d endpoints, want 337 and 339", len(plan.Added), len(plan.Result.Endpoints))
		}
	})
	t.Run("ParseRegistry reads YAML too", func(t *testing.T) {
		src, err := ParseRegistry([]byte("- function: ListThings\n  method: get\n  path: /things\n  params: [{name: q}]\n"), "things.yaml")
		if err != nil {
			t.Fatalf("ParseRegistry: %v", err)
		}
		if len(src.Endpoints) != 1 || src.Endpoints[0].Function != "ListThings" {
			t.Errorf("got %+v", src.Endpoints)
		}
	})
	t.Run("an endpoints object carries base URL and auth along", func(t *testing.T) {
		doc := `{"slug": "od", "name": "Open Dental", "base_url": {"production": "https://api.example.com/v1"},
"auth": {"type": "api_key", "header": "Authorization", "template": "ODFHIR {{developer_key}}/{{customer_key}}"},
"credential_fields": ["developer_key", "customer_key"], "timeout": "15s",
"endpoints": [{"function": "GetPatient", "method": "GET", "path": "/patients/{PatNum}",
  "headers": {"X-Key": "{{customer_key}}"}, "params": [{"name": "PatNum", "type": "integer"}]}]}`
		src, err := Parse([]byte(doc), "od.json")
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		if src.Title != "Open Dental" || src.BaseURL != "https://api.example.com/v1" || src.Auth == nil || src.Auth.Type != "api_key" {
			t.Errorf("got title %q base %q auth %+v", src.Title, src.BaseURL, src.Auth)
		}
		if !hasWarning(src, "timeout") {
			t.Errorf("got warnings %q, want one naming the settings left behind", src.Warnings)
		}
		plan, err := NewPlan(nil, src, ModeMerge, "od", "")
		if err != nil {
			t.Fatalf("NewPlan: %v", err)
		}
		if plan.Result.Auth.Template != "ODFHIR {{developer_key}}/{{customer_key}}" {
			t.Errorf("got auth %+v", plan.Result.Auth)
		}
	})
}

func TestRegistryIsStrict(t *testing.T) {
	endpoints := registryOf(13)
	bad := strings.Replace(string(endpoints), `"function": "OdFunction012",`, `"function": "OdFunction012", "parms": [],`, 1)
	tests := []struct {
		name, file, doc string
		pointer         string
		reason          string
	}{
		{"UnknownFieldInAnArray", "reg.json", bad, "/12/parms", "[12].parms: unknown field"},
		{"UnknownFieldInAnObject", "reg.json", `{"endpoints": [{"function": "A", "method": "GET", "path": "/a", "params": [{"name": "x", "typ": "string"}]}]}`,
			"/endpoints/0/params/0/typ", "endpoints[0].params[0].typ: unknown field"},
		{"WrongKind", "reg.yaml", "- function: A\n  method: GET\n  path: /a\n  writes: maybe\n", "/0/writes", "[0].writes: must be true or false, not a string"},
		{"BadMethod", "reg.json", `[{"function": "A", "method": "FETCH", "path": "/a"}]`, "/0/method", "[0].method: must be one of"},
		{"DuplicateFunction", "reg.json", `[{"function": "A", "method": "GET", "path": "/a"}, {"function": "A", "method": "GET", "path": "/b"}]`,
			"/1/function", `[1].function: duplicate function "A"`},
		{"UndeclaredPathParameter", "reg.json", `[{"function": "A", "method": "GET", "path": "/a/{id}"}]`, "/0/path", "[0].path: {id} is not a declared path parameter"},
		{"NotARegistry", "reg.json", `{"things": []}`, "", "not an OpenAPI 3, Swagger 2.0 or registry document"},
		{"ParseRegistryOnAnObjectWithoutEndpoints", "reg.json", `{"openapi": "3.0.0"}`, "", "a registry is an array"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parse := Parse
			if strings.HasPrefix(tt.name, "ParseRegistry") {
				parse = ParseRegistry
			}
			_, err := parse([]byte(tt.doc), tt.file)
			if err == nil {
				t.Fatal("got no error")
			}
			e := asImportError(t, err, tt.file)
			if e.Pointer != tt.pointer {
				t.Errorf("got pointer %q, want %q (%v)", e.Pointer, tt.pointer, e)
			}
			if !strings.HasPrefix(e.Reason, tt.reason) {
				t.Errorf("got reason %q, want it to start with %q", e.Reason, tt.reason)
			}
			if tt.pointer != "" && e.Line == 0 {
				t.Errorf("got no line for %v", e)
			}
		})
	}
}

// existingDoc is a small valid integration with a hand-kept endpoint, a
// map and a sync entry.
func existingDoc(tb testing.TB) *definition.Document {
	tb.Helper()
	doc, err := definition.ParseYAML([]byte(`slug: petstore
name: Petstore
base_url: {production: "https://petstore3.swagger.io/api/v3"}
auth: {type: api_key, header: api_key, template: "{{api_key}}"}
credential_fields: [api_key]
test_function: Ping
endpoints:
  - function: getPetById
    method: GET
    path: /pet/{petId}
    description: Fetch one pet (edited by hand)
    extract: data
    params: [{name: petId, in: path, type: integer, required: true, description: ID of pet to return}]
  - function: Ping
    method: GET
    path: /ping
parameter_maps:
  - {internal: pet_id, external: petId, endpoint: getPetById}
  - {internal: ping, external: p, endpoint: Ping}
  - {internal: note, external: Note}
sync:
  patient: {get: getPetById, list_changed: Ping, bookmark_param: since}
`))
	if err != nil {
		tb.Fatal(err)
	}
	// Ping needs the bookmark parameter for the document to be valid.
	doc.Endpoints[1].Params = []definition.Param{{Name: "since"}}
	if _, err := definition.Compile(doc); err != nil {
		tb.Fatalf("the fixture is invalid: %v", err)
	}
	return doc
}
