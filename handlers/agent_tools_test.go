package handlers_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"switchboard/models"
	"switchboard/testsupport"
)

var recordTools = []string{"find_open_slots", "create_appointment", "get_appointment", "reschedule_appointment", "cancel_appointment",
	"find_patients", "create_patient", "list_providers", "list_operatories"}

var readTools = []string{"find_open_slots", "get_appointment", "find_patients", "list_providers", "list_operatories"}

// toolNames reads the names of a GET /api/tools?format= answer.
func toolNames(t *testing.T, c *testsupport.Client, format string) ([]string, []map[string]any) {
	t.Helper()
	r := c.Get("/api/tools?format=" + format)
	var out struct{ Tools []map[string]any }
	r.JSON(t, &out)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/tools?format=%s = %d %s", format, r.StatusCode, r.Body)
	}
	var names []string
	for _, tool := range out.Tools {
		switch {
		case tool["function"] != nil:
			names = append(names, tool["function"].(map[string]any)["name"].(string))
		default:
			names = append(names, tool["name"].(string))
		}
	}
	return names, out.Tools
}

// TestAgentToolsFollowTheKeysScopes: GET /api/tools offers the record
// tools and the key's functions in every LLM format, and MCP tools/list
// (read through the official Go SDK client) the same, each only what the
// key's scopes allow; MCP tools carry titles and annotations.
func TestAgentToolsFollowTheKeysScopes(t *testing.T) {
	srv, _ := testsupport.StartDemo(t)
	org := srv.DemoOrg(t)
	fullKey, _ := testsupport.SeedKey(t, srv.App.Store, org.ID, "agent")
	readKey, k := testsupport.SeedKey(t, srv.App.Store, org.ID, "agent")
	if _, err := srv.App.Store.Tenant(org.ID).SetAPIKeyScopes(t.Context(), k.ID, []string{models.ScopeRecordsRead, models.ScopeExecuteRead}, nil); err != nil {
		t.Fatal(err)
	}
	full, read := srv.ClientWithKey(t, fullKey), srv.ClientWithKey(t, readKey)
	for _, format := range []string{"openai", "openai&strict=true", "openai-responses", "anthropic"} {
		names, _ := toolNames(t, full, format)
		for _, want := range append(slices.Clone(recordTools), "opendental__GetPatient", "opendental__CreateAppointment") {
			if !slices.Contains(names, want) {
				t.Errorf("full key, %s: no %s in %v", format, want, names)
			}
		}
		names, _ = toolNames(t, read, format)
		for _, want := range append(slices.Clone(readTools), "opendental__GetPatient") {
			if !slices.Contains(names, want) {
				t.Errorf("read-only key, %s: no %s in %v", format, want, names)
			}
		}
		for _, never := range []string{"create_appointment", "cancel_appointment", "create_patient", "reschedule_appointment", "opendental__CreateAppointment"} {
			if slices.Contains(names, never) {
				t.Errorf("read-only key, %s: offered %s", format, never)
			}
		}
	}
	t.Logf("read-only key sees: %v", must(toolNames(t, read, "anthropic")))
	t.Logf("full key sees: %v", must(toolNames(t, full, "anthropic")))

	// The function lists of an integration follow the scopes too.
	if r := read.Get("/api/integrations/opendental/functions?format=anthropic"); r.StatusCode != http.StatusOK ||
		strings.Contains(r.Body, `"name":"CreateAppointment"`) || !strings.Contains(r.Body, `"name":"GetPatient"`) {
		t.Errorf("read-only key's Open Dental functions = %d %.500s", r.StatusCode, r.Body)
	}

	// Strict mode: the record tools' ids take numbers or strings.
	_, strict := toolNames(t, full, "openai&strict=true")
	for _, tool := range strict {
		fn := tool["function"].(map[string]any)
		if fn["name"] != "create_appointment" {
			continue
		}
		params := fn["parameters"].(map[string]any)
		if fn["strict"] != true || params["additionalProperties"] != false {
			t.Errorf("create_appointment in strict mode = %v", fn)
		}
		b, _ := json.Marshal(params["properties"].(map[string]any)["patient_id"])
		if !strings.Contains(string(b), `["integer","string"]`) {
			t.Errorf("patient_id = %s, want integer or string", b)
		}
	}

	mcpAnnotations(t, srv, fullKey, readKey)
}

func must[T, U any](v T, _ U) T { return v }

// mcpAnnotations reads both keys' MCP tool lists with the official client.
func mcpAnnotations(t *testing.T, srv *testsupport.Server, fullKey, readKey string) {
	list := func(key string) map[string]*mcp.Tool {
		res, err := mcpSession(t, srv, key).ListTools(t.Context(), nil)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]*mcp.Tool{}
		for _, tool := range res.Tools {
			out[tool.Name] = tool
		}
		return out
	}
	all, readOnly := list(fullKey), list(readKey)
	for _, name := range recordTools {
		if all[name] == nil || all[name].Title == "" || all[name].Annotations == nil {
			t.Fatalf("MCP %s = %+v, want a titled, annotated tool", name, all[name])
		}
		if _, listed := readOnly[name]; listed != slices.Contains(readTools, name) {
			t.Errorf("MCP read-only key lists %s: %v", name, listed)
		}
	}
	type hints struct{ readOnly, destructive, idempotent bool }
	for name, want := range map[string]hints{
		"find_patients": {true, false, true}, "create_appointment": {false, false, false}, "cancel_appointment": {false, true, true},
		"reschedule_appointment": {false, true, true}, "opendental__GetPatient": {true, false, true}, "opendental__CreateAppointment": {false, false, false},
	} {
		a := all[name].Annotations
		got := hints{a.ReadOnlyHint, a.DestructiveHint != nil && *a.DestructiveHint, a.IdempotentHint}
		if got != want {
			t.Errorf("MCP %s annotations = %+v, want %+v", name, got, want)
		}
	}
	if _, ok := readOnly["opendental__CreateAppointment"]; ok {
		t.Error("MCP lists a writing function to a read-only key")
	}
}

// TestToolsCalledWithoutMCP: POST /api/tools/{name} runs a record tool
// with the same answers and refusals as the route behind it; ids may be
// strings; find_open_slots is bounded by limit.
func TestToolsCalledWithoutMCP(t *testing.T) {
	srv, _ := testsupport.StartDemo(t)
	org := srv.DemoOrg(t)
	c := srv.KeyClient(t, org.ID, "agent")
	r := c.SendJSON("POST", "/api/tools/create_appointment", map[string]any{"patient_id": "1", "start": "2031-06-04T10:00",
		"provider_ref": "1", "operatory_ref": "1"})
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `"patient_id":1`) || !strings.Contains(r.Body, `"start":"2031-06-04T10:00:00-05:00"`) {
		t.Fatalf("create_appointment with a string id = %d %s", r.StatusCode, r.Body)
	}
	var a struct{ ID int64 }
	r.JSON(t, &a)
	r = c.SendJSON("POST", "/api/tools/create_appointment", map[string]any{"patient_id": 1, "start": "2031-06-04T10:00",
		"provider_ref": "1", "operatory_ref": "1"})
	if r.StatusCode != http.StatusConflict || !strings.Contains(r.Body, `"code":"slot_taken"`) || !strings.Contains(r.Body, `"conflicting_appointment_id"`) {
		t.Fatalf("the same slot again = %d %s", r.StatusCode, r.Body)
	}
	r = c.SendJSON("POST", "/api/tools/create_appointment", map[string]any{"patient_id": 1, "start": "2031-06-01T10:00", "operatory_ref": "1"})
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"field":"start"`) {
		t.Fatalf("a closed Sunday = %d %s", r.StatusCode, r.Body)
	}
	if r := c.SendJSON("POST", "/api/tools/get_appointment", map[string]any{"id": itoa(a.ID)}); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `"status":"scheduled"`) {
		t.Fatalf("get_appointment with a string id = %d %s", r.StatusCode, r.Body)
	}
	var slots struct {
		Items []map[string]any
		More  bool
	}
	r = c.SendJSON("POST", "/api/tools/find_open_slots", map[string]any{"from": "2031-06-02", "to": "2031-06-30", "duration_minutes": 30})
	r.JSON(t, &slots)
	if r.StatusCode != http.StatusOK || len(slots.Items) != 20 || !slots.More {
		t.Fatalf("find_open_slots = %d, %d items, more %v", r.StatusCode, len(slots.Items), slots.More)
	}
	if r := c.SendJSON("POST", "/api/tools/find_open_slots", map[string]any{"from": "2031-06-02", "to": "2031-06-30", "duration_minutes": 30, "limit": 500}); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"field":"limit"`) {
		t.Fatalf("limit 500 = %d %s", r.StatusCode, r.Body)
	}
	if r := c.SendJSON("POST", "/api/tools/list_providers", map[string]any{}); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `"label":"Maya Chen`) {
		t.Fatalf("list_providers = %d %s", r.StatusCode, r.Body)
	}
	if r := c.SendJSON("POST", "/api/tools/no_such_tool", map[string]any{}); r.StatusCode != http.StatusNotFound {
		t.Fatalf("an unknown tool = %d %s", r.StatusCode, r.Body)
	}
}
