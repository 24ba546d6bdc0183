package handlers_test

import (
	"fmt"
	"strings"
	"testing"

	"switchboard/models"
	"switchboard/testsupport"
)

// scopedKey is a client of the demo organization whose agent key holds
// only scopes (and, when given, only integrations).
func scopedKey(t *testing.T, srv *testsupport.Server, scopes, integrations []string) *testsupport.Client {
	t.Helper()
	org := srv.DemoOrg(t)
	key, k := testsupport.SeedKey(t, srv.App.Store, org.ID, "agent")
	if _, err := srv.App.Store.Tenant(org.ID).SetAPIKeyScopes(t.Context(), k.ID, scopes, integrations); err != nil {
		t.Fatal(err)
	}
	c := srv.ClientWithKey(t, key)
	return c
}

// TestAPIKeyScopes: each scope lets its routes through and the others
// answer 403 forbidden naming the missing scope; execute:read refuses a
// function that writes; an integration limit refuses other integrations;
// a key with every scope (the default) and cookie sessions are unchanged.
func TestAPIKeyScopes(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, url string) {
		srv, full, _ := demoOn(t, url)
		var p struct {
			ID int64 `json:"id"`
		}
		r := full.SendJSON("POST", "/api/patients", map[string]any{"first_name": "Scope", "last_name": "Test"})
		r.JSON(t, &p)
		if r.StatusCode != 201 {
			t.Fatalf("a default key creates a patient = %d %s", r.StatusCode, r.Body)
		}
		type call struct {
			method, path string
			body         any
			scope        string // the scope the call needs
		}
		calls := []call{
			{"GET", "/api/integrations", nil, models.ScopeExecuteRead},
			{"POST", "/api/integrations/opendental", map[string]any{"function": "ListProviders"}, models.ScopeExecuteRead},
			{"GET", "/api/patients", nil, models.ScopeRecordsRead},
			{"GET", fmt.Sprintf("/api/patients/%d", p.ID), nil, models.ScopeRecordsRead},
			{"GET", "/api/appointments", nil, models.ScopeRecordsRead},
			{"GET", "/api/sync-jobs/1", nil, models.ScopeRecordsRead},
			{"POST", "/api/patients", map[string]any{"first_name": "A", "last_name": "B"}, models.ScopeRecordsWrite},
			{"PATCH", fmt.Sprintf("/api/patients/%d", p.ID), map[string]any{"notes": "x"}, models.ScopeRecordsWrite},
		}
		for _, scope := range models.AllScopes {
			c := scopedKey(t, srv, []string{scope}, nil)
			for _, k := range calls {
				r := c.SendJSON(k.method, k.path, k.body)
				allowed := k.scope == scope || (k.scope == models.ScopeExecuteRead && scope == models.ScopeExecuteWrite)
				refused := r.StatusCode == 403 && strings.Contains(r.Body, `"forbidden"`) &&
					strings.Contains(r.Body, "this key lacks the scope "+k.scope)
				if allowed == refused || (allowed && r.StatusCode == 403) {
					t.Errorf("key with %s: %s %s = %d %s", scope, k.method, k.path, r.StatusCode, r.Body)
				}
			}
		}
		write := map[string]any{"function": "CreatePatient", "params": map[string]any{"LName": "Nope", "FName": "No"}}
		settleSync(t, srv) // the demo's dual-write delivers the patients above
		before := len(srv.DemoSandbox(t).OpenDentalPatients())
		r = scopedKey(t, srv, []string{models.ScopeExecuteRead}, nil).SendJSON("POST", "/api/integrations/opendental", write)
		if r.StatusCode != 403 || !strings.Contains(r.Body, "this key lacks the scope execute:write") {
			t.Fatalf("execute:read running a writing function = %d %s", r.StatusCode, r.Body)
		}
		if after := len(srv.DemoSandbox(t).OpenDentalPatients()); after != before {
			t.Fatalf("the refused write reached the upstream: %d patients, were %d", after, before)
		}
		limited := scopedKey(t, srv, []string{models.ScopeExecuteWrite}, []string{"cloud9"})
		if r := limited.SendJSON("POST", "/api/integrations/opendental", map[string]any{"function": "ListProviders"}); r.StatusCode != 403 ||
			!strings.Contains(r.Body, "integration opendental") {
			t.Fatalf("a cloud9-only key running opendental = %d %s", r.StatusCode, r.Body)
		}
		if r := limited.SendJSON("POST", "/api/integrations/cloud9", map[string]any{"function": "GetLocations"}); r.StatusCode != 200 {
			t.Fatalf("a cloud9-only key running cloud9 = %d %s", r.StatusCode, r.Body)
		}
		if r := full.SendJSON("POST", "/api/integrations/opendental", map[string]any{"function": "ListProviders"}); r.StatusCode != 200 {
			t.Fatalf("a default key executing = %d %s", r.StatusCode, r.Body)
		}
	})
}
