package tools

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"switchboard/integrations/catalog"
	"switchboard/integrations/definition"
)

func compiled(t *testing.T, slug string) *definition.Compiled {
	t.Helper()
	e, err := catalog.Get(slug)
	if err != nil {
		t.Fatal(err)
	}
	c, err := definition.Compile(e.Doc)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func find(t *testing.T, fns []Function, name string) Function {
	t.Helper()
	for _, f := range fns {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("no function %s", name)
	return Function{}
}

func prop(t *testing.T, f Function, name string) map[string]any {
	t.Helper()
	p, ok := f.Parameters["properties"].(map[string]any)[name].(map[string]any)
	if !ok {
		t.Fatalf("%s has no property %s: %v", f.Name, name, f.Parameters)
	}
	return p
}

// TestOpenDentalToolsTellTheTruth: the catalog's Open Dental
// CreateAppointment describes what the executor takes after its parameter
// maps — duration_minutes an integer (not Open Dental's X-pattern string),
// start a date-time in practice time, status the local names.
func TestOpenDentalToolsTellTheTruth(t *testing.T) {
	f := find(t, Functions(compiled(t, "opendental")), "CreateAppointment")
	if d := prop(t, f, "duration_minutes"); d["type"] != "integer" {
		t.Errorf("duration_minutes = %v, want an integer", d)
	}
	s := prop(t, f, "start")
	if s["type"] != "string" || s["format"] != "date-time" || !bytes.Contains([]byte(fmt.Sprint(s["description"])), []byte("practice")) {
		t.Errorf("start = %v, want a practice-time date-time", s)
	}
	if st := prop(t, f, "status"); !slices.Equal(toStrings(st["enum"]), []string{"scheduled", "confirmed", "completed", "cancelled", "no_show"}) {
		t.Errorf("status = %v, want the local status names", st)
	}
	if req := f.Parameters["required"].([]string); !slices.Contains(req, "patient_id") || !slices.Contains(req, "start") || !slices.Contains(req, "operatory_ref") {
		t.Errorf("required = %v", req)
	}
}

func toStrings(v any) []string {
	var out []string
	switch x := v.(type) {
	case []string:
		return x
	case []any:
		for _, e := range x {
			out = append(out, fmt.Sprint(e))
		}
	}
	return out
}

// TestEveryExportedSchemaIsValidJSONSchema compiles every function's
// parameters of every catalog entry, plain and in strict mode, as a JSON
// Schema (draft 2020-12), and checks strict mode's rules.
func TestEveryExportedSchemaIsValidJSONSchema(t *testing.T) {
	entries, err := catalog.List()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		for _, f := range Functions(compiled(t, e.Slug)) {
			mustCompile(t, e.Slug+"/"+f.Name, f.Parameters)
			strict, ok := Strict(f.Parameters)
			if !ok {
				continue
			}
			mustCompile(t, e.Slug+"/"+f.Name+"/strict", strict)
			checkStrict(t, e.Slug+"/"+f.Name, f.Parameters, strict)
			n++
		}
	}
	if n < 20 {
		t.Fatalf("only %d strict schemas checked", n)
	}
}

func mustCompile(t *testing.T, name string, schema map[string]any) {
	t.Helper()
	raw, _ := json.Marshal(schema)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	url := "mem://" + name + ".json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if _, err := c.Compile(url); err != nil {
		t.Fatalf("%s is not a valid JSON Schema: %v\n%s", name, err, raw)
	}
}

// checkStrict: every property required, additionalProperties false, no
// default, and the properties that were optional accept null.
func checkStrict(t *testing.T, name string, plain, strict map[string]any) {
	t.Helper()
	props := strict["properties"].(map[string]any)
	req := strict["required"].([]string)
	if strict["additionalProperties"] != false || len(req) != len(props) {
		t.Fatalf("%s strict: additionalProperties %v, %d required of %d", name, strict["additionalProperties"], len(req), len(props))
	}
	wasRequired := plain["required"].([]string)
	for pname, p := range props {
		pm := p.(map[string]any)
		if _, has := pm["default"]; has {
			t.Errorf("%s.%s strict keeps a default", name, pname)
		}
		types, isList := pm["type"].([]any)
		optional := !slices.Contains(wasRequired, pname)
		if optional != (isList && slices.Contains(types, any("null"))) {
			t.Errorf("%s.%s: optional %v but type %v", name, pname, optional, pm["type"])
		}
		if enum, ok := pm["enum"].([]any); ok && optional && !slices.Contains(enum, nil) {
			t.Errorf("%s.%s: optional enum without null: %v", name, pname, enum)
		}
	}
}

// TestToolNamesAreReversibleAndUnique: a name with a dot becomes a tool
// name the definition resolves back; two long names sharing their first 64
// characters get distinct tool names, each resolving to its own function.
func TestToolNamesAreReversibleAndUnique(t *testing.T) {
	long := "list_every_appointment_of_every_patient_in_every_location_of_the_"
	a, b := long+"practiceA", long+"practiceB"
	doc := &definition.Document{Slug: "x", Name: "X", BaseURL: map[string]string{"production": "https://x.example"},
		Endpoints: []definition.Endpoint{{Function: "patients.get", Method: "GET", Path: "/p"},
			{Function: a, Method: "GET", Path: "/a"}, {Function: b, Method: "GET", Path: "/b"}}}
	c, err := definition.Compile(doc)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, fn := range []string{"patients.get", a, b} {
		tool := c.ToolName(fn)
		if len(tool) > definition.MaxToolName || seen[tool] || !definition.ValidToolName(tool) {
			t.Fatalf("tool name of %s = %q (seen %v)", fn, tool, seen)
		}
		seen[tool] = true
		ce, ok := c.Endpoint(tool)
		if !ok || ce.Endpoint.Function != fn {
			t.Fatalf("tool %q resolves to %v, want %s", tool, ce, fn)
		}
	}
	if c.ToolName("patients.get") != "patients_get" {
		t.Fatalf("patients.get → %q", c.ToolName("patients.get"))
	}
	again, _ := definition.Compile(doc)
	if again.ToolName(b) != c.ToolName(b) {
		t.Fatal("tool names are not deterministic")
	}
}
