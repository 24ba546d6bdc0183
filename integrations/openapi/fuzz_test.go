package openapi

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse feeds mutated documents to Parse: it must not panic, and it
// must give either a source whose endpoints are well named, or an *Error
// with a reason. Planning a new integration from what it gives must not
// panic either.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"petstore-oas3.yaml", "petstore-swagger2.json", "uber-swagger2.yaml", "opendental-oas3.yml"} {
		b, err := os.ReadFile(filepath.Join(specDir, name))
		if err != nil {
			continue // the seeds below still run
		}
		f.Add(b, name)
		f.Add(b[:len(b)/2], name)                                                           // cut short
		f.Add([]byte(strings.Replace(string(b), "$ref", "$rel", 1)), name)                  // a ref turned into data
		f.Add([]byte(strings.Replace(string(b), "#/components/", "#/component/", 1)), name) // a broken ref
		f.Add([]byte(strings.Replace(string(b), "in: query", "in: cookie", 1)), name)
	}
	for _, seed := range []string{
		minimal,
		strings.Replace(minimal, "get:", "trace:", 1),
		"openapi: 3.1.0\ninfo: {title: t}\npaths:\n  /a/{b}:\n    post:\n      requestBody: {content: {application/json: {schema: {type: [object, 'null'], properties: {x: {type: [integer, 'null']}}}}}}\n",
		"swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /f:\n    post:\n      consumes: [application/x-www-form-urlencoded]\n      parameters: [{name: a, in: formData, type: string}]\n      responses: {'200': {description: ok}}\n",
		`[{"function": "A", "method": "GET", "path": "/a/{id}", "params": [{"name": "id", "in": "path"}]}]`,
		`{"endpoints": []}`,
		"a: &x [*x]\n",
		"openapi: 3.0.0\npaths: {'/a': {get: {parameters: [{name: x, in: query, schema: {allOf: [{$ref: '#/components/schemas/S'}]}}]}}}\ncomponents: {schemas: {S: {allOf: [{$ref: '#/components/schemas/S'}]}}}\n",
	} {
		f.Add([]byte(seed), "seed.yaml")
	}
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		for _, parse := range []func([]byte, string) (*Source, error){ParseOpenAPI, ParseRegistry} {
			if src, err := parse(data, name); err != nil {
				checkFuzzError(t, src, err)
			}
		}
		src, err := Parse(data, name)
		if err != nil {
			checkFuzzError(t, src, err)
			return
		}
		if src == nil {
			t.Fatal("got neither a source nor an error")
		}
		seen := map[string]bool{}
		for _, e := range src.Endpoints {
			if e.Function == "" || seen[e.Function] {
				t.Fatalf("function %q is empty or not unique", e.Function)
			}
			if src.Format != "registry" && !functionPattern.MatchString(e.Function) {
				t.Fatalf("function %q does not match %s", e.Function, functionPattern)
			}
			seen[e.Function] = true
		}
		_, _ = NewPlan(nil, src, ModeMerge, "fuzz", "Fuzz")
	})
}

// checkFuzzError checks that a failed parse gave only an *Error with a
// reason.
func checkFuzzError(t *testing.T, src *Source, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Reason == "" {
		t.Fatalf("got error %T %q, want an *Error with a reason", err, err)
	}
	if src != nil {
		t.Fatal("got both a source and an error")
	}
}
