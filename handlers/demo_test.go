package handlers_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestHandlersDoNotDependOnTheSandbox: the demo sandbox is the app
// wiring's business (it mounts it and passes the outage switch in as
// handlers.DemoControls); no production code of handlers reaches it,
// directly or through another package.
func TestHandlersDoNotDependOnTheSandbox(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "switchboard/handlers").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps listed %d packages, want the whole graph: %s", len(deps), out)
	}
	for _, dep := range deps {
		if dep == "switchboard/integrations/sandbox" {
			t.Fatalf("handlers depends on %s", dep)
		}
	}
}
