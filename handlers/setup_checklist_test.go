package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"switchboard/testsupport"
)

// TestSetupChecklistTicksFromRealState: a new practice's dashboard shows
// the first-run checklist with nothing ticked; saving the time zone and
// opening hours ticks that step, creating an agent key ticks its step,
// and each step links to where it is done. The demo practice, set up end
// to end, sees no checklist once a Test Connection passed and it has an
// agent key.
func TestSetupChecklistTicksFromRealState(t *testing.T) {
	srv := startIdentity(t, testsupport.SQLiteURL(t))
	org, _ := testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	c := srv.NewClient(t)
	c.Login("owner@acme.test", testsupport.Password)
	step := func(key string) string {
		body := c.Get("/").Body
		_, rest, ok := strings.Cut(body, `data-testid="setup-step-`+key+`" data-done="`)
		if !ok {
			t.Fatalf("no step %s on the dashboard", key)
		}
		return rest[:strings.Index(rest, `"`)]
	}
	home := c.Get("/").Body
	if !strings.Contains(home, `data-testid="setup-checklist"`) || !strings.Contains(home, `href="/settings"`) || !strings.Contains(home, `href="/api-keys"`) {
		t.Fatal("a new practice's dashboard has no linked setup checklist")
	}
	for _, k := range []string{"clock", "system", "credentials", "test", "sync", "agent-key"} {
		if got := step(k); got != "false" {
			t.Errorf("step %s of a new practice is done = %s", k, got)
		}
	}
	admin := srv.KeyClient(t, org.ID, "admin")
	if r := admin.SendJSON("PUT", "/api/admin/organization", map[string]any{"time_zone": "America/Chicago",
		"opening_hours": map[string]any{"mon": []map[string]string{{"start": "08:00", "end": "17:00"}}}}); r.StatusCode != http.StatusOK {
		t.Fatalf("PUT organization = %d %s", r.StatusCode, r.Body)
	}
	if got := step("clock"); got != "true" {
		t.Errorf("after saving the clock its step is done = %s", got)
	}
	testsupport.SeedKey(t, srv.App.Store, org.ID, "agent")
	if got := step("agent-key"); got != "true" {
		t.Errorf("after an agent key its step is done = %s", got)
	}
	if got := step("system"); got != "false" {
		t.Errorf("the practice-system step is done = %s without an integration", got)
	}

	demo, login := testsupport.StartDemo(t)
	testsupport.SeedKey(t, demo.App.Store, demo.DemoOrg(t).ID, "agent")
	dc := demo.NewClient(t)
	dc.Login(login.Email, login.Password)
	if !strings.Contains(dc.Get("/").Body, `data-testid="setup-step-test" data-done="false"`) {
		t.Error("the demo practice, never tested, has its Test Connection step ticked")
	}
	// What a passing Test Connection saves.
	if _, err := demo.App.DB.NewRaw("UPDATE api_credentials SET last_test_ok = TRUE").Exec(t.Context()); err != nil {
		t.Fatal(err)
	}
	if body := dc.Get("/").Body; strings.Contains(body, `data-testid="setup-checklist"`) {
		_, rest, _ := strings.Cut(body, `data-testid="setup-checklist"`)
		t.Errorf("the set-up demo practice still shows the checklist: %.600s", rest)
	}
}
