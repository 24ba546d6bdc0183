package accounts

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"testing"
)

// TestEveryActionIsListedOnce: every Action constant declared in
// actions.go is in Actions (the audit log's filter) exactly once, and no
// two constants share a name.
func TestEveryActionIsListedOnce(t *testing.T) {
	file, err := parser.ParseFile(token.NewFileSet(), "actions.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var declared []Action
	ast.Inspect(file, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || vs.Type == nil || vs.Type.(*ast.Ident).Name != "Action" {
			return true
		}
		for _, v := range vs.Values {
			lit := v.(*ast.BasicLit)
			declared = append(declared, Action(lit.Value[1:len(lit.Value)-1]))
		}
		return true
	})
	if len(declared) < 30 {
		t.Fatalf("found %d Action constants, want every one", len(declared))
	}
	seen := map[Action]bool{}
	for _, a := range declared {
		if seen[a] {
			t.Errorf("two constants are named %q", a)
		}
		seen[a] = true
		if n := len(slices.DeleteFunc(slices.Clone(Actions), func(b Action) bool { return b != a })); n != 1 {
			t.Errorf("%q is in Actions %d times, want once", a, n)
		}
	}
	if len(Actions) != len(declared) {
		t.Errorf("Actions lists %d actions, %d are declared", len(Actions), len(declared))
	}
}
