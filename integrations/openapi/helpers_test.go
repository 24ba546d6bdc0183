package openapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"switchboard/integrations/definition"
)

// specDir holds the real public API descriptions used as test input
// (shared/testdata/specs beside the repository, as CI lays it out).
const specDir = "../../../shared/testdata/specs"

// functionPattern is the form of every generated or sanitized name.
var functionPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,63}$`)

// readSpec reads one spec file. Missing test data fails the test with
// where it looked (a suite that skipped it would pass without testing the
// importer on real documents); this package cannot use testsupport, which
// imports the app and so this package.
func readSpec(tb testing.TB, name string) []byte {
	tb.Helper()
	if _, err := os.Stat(specDir); err != nil {
		tb.Fatalf("test data %s is missing (%v): check shared/testdata/specs out beside the repository", specDir, err)
	}
	b, err := os.ReadFile(filepath.Join(specDir, name))
	if err != nil {
		tb.Fatalf("read %s: %v", name, err)
	}
	return b
}

// parseSpec parses one spec file and fails the test on error.
func parseSpec(tb testing.TB, name string) *Source {
	tb.Helper()
	src, err := Parse(readSpec(tb, name), name)
	if err != nil {
		tb.Fatalf("Parse(%s): %v", name, err)
	}
	return src
}

// specOperation is an operation found by walking a spec independently of
// the importer.
type specOperation struct {
	Method, Path, OperationID string
}

// walkOperations lists a spec's operations (trace excepted, which the
// definition cannot hold) with a plain YAML decode, sorted.
func walkOperations(tb testing.TB, data []byte) []specOperation {
	tb.Helper()
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		tb.Fatalf("walk: %v", err)
	}
	var ops []specOperation
	for path, item := range doc.Paths {
		for method, raw := range item {
			if !isMethod(method) || method == "trace" {
				continue
			}
			var op struct {
				OperationID string `json:"operationId"`
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				tb.Fatalf("walk %s %s: %v", method, path, err)
			}
			ops = append(ops, specOperation{strings.ToUpper(method), path, op.OperationID})
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].Path+ops[i].Method < ops[j].Path+ops[j].Method })
	return ops
}

// endpointByFunction finds an endpoint or fails.
func endpointByFunction(tb testing.TB, src *Source, fn string) definition.Endpoint {
	tb.Helper()
	for _, e := range src.Endpoints {
		if e.Function == fn {
			return e
		}
	}
	tb.Fatalf("no endpoint %s among %v", fn, functions(src.Endpoints))
	return definition.Endpoint{}
}

// paramByName finds a parameter or fails.
func paramByName(tb testing.TB, e definition.Endpoint, name string) definition.Param {
	tb.Helper()
	for _, p := range e.Params {
		if p.Name == name {
			return p
		}
	}
	tb.Fatalf("%s has no parameter %s (has %v)", e.Function, name, paramNames(e))
	return definition.Param{}
}

// functions lists function names.
func functions(endpoints []definition.Endpoint) []string {
	out := make([]string, len(endpoints))
	for i, e := range endpoints {
		out[i] = e.Function
	}
	return out
}

// paramNames lists an endpoint's parameter names.
func paramNames(e definition.Endpoint) []string {
	out := make([]string, len(e.Params))
	for i, p := range e.Params {
		out[i] = p.Name
	}
	return out
}

// changeNames lists the functions of changes.
func changeNames(changes []Change) []string {
	out := make([]string, len(changes))
	for i, c := range changes {
		out[i] = c.Function
	}
	return out
}

// checkNames checks that function names are well formed and unique.
func checkNames(tb testing.TB, endpoints []definition.Endpoint) {
	tb.Helper()
	seen := map[string]bool{}
	for _, e := range endpoints {
		if !functionPattern.MatchString(e.Function) {
			tb.Errorf("function %q does not match %s", e.Function, functionPattern)
		}
		if seen[e.Function] {
			tb.Errorf("function %q is not unique", e.Function)
		}
		seen[e.Function] = true
	}
}

// asImportError checks that err is an *Error for file and returns it.
func asImportError(tb testing.TB, err error, file string) *Error {
	tb.Helper()
	var e *Error
	if !errors.As(err, &e) {
		tb.Fatalf("got error %T %v, want *Error", err, err)
	}
	if e.File != file {
		tb.Errorf("got File %q, want %q", e.File, file)
	}
	if e.Reason == "" {
		tb.Errorf("got an *Error without a reason: %v", e)
	}
	return e
}

// syntheticSpec writes an OpenAPI 3 YAML document with n operations over
// n/2 resources: each resource has a list (GET, query parameters and a
// $ref'd parameter) and a create (POST, a $ref'd body schema with allOf).
func syntheticSpec(n int) []byte {
	var b strings.Builder
	b.WriteString("openapi: 3.0.3\ninfo:\n  title: Synthetic\n  version: '1'\nservers:\n  - url: https://api.example.com/v2\n")
	b.WriteString("components:\n  securitySchemes:\n    bearerAuth: {type: http, scheme: bearer}\n")
	b.WriteString("  parameters:\n    Limit: {name: limit, in: query, schema: {type: integer, default: 50}}\n")
	b.WriteString("  schemas:\n    Base:\n      type: object\n      properties:\n        id: {type: integer, readOnly: true}\n        note: {type: string}\n")
	for i := 0; i < (n+1)/2; i++ {
		fmt.Fprintf(&b, "    Item%d:\n      allOf:\n        - $ref: '#/components/schemas/Base'\n        - type: object\n          required: [name]\n          properties:\n            name: {type: string}\n            size: {type: number}\n            tags: {type: array, items: {type: string}}\n", i)
	}
	b.WriteString("security:\n  - bearerAuth: []\npaths:\n")
	for i := 0; i < (n+1)/2; i++ {
		fmt.Fprintf(&b, "  /resources%d/{parentId}/items:\n    parameters:\n      - {name: parentId, in: path, required: true, schema: {type: integer}}\n", i)
		fmt.Fprintf(&b, "    get:\n      operationId: listItems%d\n      tags: [group%d]\n      parameters:\n        - $ref: '#/components/parameters/Limit'\n        - {name: status, in: query, schema: {type: string, enum: [open, closed]}}\n      responses:\n        '200': {description: ok}\n", i, i%10)
		if 2*i+1 < n {
			fmt.Fprintf(&b, "    post:\n      tags: [group%d]\n      requestBody:\n        content:\n          application/json:\n            schema: {$ref: '#/components/schemas/Item%d'}\n      responses:\n        '201': {description: created}\n", i%10, i)
		}
	}
	return []byte(b.String())
}
