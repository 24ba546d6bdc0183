package handlers_test

import (
	"bufio"
	"bytes"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// storeTypes are the types whose methods reach the database: handlers call
// services instead.
var storeTypes = map[string]bool{"Store": true, "Tenant": true}

// TestHandlersDoNotCallTheStore type-checks the package's production code
// (with the compiler's export data of its imports) and fails on any call
// of a method of models.Store or models.Tenant, and on any mention of those
// types (a field, a parameter), wherever the value came from.
func TestHandlersDoNotCallTheStore(t *testing.T) {
	fset := token.NewFileSet()
	var files []*ast.File
	for _, f := range productionFiles(t, ".") {
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, file)
	}
	exports := exportData(t, "switchboard/handlers")
	conf := types.Config{Importer: importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		return os.Open(exports[path])
	})}
	info := &types.Info{Selections: map[*ast.SelectorExpr]*types.Selection{}, Uses: map[*ast.Ident]types.Object{}}
	if _, err := conf.Check("switchboard/handlers", fset, files, info); err != nil {
		t.Fatalf("type-check: %v", err)
	}
	calls := 0
	for sel, s := range info.Selections {
		if s.Kind() != types.MethodVal {
			continue
		}
		calls++
		if isStore(s.Recv()) {
			t.Errorf("%s: calls %s.%s; call a service", fset.Position(sel.Pos()), types.TypeString(s.Recv(), nil), sel.Sel.Name)
		}
	}
	for id, obj := range info.Uses {
		if tn, ok := obj.(*types.TypeName); ok && isStore(tn.Type()) {
			t.Errorf("%s: names %s; handlers hold services, not the store", fset.Position(id.Pos()), tn.Type())
		}
	}
	if calls < 200 {
		t.Fatalf("saw %d method calls, want the whole package", calls)
	}
}

// isStore reports whether t is models.Store or models.Tenant, or a pointer
// to one.
func isStore(t types.Type) bool {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := t.(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "switchboard/models" && storeTypes[n.Obj().Name()]
}

// exportData maps every dependency of pkg to the file of its compiled
// export data (go list -export builds what is missing).
func exportData(t *testing.T, pkg string) map[string]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-export", "-deps", "-f", "{{.ImportPath}}\t{{.Export}}", pkg).Output()
	if err != nil {
		t.Fatalf("go list -export: %v", err)
	}
	m := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if path, file, ok := strings.Cut(sc.Text(), "\t"); ok && file != "" {
			m[path] = file
		}
	}
	return m
}
