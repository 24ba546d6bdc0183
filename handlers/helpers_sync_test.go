package handlers_test

import (
	"testing"
	"time"

	"switchboard/integrations/sandbox"
	"switchboard/testsupport"
)

func sandboxOutage() sandbox.Faults { return sandbox.Faults{Outage: true} }
func sandboxOK() sandbox.Faults     { return sandbox.Faults{} }
func waitABit()                     { time.Sleep(100 * time.Millisecond) }

// setDemoFaults sets the faults of the demo organization's sandbox tenant,
// the one its integrations call.
func setDemoFaults(t *testing.T, srv *testsupport.Server, f sandbox.Faults) {
	t.Helper()
	org, err := srv.App.Store.OrganizationBySlug(t.Context(), "demo")
	if err != nil {
		t.Fatalf("demo organization: %v", err)
	}
	srv.App.SandboxOf(org.ID).SetFaults(f)
}
