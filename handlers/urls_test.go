package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
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
