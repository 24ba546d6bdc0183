package app_test

import (
	"os/exec"
	"strings"
	"testing"
)

// layerRules say, per package (a path prefix under switchboard/), which
// packages it may not import: the arrows point one way, cmd → app →
// handlers → (api, web/*, services) → engine (integrations/*) → models.
var layerRules = []struct {
	pkg       string
	forbidden []string
}{
	{"handlers", []string{"app", "cmd/"}},
	{"web", []string{"handlers", "app", "cmd/", "api"}},
	{"api", []string{"handlers", "app", "cmd/"}},
	{"accounts", []string{"handlers", "app", "cmd/", "web", "api", "views", "github.com/labstack/echo"}},
	{"records", []string{"handlers", "app", "cmd/", "web", "api", "views", "github.com/labstack/echo"}},
	{"agent", []string{"handlers", "app", "cmd/", "web", "api", "views", "github.com/labstack/echo"}},
	{"integrations/", []string{"handlers", "app", "cmd/", "web", "api", "views", "accounts", "records", "agent",
		"github.com/labstack/echo", "github.com/a-h/templ"}},
	{"models", []string{"handlers", "app", "cmd/", "web", "api", "views", "accounts", "records", "agent", "integrations/"}},
	{"views", []string{"handlers", "app", "cmd/", "web", "api", "models", "database", "accounts", "records", "agent", "integrations/"}},
}

// TestArrowsPointOneWay reads the import graph of the production code:
// no package imports one above it, nothing imports cmd, only app imports
// handlers, and web/* knows no resource handler.
func TestArrowsPointOneWay(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "switchboard/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) < 40 {
		t.Fatalf("go list listed %d packages, want the module", len(lines))
	}
	for _, line := range lines {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(fields[0], "switchboard/")
		for _, imp := range fields[1:] {
			dep := strings.TrimPrefix(imp, "switchboard/")
			if under(dep, "cmd/") {
				t.Errorf("%s imports %s: nothing imports cmd", pkg, dep)
			}
			if dep == "handlers" && pkg != "app" {
				t.Errorf("%s imports handlers: only app does", pkg)
			}
			for _, r := range layerRules {
				if !under(pkg, r.pkg) {
					continue
				}
				for _, f := range r.forbidden {
					if under(dep, f) {
						t.Errorf("%s imports %s, which it must not (%s may not import %s)", pkg, dep, r.pkg, f)
					}
				}
			}
		}
	}
}

// under reports whether path is prefix or inside it (a prefix ending in
// "/" is a folder whose packages all count; github.com/… prefixes match
// their subpackages too).
func under(path, prefix string) bool {
	if strings.HasSuffix(prefix, "/") {
		return strings.HasPrefix(path, prefix)
	}
	return path == prefix || strings.HasPrefix(path, prefix+"/")
}
