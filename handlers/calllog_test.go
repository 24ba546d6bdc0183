package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"switchboard/integrations/health"
	"switchboard/testsupport"
)

// callRow is one api_calls row as the tests read it.
type callRow struct {
	Caller   string `bun:"caller"`
	Function string `bun:"function"`
	OK       bool   `bun:"ok"`
}

// callLog flushes the call log and reads the organization's rows of a
// provider.
func callLog(t *testing.T, srv *testsupport.Server, orgID int64, provider string) []callRow {
	t.Helper()
	if err := srv.App.Calls.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	var rows []callRow
	if err := srv.App.DB.NewRaw("SELECT caller, function, ok FROM api_calls WHERE organization_id = ? AND provider = ? ORDER BY id",
		orgID, provider).Scan(t.Context(), &rows); err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestEveryDoorIsInTheCallLog: the call log records the executions of
// every door, since the executor reports them: the agents' API, MCP
// function tools, the booking API (its providers come from the reference
// lists), reference lists, Test Connection and sync deliveries;
// the status's calls_24h counts them all (three MCP calls used to leave it
// at 0).
func TestEveryDoorIsInTheCallLog(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, url string) {
		srv, agent, admin := demoOn(t, url)
		settleSync(t, srv) // the demo's patients are delivered to Open Dental
		org := srv.DemoOrg(t)
		key, _ := testsupport.SeedKey(t, srv.App.Store, org.ID, "agent")
		cs := mcpSession(t, srv, key)
		for range 3 {
			if res, text := callTool(t, cs, "opendental__GetPatient", map[string]any{"PatNum": 1}); res.IsError {
				t.Fatalf("opendental__GetPatient = %s", text)
			}
		}
		if r := agent.SendJSON("POST", "/api/integrations/opendental", map[string]any{"function": "ListProviders"}); r.StatusCode != http.StatusOK {
			t.Fatalf("execute = %d %s", r.StatusCode, r.Body)
		}
		if r := agent.SendJSON("POST", "/api/booking", map[string]any{"function": "GetProviders"}); r.StatusCode != http.StatusOK {
			t.Fatalf("booking GetProviders = %d %s", r.StatusCode, r.Body)
		}
		if r := agent.Get("/api/reference/operatories?integration=opendental"); r.StatusCode != http.StatusOK {
			t.Fatalf("reference = %d %s", r.StatusCode, r.Body)
		}
		if r := admin.SendJSON("POST", "/api/admin/api-credentials/test", map[string]any{"integration": "opendental"}); r.StatusCode != http.StatusOK {
			t.Fatalf("test connection = %d %s", r.StatusCode, r.Body)
		}
		rows := callLog(t, srv, org.ID, "opendental")
		byCaller := map[string]int{}
		mcpCalls := 0
		for _, r := range rows {
			byCaller[r.Caller]++
			if r.Function == "GetPatient" && strings.HasPrefix(r.Caller, "api key test agent") {
				mcpCalls++
			}
		}
		if mcpCalls != 3 {
			t.Errorf("%d MCP calls of GetPatient in the call log, want 3: %+v", mcpCalls, rows)
		}
		for _, caller := range []string{"sync", "reference lists"} {
			if byCaller[caller] == 0 {
				t.Errorf("no call by %q in the call log: %v", caller, byCaller)
			}
		}
		var adminCalls int
		bookingProviders := 0
		for _, r := range rows {
			if r.Caller == "reference lists" && strings.Contains(r.Function, "Provider") {
				bookingProviders++
			}
		}
		if bookingProviders == 0 {
			t.Errorf("the booking API's GetProviders left no call in the log: %+v", rows)
		}
		for caller, n := range byCaller {
			if strings.HasPrefix(caller, "api key test admin") {
				adminCalls += n
			}
		}
		if adminCalls != 1 {
			t.Errorf("Test Connection left %d calls by the admin key, want 1: %v", adminCalls, byCaller)
		}
		var st health.Status
		admin.Get("/api/integrations/opendental").JSON(t, &st)
		if st.Calls24h != len(rows) || st.Calls24h < 7 {
			t.Errorf("calls_24h = %d, want every call of the log (%d)", st.Calls24h, len(rows))
		}
	})
}
