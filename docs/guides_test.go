// Package docs holds the guides; its test loads and runs every example in
// them (docs/integrations.md, docs/sync.md, docs/migrating.md) and keeps
// the transform reference in step with the code.
package docs_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"switchboard/integrations/transform"
	"switchboard/web/problem"
)

var update = flag.Bool("update", false, "rewrite the generated parts of the guides")

// example is one marked code block of a guide: <!-- kind: arg --> then a
// fenced block.
type example struct{ kind, arg, body string }

var exampleRE = regexp.MustCompile("(?s)<!-- (try|definition|auth): ([^>]+?) -->\\s*\n```(?:json|yaml)\n(.*?)\n```")

func guide(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func examples(t *testing.T, name, kind string) []example {
	t.Helper()
	var out []example
	for _, m := range exampleRE.FindAllStringSubmatch(guide(t, name), -1) {
		if m[1] == kind {
			out = append(out, example{m[1], strings.TrimSpace(m[2]), m[3]})
		}
	}
	if len(out) == 0 {
		t.Fatalf("%s has no %s examples", name, kind)
	}
	return out
}

// transformTable is the reference table, generated from transform.Reference.
func transformTable() string {
	var b strings.Builder
	b.WriteString("| Transform | Argument | Does | Example |\n|---|---|---|---|\n")
	for _, d := range transform.Reference {
		arg := "—"
		if d.Argument != "" {
			arg = d.Argument
		}
		in, _ := json.Marshal(d.In)
		out, _ := json.Marshal(d.Out)
		fmt.Fprintf(&b, "| `%s` | %s | %s | `%s`: `%s` → `%s` |\n", d.Name, arg, d.Does, d.Chain, in, out)
	}
	return b.String()
}

func TestTransformReference(t *testing.T) {
	var names []string
	for _, d := range transform.Reference {
		names = append(names, d.Name)
		c, err := transform.Compile(d.Chain)
		if err != nil {
			t.Errorf("%s: %v", d.Name, err)
			continue
		}
		got, err := c.Apply(d.In)
		if err != nil || !reflect.DeepEqual(fmt.Sprint(got), fmt.Sprint(d.Out)) {
			t.Errorf("%s: %v applied to %#v = %#v (%v), the guide says %#v", d.Name, d.Chain, d.In, got, err, d.Out)
		}
	}
	if want := transform.Names(); !reflect.DeepEqual(names, want) {
		t.Fatalf("transform.Reference lists %v, the code has %v: document every transform in integrations/transform/reference.go", names, want)
	}
	const begin, end = "<!-- transforms:begin -->\n", "<!-- transforms:end -->"
	text := guide(t, "integrations.md")
	i, j := strings.Index(text, begin), strings.Index(text, end)
	if i < 0 || j < i {
		t.Fatal("integrations.md lacks the transforms markers")
	}
	want := text[:i+len(begin)] + transformTable() + text[j:]
	if *update {
		if err := os.WriteFile("integrations.md", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want != text {
		t.Fatal("the transform table of integrations.md is stale: go test ./docs -run TestTransformReference -update")
	}
}

var codeRE = regexp.MustCompile(`Code\w+\s*=\s*"(\w+)"`)

// TestErrorCodeTable: every code of apperr has a row in the
// troubleshooting table, with the status the API answers it with.
func TestErrorCodeTable(t *testing.T) {
	src, err := os.ReadFile("../apperr/apperr.go")
	if err != nil {
		t.Fatal(err)
	}
	text := guide(t, "integrations.md")
	codes := codeRE.FindAllStringSubmatch(string(src), -1)
	if len(codes) < 15 {
		t.Fatalf("found %d codes in apperr", len(codes))
	}
	for _, m := range codes {
		row := fmt.Sprintf("| `%s` | %d |", m[1], problem.StatusFor(m[1]))
		if !strings.Contains(text, row) {
			t.Errorf("integrations.md has no troubleshooting row starting %q", row)
		}
	}
}
