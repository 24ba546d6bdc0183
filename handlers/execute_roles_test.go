package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"switchboard/testsupport"
)

// TestExecutionAPIIsForKeysAndAdmins walks every route of the execution API
// as a staff session (403 forbidden), as an agent key, an admin key and an
// admin session (all allowed).
func TestExecutionAPIIsForKeysAndAdmins(t *testing.T) {
	srv, agent, adminKey := demoAdmin(t)
	staff := demoStaff(t, srv)
	staffToken := staff.CSRF("/profile")
	testsupport.Seed(t, srv.App.Store, "demo", "manager@demo.test", "admin")
	admin := srv.NewClient(t)
	admin.Login("manager@demo.test", testsupport.Password)
	adminToken := admin.CSRF("/profile")
	routes := []struct {
		name, method, path, body string
	}{
		{"List", "GET", "/api/integrations", ""},
		{"Status", "GET", "/api/integrations/opendental", ""},
		{"ExecuteRead", "POST", "/api/integrations/opendental", `{"function":"ListProviders"}`},
		{"ExecuteWrite", "POST", "/api/integrations/opendental", `{"function":"CreatePatient","params":{"LName":"Roe","FName":"Ann"}}`},
		{"Functions", "GET", "/api/integrations/opendental/functions", ""},
		{"FunctionsAsTools", "GET", "/api/integrations/opendental/functions?format=openai", ""},
	}
	send := func(c *testsupport.Client, token, method, path, body string) *testsupport.Response {
		h := http.Header{"Accept": {"application/json"}, "Content-Type": {"application/json"}}
		if token != "" {
			h.Set("X-CSRF-Token", token)
		}
		return c.Do(method, path, strings.NewReader(body), h)
	}
	for _, rt := range routes {
		t.Run(rt.name+"RefusesStaff", func(t *testing.T) {
			r := send(staff, staffToken, rt.method, rt.path, rt.body)
			if r.StatusCode != http.StatusForbidden || !strings.Contains(r.Body, `"code":"forbidden"`) {
				t.Fatalf("staff %s %s = %d %.300s, want 403 forbidden", rt.method, rt.path, r.StatusCode, r.Body)
			}
		})
		for _, caller := range []struct {
			who   string
			c     *testsupport.Client
			token string
		}{{"AgentKey", agent, ""}, {"AdminKey", adminKey, ""}, {"AdminSession", admin, adminToken}} {
			t.Run(rt.name+"Allows"+caller.who, func(t *testing.T) {
				r := send(caller.c, caller.token, rt.method, rt.path, rt.body)
				if r.StatusCode == http.StatusForbidden || r.StatusCode == http.StatusUnauthorized {
					t.Fatalf("%s %s %s = %d %.300s, want it allowed", caller.who, rt.method, rt.path, r.StatusCode, r.Body)
				}
				if rt.name != "ExecuteWrite" && r.StatusCode != http.StatusOK {
					t.Fatalf("%s %s %s = %d %.300s, want 200", caller.who, rt.method, rt.path, r.StatusCode, r.Body)
				}
			})
		}
	}
	t.Run("StaffKeepsTheRecordsAPI", func(t *testing.T) {
		if r := send(staff, "", "GET", "/api/patients", ""); r.StatusCode != http.StatusOK {
			t.Fatalf("staff GET /api/patients = %d %.300s, want 200", r.StatusCode, r.Body)
		}
		if r := send(staff, "", "GET", "/api/me", ""); r.StatusCode != http.StatusOK {
			t.Fatalf("staff GET /api/me = %d %.300s, want 200", r.StatusCode, r.Body)
		}
	})
}
