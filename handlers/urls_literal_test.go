package handlers_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"switchboard/testsupport"
)

// surfacePrefixes are first path segments that handlers test requests
// against to pick a middleware (the JSON API, webhooks, probes, assets);
// they classify incoming paths and build no link.
var surfacePrefixes = map[string]bool{"api": true, "webhooks": true, "healthz": true, "readyz": true, "static": true}

// templURL finds a path literal where a template builds a link, a form
// action, an htmx request or a formatted URL.
var templURL = regexp.MustCompile(`(?:href|action|hx-[a-z]+)="(/[^"]*)"|(?:Sprintf|SafeURL)\("(/[^"]*)"`)

// TestNoRouteLiteralsInHandlersOrViews: no handler (the route table, which
// registers the paths, aside) and no template spells the path of an app
// route; they build it from the route's name through the urls helpers.
func TestNoRouteLiteralsInHandlersOrViews(t *testing.T) {
	srv := startIdentity(t, testsupport.SQLiteURL(t))
	segs := map[string]bool{}
	for _, rt := range srv.App.Router.Routes() {
		first := strings.SplitN(strings.TrimPrefix(rt.Path, "/"), "/", 2)[0]
		if first != "" && !strings.ContainsAny(first, ":*") && !surfacePrefixes[first] {
			segs[first] = true
		}
	}
	if !segs["patients"] || !segs["sync-errors"] || !segs["integrations"] {
		t.Fatalf("route segments %v miss the page routes", segs)
	}
	isRoute := func(lit string) bool {
		rest := strings.TrimPrefix(lit, "/")
		if i := strings.IndexAny(rest, "/?#%"); i >= 0 {
			rest = rest[:i]
		}
		return segs[rest]
	}
	for _, f := range goFiles(t, ".") {
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err == nil && len(s) > 1 && s[0] == '/' && isRoute(s) {
				t.Errorf("%s: route path literal %q; use the urls helpers", fset.Position(lit.Pos()), s)
			}
			return true
		})
	}
	templs, err := filepath.Glob("../views/*/*.templ")
	if err != nil || len(templs) < 10 {
		t.Fatalf("templates: %v (%d found)", err, len(templs))
	}
	for _, f := range templs {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			for _, m := range templURL.FindAllStringSubmatch(line, -1) {
				if s := m[1] + m[2]; len(s) > 1 && isRoute(s) {
					t.Errorf("%s:%d: route path literal %q; use the urls helpers", f, i+1, s)
				}
			}
		}
	}
}

// goFiles lists the production Go files of dir, the route table (router.go
// and routes_*.go, which register the paths) aside.
func goFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for _, f := range productionFiles(t, dir) {
		if base := filepath.Base(f); base != "router.go" && !strings.HasPrefix(base, "routes_") {
			out = append(out, f)
		}
	}
	return out
}
