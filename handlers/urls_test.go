package handlers_test

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"switchboard/testsupport"
	"switchboard/urls"
)

// TestEveryRouteIsNamed: every route the router serves (HEAD twins and the
// not-found catch-alls aside) has its own name, so URLs are built from
// names and never spelled by hand.
func TestEveryRouteIsNamed(t *testing.T) {
	srv := startIdentity(t, testsupport.SQLiteURL(t))
	seen := map[string]string{}
	named := 0
	for _, rt := range srv.App.Router.Routes() {
		if rt.Method == http.MethodHead || !isHTTPMethod(rt.Method) {
			continue
		}
		where := rt.Method + " " + rt.Path
		if rt.Name == "" || strings.Contains(rt.Name, "switchboard/") || strings.Contains(rt.Name, "(") {
			t.Errorf("%s has no route name (got %q)", where, rt.Name)
			continue
		}
		if other, dup := seen[rt.Name]; dup {
			t.Errorf("%s and %s share the name %q", other, where, rt.Name)
		}
		seen[rt.Name] = where
		named++
	}
	if named < 100 {
		t.Fatalf("%d named routes, want every route (100 or more)", named)
	}
}

// TestEveryURLHelperNamesARoute calls each typed helper of urls against the
// real router: each names a route that exists and fills in all of its
// parameters.
func TestEveryURLHelperNamesARoute(t *testing.T) {
	srv := startIdentity(t, testsupport.SQLiteURL(t))
	u := reflect.ValueOf(urls.From(urls.With(context.Background(), srv.App.Router)))
	typ := u.Type()
	if typ.NumMethod() < 50 {
		t.Fatalf("urls.URLs has %d methods, want the whole table", typ.NumMethod())
	}
	for i := range typ.NumMethod() {
		m := typ.Method(i)
		if m.Name == "Named" {
			continue
		}
		var args []reflect.Value
		for j := 1; j < m.Type.NumIn(); j++ {
			switch m.Type.In(j).Kind() {
			case reflect.Int64:
				args = append(args, reflect.ValueOf(int64(7)))
			case reflect.String:
				args = append(args, reflect.ValueOf("x"))
			default:
				t.Fatalf("%s: unexpected parameter type %s", m.Name, m.Type.In(j))
			}
		}
		got, err := callHelper(u.Method(i), args)
		if err != nil {
			t.Errorf("urls.%s: %v", m.Name, err)
			continue
		}
		if !strings.HasPrefix(got, "/") || strings.ContainsAny(got, ":*") {
			t.Errorf("urls.%s = %q, want a filled-in path", m.Name, got)
		}
	}
}

func callHelper(fn reflect.Value, args []reflect.Value) (out string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	return fn.Call(args)[0].String(), nil
}

// routeName is the one naming scheme: <resource>.<action>, and the JSON
// API's names start with "api.".
var routeName = regexp.MustCompile(`^(api\.)?[a-z][a-z0-9-]*\.[a-z][a-z-]*$`)

// TestRouteNamesFollowOneScheme: every route's name is <resource>.<action>,
// a route is under /api/ exactly when its name starts with "api.", and
// the names are the constants of urls (names.go), each one a route's.
func TestRouteNamesFollowOneScheme(t *testing.T) {
	srv := startIdentity(t, testsupport.SQLiteURL(t))
	declared := urlsConstants(t)
	used := map[string]bool{}
	for _, rt := range srv.App.Router.Routes() {
		if rt.Method == http.MethodHead || !isHTTPMethod(rt.Method) {
			continue
		}
		used[rt.Name] = true
		if !routeName.MatchString(rt.Name) {
			t.Errorf("%s %s is named %q, not <resource>.<action>", rt.Method, rt.Path, rt.Name)
		}
		if api, named := strings.HasPrefix(rt.Path, "/api/"), strings.HasPrefix(rt.Name, "api."); api != named {
			t.Errorf("%s %s is named %q: API routes, and only they, are named api.…", rt.Method, rt.Path, rt.Name)
		}
		if !declared[rt.Name] {
			t.Errorf("%s %s is named %q, which urls/names.go does not declare", rt.Method, rt.Path, rt.Name)
		}
	}
	for name := range declared {
		if !used[name] {
			t.Errorf("urls declares %q, which names no route", name)
		}
	}
	spelled, _ := filepath.Glob("routes_*.go")
	for _, f := range append(spelled, "../urls/pages.go") {
		fset := token.NewFileSet()
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if v, _ := strconv.Unquote(lit.Value); declared[v] {
					t.Errorf("%s: spells the route name %q; use its urls constant", fset.Position(lit.Pos()), v)
				}
			}
			return true
		})
	}
}

// urlsConstants are the string constants of urls/names.go.
func urlsConstants(t *testing.T) map[string]bool {
	t.Helper()
	file, err := parser.ParseFile(token.NewFileSet(), "../urls/names.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	ast.Inspect(file, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			v, _ := strconv.Unquote(lit.Value)
			if out[v] {
				t.Errorf("urls declares %q twice", v)
			}
			out[v] = true
		}
		return true
	})
	if len(out) < 100 {
		t.Fatalf("urls declares %d route names, want every route", len(out))
	}
	return out
}
