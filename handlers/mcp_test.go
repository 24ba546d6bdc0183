package handlers_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"switchboard/buildinfo"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"switchboard/integrations/definition"
	"switchboard/models"
	"switchboard/testsupport"
)

type bearerTransport struct {
	key  string
	next http.RoundTripper
}

func (b bearerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.key)
	return b.next.RoundTrip(r)
}

// mcpSession connects the official SDK's client to /mcp with a key.
func mcpSession(t *testing.T, srv *testsupport.Server, key string) *mcp.ClientSession {
	t.Helper()
	client := mcp.NewClient(&mcp.Implementation{Name: "test-agent", Version: "1"}, nil)
	tr := &mcp.StreamableClientTransport{Endpoint: srv.URL + "/mcp", DisableStandaloneSSE: true,
		HTTPClient: &http.Client{Transport: bearerTransport{key, http.DefaultTransport}, Timeout: 30 * time.Second}}
	cs, err := client.Connect(t.Context(), tr, nil)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() { _ = cs.Close() })
	return cs
}

func callTool(t *testing.T, cs *mcp.ClientSession, name string, args map[string]any) (*mcp.CallToolResult, string) {
	t.Helper()
	res, err := cs.CallTool(t.Context(), &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("call %s: %v", name, err)
	}
	var text strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			text.WriteString(tc.Text)
		}
	}
	return res, text.String()
}

// TestMCPWithTheOfficialClient: the SDK's own client initializes against
// /mcp with an agent key, lists the record tools and one tool per Open
// Dental function, creates a patient and an appointment that appear
// locally and sync to the practice system, reads it back, runs a function
// tool, and gets an error result (nothing booked) for what the records
// service refuses. Without a key, /mcp answers 401.
func TestMCPWithTheOfficialClient(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, url string) {
		srv, _ := testsupport.StartDemoOn(t, url)
		org := srv.DemoOrg(t)
		key, _ := testsupport.SeedKey(t, srv.App.Store, org.ID, "agent")
		cs := mcpSession(t, srv, key)
		if got := cs.InitializeResult().ServerInfo; got.Name != "switchboard" || got.Version != buildinfo.Get().Short() {
			t.Fatalf("server = %q %q, want switchboard %q", got.Name, got.Version, buildinfo.Get().Short())
		}
		list, err := cs.ListTools(t.Context(), nil)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, tool := range list.Tools {
			names = append(names, tool.Name)
			if !definition.ValidToolName(tool.Name) {
				t.Errorf("tool name %q does not match ^[a-zA-Z0-9_-]{1,64}$", tool.Name)
			}
		}
		for _, want := range []string{"create_appointment", "get_appointment", "reschedule_appointment", "cancel_appointment",
			"find_patients", "create_patient", "find_open_slots", "opendental__GetPatient", "opendental__CreateAppointment", "cloud9__GetLocations"} {
			if !slices.Contains(names, want) {
				t.Errorf("no tool %s in %v", want, names)
			}
		}

		// find_open_slots: the demo practice opens 08:00 on weekdays; the
		// first free slot of provider 1 on a Monday is then.
		res, text := callTool(t, cs, "find_open_slots", map[string]any{"from": "2031-06-02", "to": "2031-06-02",
			"duration_minutes": 30, "provider_ref": "1", "step_minutes": 30})
		if res.IsError || !strings.Contains(text, `"start":"2031-06-02T08:00:00-05:00"`) {
			t.Fatalf("find_open_slots = %v %.400s", res.IsError, text)
		}
		res, text = callTool(t, cs, "create_patient", map[string]any{"first_name": "Mae", "last_name": "Jemison", "birthdate": "1986-10-17"})
		var p struct {
			ID int64 `json:"id"`
		}
		if res.IsError || json.Unmarshal([]byte(text), &p) != nil || p.ID == 0 {
			t.Fatalf("create_patient = %v %s", res.IsError, text)
		}
		res, text = callTool(t, cs, "create_appointment", map[string]any{"patient_id": p.ID, "start": "2031-06-02T10:00:00-05:00",
			"duration_minutes": 45, "provider_ref": "1", "operatory_ref": "1"})
		var a struct {
			ID    int64  `json:"id"`
			Start string `json:"start"`
		}
		if res.IsError || json.Unmarshal([]byte(text), &a) != nil || a.ID == 0 || a.Start != "2031-06-02T10:00:00-05:00" {
			t.Fatalf("create_appointment = %v %s", res.IsError, text)
		}
		local, err := srv.App.Store.Tenant(org.ID).Appointment(t.Context(), a.ID)
		if err != nil || local.DurationMinutes != 45 {
			t.Fatalf("the appointment is not stored locally: %v %+v", err, local)
		}
		waitSynced(t, srv, org.ID, definition.EntityAppointment, a.ID)
		if _, text := callTool(t, cs, "get_appointment", map[string]any{"id": a.ID}); !strings.Contains(text, `"status":"synced"`) {
			t.Fatalf("get_appointment = %s, want it synced", text)
		}

		// A function tool runs through the executor.
		res, text = callTool(t, cs, "opendental__GetPatient", map[string]any{"PatNum": 1})
		if res.IsError || !strings.Contains(text, `"first_name"`) {
			t.Fatalf("opendental__GetPatient = %v %s", res.IsError, text)
		}

		// What the records service refuses is an error result; nothing is
		// booked.
		before, _ := srv.App.Store.Tenant(org.ID).Appointments(t.Context(), models.AppointmentFilter{Limit: 1000})
		res, text = callTool(t, cs, "create_appointment", map[string]any{"patient_id": p.ID, "start": "2031-06-03T10:00:00-05:00", "provider_ref": "99"})
		if !res.IsError || !strings.Contains(text, `"code":"validation_failed"`) || !strings.Contains(text, "provider_ref") {
			t.Fatalf("booking with a provider Open Dental does not list = %v %s, want an error result naming provider_ref", res.IsError, text)
		}
		after, _ := srv.App.Store.Tenant(org.ID).Appointments(t.Context(), models.AppointmentFilter{Limit: 1000})
		if len(after) != len(before) {
			t.Fatalf("a refused booking was saved: %d → %d", len(before), len(after))
		}

		if r := srv.NewClient(t).Do("POST", "/mcp", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`),
			http.Header{"Content-Type": {"application/json"}, "Accept": {"text/html"}}); r.StatusCode != 401 ||
			r.Header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("/mcp without a key = %d %s %s (want a 401 problem document, whatever the client accepts)", r.StatusCode, r.Header.Get("Content-Type"), r.Body)
		}
	})
}

// waitSynced waits until the record's only sync state is synced.
func waitSynced(t *testing.T, srv *testsupport.Server, orgID int64, entity string, id int64) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		states, err := srv.App.Sync.States(t.Context(), orgID, entity, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(states) > 0 && states[0].Status == models.JobSynced {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s %d not synced: %+v", entity, id, states)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestMCPCallOutsideTheKeysScope: a key with records:read only lists and
// reads, but create_appointment and a writing function tool answer an
// error result naming the missing scope, and nothing is booked or sent.
func TestMCPCallOutsideTheKeysScope(t *testing.T) {
	srv, _ := testsupport.StartDemo(t)
	org := srv.DemoOrg(t)
	key, k := testsupport.SeedKey(t, srv.App.Store, org.ID, "agent")
	if _, err := srv.App.Store.Tenant(org.ID).SetAPIKeyScopes(t.Context(), k.ID, []string{models.ScopeRecordsRead}, nil); err != nil {
		t.Fatal(err)
	}
	settleSync(t, srv)
	cs := mcpSession(t, srv, key)
	if res, text := callTool(t, cs, "find_patients", map[string]any{"query": "Ada"}); res.IsError || !strings.Contains(text, "Lovelace") {
		t.Fatalf("find_patients with records:read = %v %s", res.IsError, text)
	}
	before, _ := srv.App.Store.Tenant(org.ID).Appointments(t.Context(), models.AppointmentFilter{Limit: 1000})
	res, text := callTool(t, cs, "create_appointment", map[string]any{"patient_id": 1, "start": "2031-06-02T10:00:00-05:00",
		"provider_ref": "1", "operatory_ref": "1"})
	if !res.IsError || !strings.Contains(text, "this key lacks the scope records:write") {
		t.Fatalf("create_appointment with records:read = %v %s", res.IsError, text)
	}
	after, _ := srv.App.Store.Tenant(org.ID).Appointments(t.Context(), models.AppointmentFilter{Limit: 1000})
	if len(after) != len(before) {
		t.Fatalf("a refused call booked: %d → %d", len(before), len(after))
	}
	sent := len(srv.DemoSandbox(t).OpenDentalPatients())
	res, text = callTool(t, cs, "opendental__CreatePatient", map[string]any{"LName": "No", "FName": "Pe"})
	if !res.IsError || !strings.Contains(text, "this key lacks the scope execute:write") || len(srv.DemoSandbox(t).OpenDentalPatients()) != sent {
		t.Fatalf("a writing function tool with records:read = %v %s", res.IsError, text)
	}
}
