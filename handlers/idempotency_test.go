package handlers_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"switchboard/testsupport"
)

// TestIdempotentReplaysAreTheAnswersSent: the answer a write stores with
// its record is replaced by the one the client was sent when they differ
// (?wait= reports later sync states), for creates, updates and
// cancellations alike; a refusal is replayed as the problem document it
// was.
func TestIdempotentReplaysAreTheAnswersSent(t *testing.T) {
	srv, agent, admin := demoAdmin(t)
	r := admin.SendJSON("POST", "/api/admin/integration-settings", map[string]any{"integration": "opendental", "enabled": true,
		"direction": "dual_write", "entities": []string{"appointment", "patient"}})
	if r.StatusCode != 201 {
		t.Fatalf("sync settings = %d %s", r.StatusCode, r.Body)
	}
	send := func(method, path, key string, body any) *testsupport.Response {
		t.Helper()
		return agent.Do(method, path, strings.NewReader(mustJSON(body)),
			http.Header{"Content-Type": {"application/json"}, "Idempotency-Key": {key}})
	}
	twice := func(what, method, path, key string, body any, status int) *testsupport.Response {
		t.Helper()
		first := send(method, path, key, body)
		again := send(method, path, key, body)
		if first.StatusCode != status || again.StatusCode != status || again.Body != first.Body ||
			again.Header.Get("Content-Type") != first.Header.Get("Content-Type") ||
			again.Header.Get("Idempotent-Replayed") != "true" || first.Header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("%s: %d %s / replay %d %s", what, first.StatusCode, first.Body, again.StatusCode, again.Body)
		}
		return first
	}
	var p recordOut
	twice("create a patient", "POST", "/api/patients?wait=5s", "p-1", map[string]any{"first_name": "Wait", "last_name": "Ing"}, 201).JSON(t, &p)
	if len(p.Sync) != 1 || p.Sync[0].Status != "synced" {
		t.Fatalf("the waited answer = %+v, want synced", p.Sync)
	}
	var a recordOut
	twice("create an appointment", "POST", "/api/appointments?wait=5s", "a-1", map[string]any{"patient_id": p.ID,
		"start": "2030-03-04T15:00:00Z", "duration_minutes": 30, "operatory_ref": "1", "provider_ref": "1"}, 201).JSON(t, &a)
	twice("update it", "PATCH", fmt.Sprintf("/api/appointments/%d?wait=5s", a.ID), "a-2", map[string]any{"notes": "twice"}, 200)
	twice("cancel it", "DELETE", fmt.Sprintf("/api/appointments/%d?wait=5s", a.ID), "a-3", nil, 200)
	if n := len(srv.DemoSandbox(t).OpenDentalAppointments()); n == 0 {
		t.Fatal("nothing reached the sandbox")
	}
	bad := twice("a refusal", "POST", "/api/patients", "p-2", map[string]any{"first_name": "No last name"}, 422)
	if got := bad.Header.Get("Content-Type"); !strings.Contains(got, "problem+json") || !strings.Contains(bad.Body, `"field":"last_name"`) {
		t.Fatalf("refusal = %s %s", got, bad.Body)
	}
	if r := send("POST", "/api/patients", strings.Repeat("k", 201), map[string]any{"first_name": "A", "last_name": "B"}); r.StatusCode != 400 || !strings.Contains(r.Body, `"field":"Idempotency-Key"`) {
		t.Fatalf("a key of 201 characters = %d %s", r.StatusCode, r.Body)
	}
}
