package handlers_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestIdempotencyComparesCanonicalJSON: the same body with its keys in
// another order and other whitespace replays the first answer; another
// body under the same key is still refused with 409.
func TestIdempotencyComparesCanonicalJSON(t *testing.T) {
	_, agent := demoAgent(t)
	send := func(body string) (int, string, string) {
		t.Helper()
		r := agent.Do("POST", "/api/patients", strings.NewReader(body),
			http.Header{"Content-Type": {"application/json"}, "Idempotency-Key": {"canon-1"}})
		return r.StatusCode, r.Body, r.Header.Get("Idempotent-Replayed")
	}
	st, first, _ := send(`{"first_name":"Ada","last_name":"Lovelace","phone":"555-0100"}`)
	if st != 201 {
		t.Fatalf("create = %d %s", st, first)
	}
	st, again, replayed := send("{\n  \"phone\": \"555-0100\",\n  \"last_name\" : \"Lovelace\", \"first_name\":\"Ada\"\n}\n")
	if st != 201 || again != first || replayed != "true" {
		t.Fatalf("reordered body = %d %s (replayed %q), want the first answer replayed", st, again, replayed)
	}
	if st, body, _ := send(`{"first_name":"Ada","last_name":"Byron","phone":"555-0100"}`); st != 409 {
		t.Fatalf("another body = %d %s, want 409", st, body)
	}
}
