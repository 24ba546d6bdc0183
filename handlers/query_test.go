package handlers_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"switchboard/testsupport"
)

// queryReaders are the ways to read a request's query other than binding
// the route's declared struct (web.BindQuery).
var queryReaders = map[string]bool{"QueryParam": true, "QueryParams": true, "QueryString": true, "Query": true, "RawQuery": true}

// TestHandlersReadQueriesOnlyThroughTheirDeclaration: no handler reads a
// query parameter but through web.BindQuery, which takes only the struct
// its route declares in the route table, the struct the OpenAPI document
// lists; so a parameter cannot be read without being documented.
func TestHandlersReadQueriesOnlyThroughTheirDeclaration(t *testing.T) {
	files := productionFiles(t, ".")
	if len(files) < 30 {
		t.Fatalf("%d production files, want the package", len(files))
	}
	for _, f := range files {
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok && queryReaders[sel.Sel.Name] {
				t.Errorf("%s: reads the query with .%s; bind the route's declared struct with web.BindQuery", fset.Position(sel.Pos()), sel.Sel.Name)
			}
			return true
		})
	}
}

// TestOpenAPIListsEveryQueryParameter: the document lists the query
// parameters the handlers read, those that had drifted out of it among
// them (q and phone of /api/patients, strict of …/functions, from and to of
// /api/admin/sync-errors).
func TestOpenAPIListsEveryQueryParameter(t *testing.T) {
	srv, _ := testsupport.StartDemo(t)
	doc := loadDocument(t, srv)
	want := map[string][]string{
		"GET /api/patients":                          {"q", "phone", "cursor", "limit"},
		"POST /api/patients":                         {"wait"},
		"GET /api/appointments":                      {"from", "to", "patient_id", "status", "cursor", "limit"},
		"GET /api/integrations/{provider}/functions": {"format", "strict"},
		"GET /api/admin/sync-errors":                 {"integration", "status", "entity", "from", "to", "cursor", "limit"},
		"POST /api/admin/sync-errors/retry":          {"integration", "status", "entity", "from", "to", "cursor", "limit"},
		"GET /api/availability":                      {"from", "to", "duration_minutes", "step_minutes", "provider_ref", "operatory_ref"},
		"GET /api/reference/{kind}":                  {"integration"},
		"GET /api/admin/integrations/{id}/export":    {"format"},
		"POST /api/admin/integrations/import":        {"mode", "dry_run", "slug", "name", "tag", "path_prefix"},
	}
	for route, params := range want {
		method, path, _ := strings.Cut(route, " ")
		item := doc.Paths.Value(path)
		if item == nil || item.GetOperation(method) == nil {
			t.Errorf("%s is not in the document", route)
			continue
		}
		var got []string
		for _, p := range item.GetOperation(method).Parameters {
			if p.Value.In == "query" {
				got = append(got, p.Value.Name)
			}
		}
		for _, name := range params {
			if !slices.Contains(got, name) {
				t.Errorf("%s: query parameter %s is not documented (documented: %v)", route, name, got)
			}
		}
	}
}

// productionFiles lists the production Go files of dir.
func productionFiles(t *testing.T, dir string) []string {
	t.Helper()
	all, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range all {
		if !strings.HasSuffix(f, "_test.go") {
			out = append(out, f)
		}
	}
	return out
}
