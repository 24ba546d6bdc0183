package openapi

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestLargeDocumentsAreReadInBatches: a document of many path items is
// loaded a batch at a time, and the endpoints come out the same as one
// read whole would give (every operation, in document order, names
// unique across batches, body parameters from components that batches
// share, the auth the operations require most).
func TestLargeDocumentsAreReadInBatches(t *testing.T) {
	var b strings.Builder
	b.WriteString("openapi: 3.0.3\ninfo: {title: Many, version: '1'}\nservers: [{url: 'https://api.example.com'}]\n")
	b.WriteString("components:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: X-Key}\n")
	b.WriteString("  schemas:\n    Shared: {type: object, properties: {a: {type: string}, b: {type: integer}}}\n")
	b.WriteString("    Reply: {type: object, properties: {broken: 5}}\npaths:\n")
	const n = 600
	for i := range n {
		fmt.Fprintf(&b, "  /things%d:\n    get:\n      operationId: same\n      security: [{key: []}]\n", i)
		b.WriteString("      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Reply'}}}}}\n")
		b.WriteString("    post:\n      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Shared'}}}}\n")
		b.WriteString("      responses: {'201': {description: created}}\n")
	}
	paths := decodeOrFail(t, b.String()).get("paths")
	if got := len(batches(paths)); got < 2 {
		t.Fatalf("%d batches, want the document read in several", got)
	}
	src, err := Parse([]byte(b.String()), "many.yaml")
	if err != nil {
		t.Fatalf("Parse: %v (a response schema is not read, so its fault does not matter)", err)
	}
	if len(src.Endpoints) != 2*n {
		t.Fatalf("%d endpoints, want %d", len(src.Endpoints), 2*n)
	}
	seen := map[string]bool{}
	for i, e := range src.Endpoints {
		if seen[e.Function] {
			t.Fatalf("function %s twice", e.Function)
		}
		seen[e.Function] = true
		if want := fmt.Sprintf("/things%d", i/2); e.Path != want {
			t.Fatalf("endpoint %d is %s %s, want %s in document order", i, e.Method, e.Path, want)
		}
		if e.Method == "POST" && len(e.Params) != 2 {
			t.Fatalf("%s has params %+v, want a and b from the shared schema", e.Function, e.Params)
		}
	}
	if src.Auth == nil || src.Auth.Header != "X-Key" {
		t.Errorf("auth = %+v, want the X-Key the operations require", src.Auth)
	}
}

// TestADocumentWithoutPaths imports nothing, with a warning.
func TestADocumentWithoutPaths(t *testing.T) {
	src, err := Parse([]byte("openapi: 3.1.0\ninfo: {title: Hooks only, version: '1'}\n"), "hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(src.Endpoints) != 0 || !strings.Contains(strings.Join(src.Warnings, "\n"), "no paths") {
		t.Errorf("endpoints %v, warnings %v", src.Endpoints, src.Warnings)
	}
}

func decodeOrFail(t *testing.T, doc string) *node {
	t.Helper()
	n, err := decode([]byte(doc), "x.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestLargeYAMLIsRefusedWithAWayOut: YAML over 6 MiB would take some 30
// times its size to read; the refusal says to convert it to JSON.
func TestLargeYAMLIsRefusedWithAWayOut(t *testing.T) {
	var b strings.Builder
	b.WriteString("openapi: 3.0.3\ninfo: {title: Big, version: '1'}\npaths:\n")
	for i := 0; b.Len() <= maxYAMLBytes; i++ {
		fmt.Fprintf(&b, "  /p%d:\n    get:\n      description: %s\n      responses: {'200': {description: ok}}\n", i, strings.Repeat("x", 200))
	}
	_, err := Parse([]byte(b.String()), "big.yaml")
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(e.Reason, "convert it to JSON") {
		t.Fatalf("err = %v, want a refusal saying to convert to JSON", err)
	}
}
