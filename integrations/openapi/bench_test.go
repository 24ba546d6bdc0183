package openapi

import (
	"testing"
	"time"
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

func TestHundredsOfOperationsImportWellUnderASecond(t *testing.T) {
	data := syntheticSpec(500)
	var (
		src     *Source
		plan    *Plan
		fastest time.Duration
	)
	// The fastest of three runs, so that a machine busy with other work
	// does not fail the test; a typical run takes a fraction of the bound
	// (see the benchmarks). The race detector's slowdown is not held
	// against the importer.
	for range 3 {
		start := time.Now()
		var err error
		if src, err = Parse(data, "synthetic.yaml"); err != nil {
			t.Fatalf("Parse: %v", err)
		}
		if plan, err = NewPlan(nil, src, ModeMerge, "", ""); err != nil {
			t.Fatalf("NewPlan: %v", err)
		}
		if d := time.Since(start); fastest == 0 || d < fastest {
			fastest = d
		}
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
	if fastest > time.Second && !raceEnabled {
		t.Errorf("importing 500 operations took %s, want well under a second", fastest)
	}
	t.Logf("500 operations: parse and plan in %s", fastest)
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
