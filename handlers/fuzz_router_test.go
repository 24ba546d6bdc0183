package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchboard/testsupport"
)

// recordsAgent starts the app on dbURL and returns a client holding an
// agent key of a fresh organization.
func recordsAgent(t testing.TB, dbURL string) (*testsupport.Server, *testsupport.Client) {
	t.Helper()
	srv := testsupport.StartServer(t, testsupport.Config(t, dbURL))
	org, _ := testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	return srv, srv.KeyClient(t, org.ID, "agent")
}

// headerSendable reports whether Go's HTTP client sends v as a header
// value (it refuses control characters other than tab).
func headerSendable(v string) bool {
	for i := 0; i < len(v); i++ {
		if (v[i] < 0x20 && v[i] != '\t') || v[i] == 0x7f {
			return false
		}
	}
	return true
}

// FuzzIdempotencyKey sends writes under fuzzed Idempotency-Key headers
// through the real router (on PostgreSQL when it is configured): a key is
// refused with a 400 naming the header, or its write answers and a repeat
// replays that answer. No key makes the server fail.
func FuzzIdempotencyKey(f *testing.F) {
	for _, seed := range []string{"key-1", "7f8c1c2e-4a5b-4c3d-9e8f-0a1b2c3d4e5f", " spaced ", "caf\xc3\xa9", "\xff\xfe", "tab\there", strings.Repeat("k", 201)} {
		f.Add(seed)
	}
	backends := testsupport.Backends()
	srv := testsupport.StartServer(f, testsupport.Config(f, backends[len(backends)-1].URL(f)))
	org, _ := testsupport.Seed(f, srv.App.Store, "acme", "owner@acme.test", "owner")
	apiKey, _ := testsupport.SeedKey(f, srv.App.Store, org.ID, "agent")
	body := `{"first_name":"Fuzz","last_name":"Key"}`
	f.Fuzz(func(t *testing.T, key string) {
		if strings.TrimSpace(key) == "" || !headerSendable(key) {
			return
		}
		c := srv.ClientWithKey(t, apiKey)
		send := func() *testsupport.Response {
			return c.Do("POST", "/api/patients", strings.NewReader(body), http.Header{"Content-Type": {"application/json"}, "Idempotency-Key": {key}})
		}
		first := send()
		if first.StatusCode == http.StatusBadRequest {
			if !strings.Contains(first.Body, "Idempotency-Key") {
				t.Fatalf("key %q refused without naming the header: %s", key, first.Body)
			}
			return
		}
		if first.StatusCode != http.StatusCreated {
			t.Fatalf("key %q: %d %s", key, first.StatusCode, first.Body)
		}
		again := send()
		if again.StatusCode != first.StatusCode || again.Body != first.Body || again.Header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("key %q: repeat answered %d %s, want the replay of %s", key, again.StatusCode, again.Body, first.Body)
		}
	})
}

func TestJSONBodyWithAStrayCloserIsRefused(t *testing.T) {
	_, c := recordsAgent(t, testsupport.SQLiteURL(t))
	for _, body := range []string{`{"first_name":"A","last_name":"B"}}`, `{"first_name":"A","last_name":"B"}]`} {
		r := c.Do("POST", "/api/patients", strings.NewReader(body), http.Header{"Content-Type": {"application/json"}})
		if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, "more than one JSON value") {
			t.Errorf("body %s = %d %s, want 400", body, r.StatusCode, r.Body)
		}
	}
}

func TestUnknownFieldWithAnEmptyNameIsNamed(t *testing.T) {
	_, c := recordsAgent(t, testsupport.SQLiteURL(t))
	r := c.Do("POST", "/api/patients", strings.NewReader(`{"first_name":"A","last_name":"B","":0}`), http.Header{"Content-Type": {"application/json"}})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(r.Body, `"field":"\"\""`) {
		t.Errorf("got %d %s, want 400 naming the field \"\"", r.StatusCode, r.Body)
	}
}

func TestAppointmentSpanIsOneMinuteToADay(t *testing.T) {
	_, c := recordsAgent(t, testsupport.SQLiteURL(t))
	var p struct {
		ID int64 `json:"id"`
	}
	c.SendJSON("POST", "/api/patients", map[string]any{"first_name": "Span", "last_name": "Test"}).JSON(t, &p)
	tests := []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"AnEndSecondsAfterStart", map[string]any{"end": "2030-01-02T15:00:30Z"}, "end"},
		{"AnEndDaysAfterStart", map[string]any{"end": "2030-01-09T15:00:00Z"}, "end"},
		{"AnEndCenturiesAfterStart", map[string]any{"start": "0001-01-01T00:00:00Z", "end": "9999-12-31T23:59:59Z"}, "end"},
		{"ADurationThatDisagreesWithEnd", map[string]any{"end": "2030-01-02T15:10:00Z", "duration_minutes": 30}, "duration_minutes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := map[string]any{"patient_id": p.ID, "start": "2030-01-02T15:00:00Z"}
			for k, v := range tt.body {
				body[k] = v
			}
			r := c.SendJSON("POST", "/api/appointments", body)
			if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"field":"`+tt.field+`"`) {
				t.Errorf("got %d %s, want 422 naming %s", r.StatusCode, r.Body, tt.field)
			}
		})
	}
	if r := c.SendJSON("POST", "/api/appointments", map[string]any{"patient_id": p.ID, "start": "2030-01-02T15:00:00Z",
		"end": "2030-01-02T15:45:00Z", "duration_minutes": 45}); r.StatusCode != http.StatusCreated {
		t.Errorf("a consistent end and duration = %d %s, want 201", r.StatusCode, r.Body)
	}
}

func TestLoginNextIsALocalPathAsBrowsersReadIt(t *testing.T) {
	srv := testsupport.StartServer(t, testsupport.Config(t, testsupport.SQLiteURL(t)))
	testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	for _, next := range []string{"/\t/evil.example", "/\n/evil.example", "/\\evil.example", "//evil.example"} {
		c := srv.NewClient(t)
		tok := c.CSRF("/login")
		r := c.PostForm("/login", url.Values{"_csrf": {tok}, "email": {"owner@acme.test"}, "password": {testsupport.Password}, "next": {next}})
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/" {
			t.Errorf("next %q: %d to %q, want 303 to /", next, r.StatusCode, r.Header.Get("Location"))
		}
	}
	c := srv.NewClient(t)
	tok := c.CSRF("/login")
	r := c.PostForm("/login", url.Values{"_csrf": {tok}, "email": {"owner@acme.test"}, "password": {testsupport.Password}, "next": {"/integrations?tab=x"}})
	if r.Header.Get("Location") != "/integrations?tab=x" {
		t.Errorf("a local next: redirected to %q", r.Header.Get("Location"))
	}
}
