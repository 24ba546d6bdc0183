package handlers_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"switchboard/integrations/sandbox"
	"switchboard/testsupport"
)

// TestDemoSandboxIsolation: the demo's sandbox is served on a loopback
// listener of its own, and the outbound guard lets calls reach that one
// and not the app's own port, so an integration aimed at the app's
// loopback-only /metrics is refused (403 destination_blocked) and the
// sandbox has no /metrics to offer. Each organization has a sandbox of its
// own (data and credentials): globex's credentials open no door of the
// demo organization's tenant. The control endpoints need a signed-in
// admin: an anonymous reset is refused and resets nothing; the demo
// owner's resets only the demo organization's sandbox.
func TestDemoSandboxIsolation(t *testing.T) {
	srv, login := testsupport.StartDemo(t)
	demo := srv.DemoOrg(t)
	admin := srv.KeyClient(t, demo.ID, "admin")
	pinger := func(slug, base string) map[string]any {
		return map[string]any{"slug": slug, "name": slug, "base_url": map[string]string{"production": base},
			"endpoints": []map[string]any{{"function": "Metrics", "method": "GET", "path": "/metrics"}}}
	}
	saveIntegration(t, admin, pinger("selfie", srv.URL), nil)
	r := admin.SendJSON("POST", "/api/integrations/selfie", map[string]any{"function": "Metrics"})
	if r.StatusCode != http.StatusForbidden || !strings.Contains(r.Body, "destination_blocked") {
		t.Fatalf("an integration aimed at the app's own port = %d %s", r.StatusCode, r.Body)
	}
	saveIntegration(t, admin, pinger("sbmetrics", srv.App.SandboxURL), nil)
	r = admin.SendJSON("POST", "/api/integrations/sbmetrics", map[string]any{"function": "Metrics"})
	if r.StatusCode == http.StatusOK || strings.Contains(r.Body, "switchboard_http_requests_total") {
		t.Fatalf("/metrics through the sandbox's listener = %d %s", r.StatusCode, r.Body)
	}

	// Per-organization sandboxes: a patient written through the demo
	// organization's Open Dental is in its sandbox only.
	globex, _ := testsupport.Seed(t, srv.App.Store, "globex", "owner@globex.test", "owner")
	if err := srv.App.SeedSandboxIntegrations(t.Context(), globex.ID); err != nil {
		t.Fatal(err)
	}
	settleSync(t, srv) // the demo's own bookings are delivered
	mine, theirs := srv.DemoSandbox(t), srv.App.SandboxOf(globex.ID)
	before, theirsBefore := len(mine.OpenDentalPatients()), len(theirs.OpenDentalPatients())
	agent := srv.KeyClient(t, demo.ID, "agent")
	if r := agent.SendJSON("POST", "/api/integrations/opendental", map[string]any{"function": "CreatePatient",
		"params": map[string]any{"LName": "Isolated", "FName": "Ida"}}); r.StatusCode != 200 {
		t.Fatalf("create in the demo sandbox = %d %s", r.StatusCode, r.Body)
	}
	if len(mine.OpenDentalPatients()) != before+1 || len(theirs.OpenDentalPatients()) != theirsBefore {
		t.Fatalf("patients: demo %d → %d, globex %d → %d", before, len(mine.OpenDentalPatients()), theirsBefore, len(theirs.OpenDentalPatients()))
	}
	// globex aims its own Open Dental (its credentials) at the demo
	// organization's tenant: refused by the sandbox.
	gAdmin := srv.KeyClient(t, globex.ID, "admin")
	var doc map[string]any
	gAdmin.Get("/api/admin/integrations/opendental").JSON(t, &doc)
	doc["base_url"] = map[string]any{"production": srv.App.SandboxURL + sandbox.TenantPrefix(sandbox.OrgTenant(demo.ID)) + sandbox.OpenDentalPrefix}
	b, _ := json.Marshal(doc)
	if r := gAdmin.Do("PUT", "/api/admin/integrations/opendental?confirm_credentials_host=true", strings.NewReader(string(b)), http.Header{"Content-Type": {"application/json"}}); r.StatusCode != 200 {
		t.Fatalf("re-point = %d %s", r.StatusCode, r.Body)
	}
	if r := gAdmin.SendJSON("POST", "/api/integrations/opendental", map[string]any{"function": "ListProviders"}); r.StatusCode == 200 {
		t.Fatalf("globex's credentials on the demo organization's sandbox = %d %s", r.StatusCode, r.Body)
	}

	// The control endpoints: an anonymous reset is refused and changes
	// nothing; the signed-in demo owner's resets the demo sandbox alone.
	if r := srv.NewClient(t).Do("POST", "/sandbox/_sandbox/reset", nil, nil); r.StatusCode == 200 {
		t.Fatalf("anonymous reset = %d %s", r.StatusCode, r.Body)
	}
	if n := len(mine.OpenDentalPatients()); n != before+1 {
		t.Fatalf("an anonymous reset changed the sandbox: %d patients, want %d", n, before+1)
	}
	owner := srv.NewClient(t)
	owner.Login(login.Email, login.Password)
	tok := owner.CSRF("/")
	if r := owner.Get("/sandbox/_sandbox/stats"); r.StatusCode != 200 {
		t.Fatalf("stats for the owner = %d %s", r.StatusCode, r.Body)
	}
	if r := owner.Do("POST", "/sandbox/_sandbox/reset", nil, http.Header{"X-CSRF-Token": {tok}}); r.StatusCode != 200 {
		t.Fatalf("the owner's reset = %d %s", r.StatusCode, r.Body)
	}
	if n, seeded := len(mine.OpenDentalPatients()), len(sandbox.New(sandbox.DefaultConfig()).OpenDentalPatients()); n != seeded {
		t.Fatalf("after the owner's reset the demo sandbox holds %d patients, want the seeded %d", n, seeded)
	}
	if n := len(theirs.OpenDentalPatients()); n != theirsBefore {
		t.Fatalf("the demo owner's reset changed globex's sandbox: %d patients, want %d", n, theirsBefore)
	}
}
