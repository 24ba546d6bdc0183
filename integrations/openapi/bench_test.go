package openapi

import (
	"testing"
)

// BenchmarkParseOpenDental imports the largest spec file.
func BenchmarkParseOpenDental(b *testing.B) {
	data := readSpec(b, "opendental-oas3.yml")
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse(data, "opendental-oas3.yml"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParse500Operations imports a synthetic spec with 500
// operations, $ref'd parameters and allOf bodies.
func BenchmarkParse500Operations(b *testing.B) {
	data := syntheticSpec(500)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse(data, "synthetic.yaml"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlan500Operations plans a new integration from the synthetic
// spec (the import's other half).
func BenchmarkPlan500Operations(b *testing.B) {
	src, err := Parse(syntheticSpec(500), "synthetic.yaml")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := NewPlan(nil, src, ModeMerge, "", ""); err != nil {
			b.Fatal(err)
		}
	}
}

// TestHundredsOfOperationsImport checks a 500-operation import for
// correctness; its speed is measured by BenchmarkParse500Operations and
// BenchmarkPlan500Operations, never asserted.
func TestHundredsOfOperationsImport(t *testing.T) {
	src, err := Parse(syntheticSpec(500), "synthetic.yaml")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	plan, err := NewPlan(nil, src, ModeMerge, "", "")
	if err != nil {
		t.Fatalf("NewPlan: %v", err)
	}
	if len(plan.Added) != 500 {
		t.Fatalf("got %d endpoints, want 500", len(plan.Added))
	}
	checkNames(t, src.Endpoints)
	create := endpointByFunction(t, src, "PostResources7ItemsByParentId")
	if got := paramNames(create); len(got) != 5 || got[0] != "parentId" || got[1] != "note" || got[2] != "name" {
		t.Errorf("got params %v, want parentId, then allOf's properties without the read-only id", got)
	}
	if limit := paramByName(t, endpointByFunction(t, src, "listItems7"), "limit"); limit.Type != "integer" {
		t.Errorf("got limit %+v", limit)
	}
}

// BenchmarkParseRegistry337 reads a 337-endpoint registry array.
func BenchmarkParseRegistry337(b *testing.B) {
	data := registryOf(337)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse(data, "registry.json"); err != nil {
			b.Fatal(err)
		}
	}
}
