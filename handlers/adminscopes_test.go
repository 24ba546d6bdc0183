package handlers_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"switchboard/models"
	"switchboard/testsupport"
)

// adminKey is a client of the demo organization whose admin key holds only
// scopes (and, when given, only integrations).
func adminKey(t *testing.T, srv *testsupport.Server, scopes, integrations []string) *testsupport.Client {
	t.Helper()
	org := srv.DemoOrg(t)
	key, k := testsupport.SeedKey(t, srv.App.Store, org.ID, models.KeyRoleAdmin)
	if _, err := srv.App.Store.Tenant(org.ID).SetAPIKeyScopes(t.Context(), k.ID, scopes, integrations); err != nil {
		t.Fatal(err)
	}
	return srv.ClientWithKey(t, key)
}

// TestEveryAPIRouteDeclaresAScope walks the router's routes: every /api
// route (and MCP) is checked against the scope its row of the route table
// declares. An admin key holding a scope no route needs is refused by each
// of them with 403 naming the route's scope; only the routes any key may
// call (who-am-I, MCP and /api/tools, which list and check each tool's
// scope) and the public
// OpenAPI document let it through. A route mounted without a declared
// scope would reach its handler and fail the test.
func TestEveryAPIRouteDeclaresAScope(t *testing.T) {
	srv, _ := testsupport.StartDemo(t)
	org := srv.DemoOrg(t)
	key, k := testsupport.SeedKey(t, srv.App.Store, org.ID, models.KeyRoleAdmin)
	if _, err := srv.App.DB.NewRaw("UPDATE api_keys SET scopes = 'nothing:here' WHERE id = ?", k.ID).Exec(t.Context()); err != nil {
		t.Fatal(err)
	}
	c := srv.ClientWithKey(t, key)
	open := []string{"GET /api/me", "GET /api/openapi.json", "POST /mcp", "GET /mcp", "DELETE /mcp", "GET /api/tools", "POST /api/tools/:name"}
	var checked int
	for _, rt := range srv.App.Router.Routes() {
		if (!strings.HasPrefix(rt.Path, "/api/") && rt.Path != "/mcp") || strings.HasSuffix(rt.Path, "*") {
			continue
		}
		path := strings.NewReplacer(":provider", "opendental", ":kind", "providers").Replace(rt.Path)
		for _, seg := range strings.Split(path, "/") {
			if strings.HasPrefix(seg, ":") {
				path = strings.Replace(path, seg, "1", 1)
			}
		}
		r := c.Do(rt.Method, path, strings.NewReader("{}"), http.Header{"Content-Type": {"application/json"}, "Idempotency-Key": {"k-" + rt.Name}})
		if slices.Contains(open, rt.Method+" "+rt.Path) {
			if r.StatusCode == http.StatusForbidden && strings.Contains(r.Body, "lacks the scope") {
				t.Errorf("%s %s is open to any key but answered %d %s", rt.Method, rt.Path, r.StatusCode, r.Body)
			}
			continue
		}
		checked++
		var p struct {
			Code   string `json:"code"`
			Detail string `json:"detail"`
		}
		_ = json.Unmarshal([]byte(r.Body), &p)
		scope, found := strings.CutPrefix(p.Detail, "this key lacks the scope ")
		if r.StatusCode != http.StatusForbidden || p.Code != "forbidden" || !found || !slices.Contains(models.AllScopes, scope) {
			t.Errorf("%s %s declares no scope the middleware checks: %d %s", rt.Method, rt.Path, r.StatusCode, r.Body)
		}
	}
	if checked < 50 {
		t.Fatalf("only %d /api routes checked", checked)
	}
}

// TestAdminAPIScopes: an admin key with records:read alone reads records
// but may not change a credential, add or delete an integration, or run
// Test Connection (which sends the stored credential upstream); admin:read
// reads the admin API but changes nothing; admin:write changes
// integrations but not credentials; credentials:write tests them; a
// default admin key holds every scope.
func TestAdminAPIScopes(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, url string) {
		srv, _, full := demoOn(t, url)
		var creds struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		if r := full.Get("/api/admin/api-credentials"); r.StatusCode != 200 {
			t.Fatalf("default admin key lists credentials = %d %s", r.StatusCode, r.Body)
		} else {
			r.JSON(t, &creds)
		}
		if len(creds.Items) == 0 {
			t.Fatal("the demo has no stored credentials")
		}
		credPath := fmt.Sprintf("/api/admin/api-credentials/%d", creds.Items[0].ID)
		newIntegration := map[string]any{"catalog": "opendental", "slug": "od-two", "name": "Second OD"}
		type call struct {
			method, path string
			body         any
			scope        string
		}
		calls := []call{
			{"PUT", credPath, map[string]any{"fields": map[string]string{"customer_key": "changed-by-a-reader-1234"}}, models.ScopeCredentialsWrite},
			{"POST", "/api/admin/api-credentials/test", map[string]any{"integration": "opendental"}, models.ScopeCredentialsWrite},
			{"DELETE", credPath, nil, models.ScopeCredentialsWrite},
			{"POST", "/api/admin/integrations/from-catalog", newIntegration, models.ScopeAdminWrite},
			{"DELETE", "/api/admin/integrations/opendental", nil, models.ScopeAdminWrite},
			{"PUT", "/api/admin/organization", map[string]any{"name": "Renamed"}, models.ScopeAdminWrite},
			{"GET", "/api/admin/integrations", nil, models.ScopeAdminRead},
			{"GET", "/api/admin/api-credentials", nil, models.ScopeAdminRead},
		}
		for _, held := range [][]string{{models.ScopeRecordsRead}, {models.ScopeAdminRead}, {models.ScopeAdminWrite, models.ScopeRecordsRead}} {
			c := adminKey(t, srv, held, nil)
			if r := c.Get("/api/patients"); (r.StatusCode == 200) != slices.Contains(held, models.ScopeRecordsRead) {
				t.Errorf("key with %v lists patients = %d", held, r.StatusCode)
			}
			for _, k := range calls {
				allowed := slices.Contains(held, k.scope) || (k.scope == models.ScopeAdminRead && slices.Contains(held, models.ScopeAdminWrite))
				if allowed && k.method != "GET" {
					continue // changes are made by the default key below
				}
				r := c.SendJSON(k.method, k.path, k.body)
				refused := r.StatusCode == 403 && strings.Contains(r.Body, "this key lacks the scope "+k.scope)
				if allowed == refused {
					t.Errorf("key with %v: %s %s = %d %s", held, k.method, k.path, r.StatusCode, r.Body)
				}
			}
		}
		if r := full.SendJSON("POST", "/api/admin/api-credentials/test", map[string]any{"integration": "opendental"}); r.StatusCode != 200 {
			t.Fatalf("default admin key tests a connection = %d %s", r.StatusCode, r.Body)
		}
		if r := full.SendJSON("POST", "/api/admin/integrations/from-catalog", newIntegration); r.StatusCode != 201 {
			t.Fatalf("default admin key adds an integration = %d %s", r.StatusCode, r.Body)
		}
		if r := adminKey(t, srv, []string{models.ScopeAdminWrite}, nil).SendJSON("DELETE", "/api/admin/integrations/od-two", nil); r.StatusCode != 204 {
			t.Fatalf("admin:write deletes an integration = %d %s", r.StatusCode, r.Body)
		}
		if r := full.SendJSON("DELETE", credPath, nil); r.StatusCode != 204 {
			t.Fatalf("default admin key deletes a credential = %d %s", r.StatusCode, r.Body)
		}
	})
}

// slugsOf is the integration slugs of a list answer (its items' slug or
// integration field).
func slugsOf(t *testing.T, r *testsupport.Response) []string {
	t.Helper()
	if r.StatusCode != 200 {
		t.Fatalf("list = %d %s", r.StatusCode, r.Body)
	}
	var l struct {
		Items []struct {
			Slug        string `json:"slug"`
			Integration any    `json:"integration"`
		} `json:"items"`
	}
	r.JSON(t, &l)
	var out []string
	for _, it := range l.Items {
		switch v := it.Integration.(type) {
		case string:
			out = append(out, v)
		case map[string]any:
			out = append(out, fmt.Sprint(v["slug"]))
		default:
			out = append(out, it.Slug)
		}
	}
	return out
}

// TestIntegrationLimitedKeys: a key limited to cloud9 may not read
// opendental's status, functions or reference lists (no call reaches
// opendental), nor its admin document, credentials or sync settings, and
// its lists show cloud9 alone; cloud9's own routes answer as before.
func TestIntegrationLimitedKeys(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, url string) {
		srv, _, full := demoOn(t, url)
		agent := scopedKey(t, srv, nil, []string{"cloud9"})
		admin := adminKey(t, srv, nil, []string{"cloud9"})
		// Calls made for a key or for a reference list (sync deliveries
		// of the demo's own bookings are not the keys' doing).
		agentCalls := func() int {
			if err := srv.App.Calls.Flush(t.Context()); err != nil {
				t.Fatal(err)
			}
			var n int
			if err := srv.App.DB.NewRaw("SELECT count(*) FROM api_calls WHERE caller LIKE 'api key%' OR caller = 'reference lists'").Scan(t.Context(), &n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		calls := agentCalls()
		for _, k := range []struct {
			c      *testsupport.Client
			method string
			path   string
		}{
			{agent, "GET", "/api/integrations/opendental"},
			{agent, "GET", "/api/integrations/opendental/functions"},
			{agent, "GET", "/api/reference/providers?integration=opendental"},
			{agent, "GET", "/api/reference/providers"}, // the demo's lists come from opendental
			{admin, "GET", "/api/admin/integrations/opendental"},
			{admin, "GET", "/api/admin/integrations/opendental/endpoints"},
			{admin, "DELETE", "/api/admin/integrations/opendental"},
			{admin, "GET", "/api/admin/sync-errors?integration=opendental"},
		} {
			if r := k.c.SendJSON(k.method, k.path, nil); r.StatusCode != 403 || !strings.Contains(r.Body, "may not use the integration opendental") {
				t.Errorf("cloud9-only key: %s %s = %d %s", k.method, k.path, r.StatusCode, r.Body)
			}
		}
		if after := agentCalls(); after != calls {
			t.Errorf("refused calls reached an upstream: %d call log entries, were %d", after, calls)
		}
		if r := agent.Get("/api/integrations/cloud9/functions"); r.StatusCode != 200 {
			t.Errorf("cloud9-only key reads cloud9's functions = %d %s", r.StatusCode, r.Body)
		}
		for _, list := range []struct {
			c    *testsupport.Client
			path string
		}{{agent, "/api/integrations"}, {admin, "/api/admin/integrations"}, {admin, "/api/admin/integration-settings"}, {admin, "/api/admin/api-credentials"}} {
			all := slugsOf(t, full.Get(list.path))
			got := slugsOf(t, list.c.Get(list.path))
			if !slices.Contains(all, "opendental") {
				t.Fatalf("%s of the default key = %v, no opendental to hide", list.path, all)
			}
			for _, s := range got {
				if s != "cloud9" {
					t.Errorf("%s of a cloud9-only key = %v", list.path, got)
					break
				}
			}
		}
	})
}
