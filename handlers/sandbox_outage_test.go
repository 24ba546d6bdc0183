package handlers_test

import (
	"net/url"
	"strings"
	"testing"

	"switchboard/testsupport"
)

// switchOutage flips the demo sandbox's outage switch from the sync error
// log, as a signed-in member of an organization does.
func switchOutage(t *testing.T, c *testsupport.Client, on bool) {
	t.Helper()
	tok := c.CSRF("/sync-errors")
	if r := c.PostForm("/sync-errors/sandbox-outage", url.Values{"_csrf": {tok}, "outage": {map[bool]string{true: "true", false: "false"}[on]}}); r.StatusCode != 303 {
		t.Fatalf("outage switch = %d %.300s", r.StatusCode, r.Body)
	}
}

func TestSandboxOutageOfOneOrganizationSparesAnother(t *testing.T) {
	srv, demo := demoAgent(t)
	testsupport.Seed(t, srv.App.Store, "globex", "staff@globex.test", "staff")
	globex := srv.NewClient(t)
	globex.Login("staff@globex.test", testsupport.Password)
	switchOutage(t, globex, true)

	if r := demo.SendJSON("POST", "/api/integrations/opendental", map[string]any{"function": "ListProviders"}); r.StatusCode != 200 {
		t.Fatalf("globex's outage switch broke the demo organization's calls: %d %.300s", r.StatusCode, r.Body)
	}
	if page := demoStaff(t, srv).Get("/sync-errors"); strings.Contains(page.Body, "outage switched ON") {
		t.Errorf("the demo organization's page shows globex's outage")
	}
}

func TestSandboxOutageBreaksOnlyItsOwnOrganization(t *testing.T) {
	srv, demo := demoAgent(t)
	org, _ := testsupport.Seed(t, srv.App.Store, "globex", "staff@globex.test", "staff")
	if err := srv.App.SeedSandboxIntegrations(t.Context(), org.ID); err != nil {
		t.Fatal(err)
	}
	agent := srv.KeyClient(t, org.ID, "agent")
	staff := srv.NewClient(t)
	staff.Login("staff@globex.test", testsupport.Password)
	call := func(c *testsupport.Client) int {
		return c.SendJSON("POST", "/api/integrations/opendental", map[string]any{"function": "ListProviders"}).StatusCode
	}
	if got := call(agent); got != 200 {
		t.Fatalf("globex's sandbox call before the outage = %d", got)
	}

	switchOutage(t, staff, true)
	if got := call(agent); got == 200 {
		t.Errorf("globex's own outage did not reach globex's calls")
	}
	if got := call(demo); got != 200 {
		t.Errorf("demo call during globex's outage = %d, want 200", got)
	}
	if page := staff.Get("/sync-errors"); !strings.Contains(page.Body, "outage switched ON") {
		t.Errorf("globex's page does not show its outage")
	}

	switchOutage(t, staff, false)
	if got := call(agent); got != 200 {
		t.Errorf("globex's call after the outage = %d, want 200", got)
	}
}

// TestSandboxBackUpClosesTheCircuits: calls during the outage open Open
// Dental's circuit; switching the sandbox back on closes it, so the next
// call (a retry pressed right after) goes through instead of waiting out
// the cooldown.
func TestSandboxBackUpClosesTheCircuits(t *testing.T) {
	srv, demo := demoAgent(t)
	staff := demoStaff(t, srv)
	org := srv.DemoOrg(t)
	call := func() int {
		return demo.SendJSON("POST", "/api/integrations/opendental", map[string]any{"function": "ListProviders"}).StatusCode
	}
	switchOutage(t, staff, true)
	// The demo's calls go to Open Dental's default_environment, the sandbox.
	for i := 0; i < 20 && srv.App.Executor.BreakerState(org.ID, "opendental", "sandbox") != "open"; i++ {
		call()
	}
	if got := srv.App.Executor.BreakerState(org.ID, "opendental", "sandbox"); got != "open" {
		t.Fatalf("the circuit during the outage is %q, want open", got)
	}
	switchOutage(t, staff, false)
	if got := srv.App.Executor.BreakerState(org.ID, "opendental", "sandbox"); got != "closed" {
		t.Errorf("the circuit after the sandbox is back is %q, want closed", got)
	}
	if got := call(); got != 200 {
		t.Errorf("a call right after the sandbox is back = %d, want 200", got)
	}
}
