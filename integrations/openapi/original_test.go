package openapi

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"switchboard/integrations/definition"
	"switchboard/integrations/openapi/openapitest"
)

// readRegistrySample reads the shared sample in the original shape.
func readRegistrySample(tb testing.TB) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(specDir, "..", "registry", "unified-registry-sample.json"))
	if err != nil {
		tb.Fatalf("the shared registry sample is missing (%v): check shared/testdata/registry out beside the repository", err)
	}
	return b
}

func endpointNamed(tb testing.TB, src *Source, fn string) definition.Endpoint {
	tb.Helper()
	for _, e := range src.Endpoints {
		if e.Function == fn {
			return e
		}
	}
	tb.Fatalf("no endpoint %s among %v", fn, functions(src.Endpoints))
	return definition.Endpoint{}
}

func paramIn(e definition.Endpoint, name string) (definition.Param, bool) {
	for _, p := range e.Params {
		if p.Name == name {
			return p, true
		}
	}
	return definition.Param{}, false
}

func TestOriginalRegistrySample(t *testing.T) {
	for _, parse := range []struct {
		name string
		fn   func([]byte, string) (*Source, error)
	}{{"Parse", Parse}, {"ParseRegistry", ParseRegistry}} {
		t.Run(parse.name, func(t *testing.T) {
			src, err := parse.fn(readRegistrySample(t), "unified-registry-sample.json")
			if err != nil {
				t.Fatalf("%s: %v", parse.name, err)
			}
			if src.Format != FormatOriginal || len(src.Endpoints) != 8 {
				t.Fatalf("got %q with %d endpoints, want %q with 8", src.Format, len(src.Endpoints), FormatOriginal)
			}
			create := endpointNamed(t, src, "CreateAppointment")
			if p, _ := paramIn(create, "PatNum"); p.In != definition.InBody || p.Type != "number" || !p.Required {
				t.Errorf("CreateAppointment PatNum = %+v, want a required number in the body", p)
			}
			slots := endpointNamed(t, src, "GetAppointmentSlots")
			if p, _ := paramIn(slots, "dateStart"); p.In != definition.InQuery || slots.Writes {
				t.Errorf("GetAppointmentSlots dateStart = %+v (writes %v), want a query parameter of a reading function", p, slots.Writes)
			}
			brk := endpointNamed(t, src, "BreakAppointment")
			if p, _ := paramIn(brk, "AptNum"); p.In != definition.InPath || !p.Required || brk.Method != "PUT" || !brk.Writes {
				t.Errorf("BreakAppointment = %+v, want PUT writing with the path parameter AptNum", brk)
			}
			del := endpointNamed(t, src, "DeleteRecall")
			if p, _ := paramIn(del, "RecallNum"); p.In != definition.InPath {
				t.Errorf("DeleteRecall RecallNum in %q, want path", p.In)
			}
		})
	}
}

func TestOriginalRegistryTrimsTheBasePath(t *testing.T) {
	src, err := Parse(readRegistrySample(t), "unified-registry-sample.json")
	if err != nil {
		t.Fatal(err)
	}
	src.TrimBasePath("https://api.opendental.com/api/v1")
	if got := endpointNamed(t, src, "GetPatients").Path; got != "/patients" {
		t.Errorf("GetPatients path %q, want /patients (the base URL has /api)", got)
	}
	if got := endpointNamed(t, src, "GetAppointmentSlots").Path; got != "/appointments/Slots" {
		t.Errorf("GetAppointmentSlots path %q, want it untouched", got)
	}
	if !slices.ContainsFunc(src.Normalized, func(s string) bool { return strings.Contains(s, "leading /api of 4 endpoints was dropped") }) {
		t.Errorf("got normalized %q, want the /api prefix of 4 endpoints named", src.Normalized)
	}
	src.TrimBasePath("https://api.opendental.com/api/v1")
	if got := endpointNamed(t, src, "GetPatients").Path; got != "/patients" {
		t.Errorf("a second trim changed GetPatients to %q", got)
	}
}

func TestOriginalRegistryGenerated340(t *testing.T) {
	src, err := Parse(openapitest.OriginalRegistry(340), "unified_registry.json")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(src.Endpoints) != 340 {
		t.Fatalf("got %d endpoints, want 340", len(src.Endpoints))
	}
	if !slices.ContainsFunc(src.Warnings, func(s string) bool { return strings.Contains(s, "defaults") }) {
		t.Errorf("got warnings %q, want the unread part defaults named", src.Warnings)
	}
	types := map[string]bool{}
	for _, e := range src.Endpoints {
		p, _ := paramIn(e, "Field"+strings.TrimPrefix(e.Function, "OdFunction"))
		types[p.Type] = true
	}
	for _, want := range []string{"number", "string", "boolean", "integer", "array", "object"} {
		if !types[want] {
			t.Errorf("type %s was not kept (got %v)", want, types)
		}
	}
	src.TrimBasePath("https://api.opendental.com/api/v1")
	if !slices.ContainsFunc(src.Normalized, func(s string) bool { return strings.Contains(s, "leading /api/v1 of 68 endpoints") }) {
		t.Errorf("got normalized %q, want /api/v1 dropped from 68 endpoints", src.Normalized)
	}
	plan, err := NewPlan(existingDoc(t), src, ModeMerge, "", "")
	if err != nil {
		t.Fatalf("NewPlan: %v", err)
	}
	if len(plan.Added) != 340 || len(plan.Normalized) == 0 {
		t.Errorf("got %d added and normalized %q, want 340 and the notes", len(plan.Added), plan.Normalized)
	}
}

func TestOriginalRegistryNormalizesAndReportsDuplicates(t *testing.T) {
	doc := `{"metadata": {}, "functions": [
	  {"function_name": "GetThing", "endpoint": "things/{ThingNum}", "method": "get", "parameters": {"Odd": {"required": false}}},
	  {"function_name": "GetThing", "endpoint": "/things", "method": "GET", "parameters": {}}]}`
	src, err := Parse([]byte(doc), "reg.json")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if got := functions(src.Endpoints); !slices.Equal(got, []string{"GetThing", "GetThing_2"}) {
		t.Errorf("got functions %v, want GetThing and GetThing_2", got)
	}
	if len(src.Duplicates) != 1 || !strings.Contains(src.Duplicates[0], "imported as GetThing_2") {
		t.Errorf("got duplicates %q", src.Duplicates)
	}
	e := src.Endpoints[0]
	if p, ok := paramIn(e, "ThingNum"); !ok || p.In != definition.InPath || !p.Required || e.Path != "/things/{ThingNum}" {
		t.Errorf("got %+v, want the path parameter ThingNum added and the leading / put back", e)
	}
	for _, want := range []string{"1 methods were upper-cased", "1 endpoints were given a leading /", "1 path parameters", "1 parameters without a known type"} {
		if !slices.ContainsFunc(src.Normalized, func(s string) bool { return strings.HasPrefix(s, want) }) {
			t.Errorf("normalized %q lacks %q", src.Normalized, want)
		}
	}
}

func TestOriginalRegistryErrors(t *testing.T) {
	tests := []struct{ name, doc, pointer, reason string }{
		{"NoName", `{"functions": [{"endpoint": "/a", "method": "GET"}]}`, "/functions/0/function_name", "function_name is required"},
		{"BadMethod", `{"functions": [{"function_name": "A", "endpoint": "/a", "method": "FETCH"}]}`, "/functions/0/method", "A: method must be"},
		{"NoEndpoint", `{"functions": [{"function_name": "A", "method": "GET"}]}`, "/functions/0/endpoint", "A: endpoint is required"},
		{"ParametersAList", `{"functions": [{"function_name": "A", "endpoint": "/a", "method": "GET", "parameters": []}]}`, "/functions/0/parameters", "parameters is an object"},
		{"RequiredNotBool", `{"functions": [{"function_name": "A", "endpoint": "/a", "method": "GET", "parameters": {"x": {"required": "yes"}}}]}`,
			"/functions/0/parameters/x/required", "required is true or false"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.doc), "reg.json")
			if err == nil {
				t.Fatal("got no error")
			}
			e := asImportError(t, err, "reg.json")
			if e.Pointer != tt.pointer || !strings.HasPrefix(e.Reason, tt.reason) {
				t.Errorf("got %q at %q, want %q at %q", e.Reason, e.Pointer, tt.reason, tt.pointer)
			}
		})
	}
}
