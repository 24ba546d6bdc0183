package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/uptrace/bun"

	"switchboard/app"
	"switchboard/integrations/registry"
	"switchboard/integrations/sandbox"
	"switchboard/logging"
	"switchboard/testsupport"
)

// demoAgent starts the demo and returns a client with an agent key of the
// demo organization.
func demoAgent(t *testing.T) (*testsupport.Server, *testsupport.Client) {
	t.Helper()
	srv, agent, _ := demoOn(t, testsupport.SQLiteURL(t))
	return srv, agent
}

type envelope struct {
	OK       bool           `json:"ok"`
	Function string         `json:"function"`
	Data     map[string]any `json:"data"`
	Meta     struct {
		UpstreamStatus int    `json:"upstream_status"`
		Attempts       int    `json:"attempts"`
		DurationMS     int64  `json:"duration_ms"`
		RequestID      string `json:"request_id"`
	} `json:"meta"`
}

func TestExecuteAgainstTheSandbox(t *testing.T) {
	srv, c := demoAgent(t)
	r := c.SendJSON("POST", "/api/integrations/opendental", map[string]any{"function": "GetPatient", "params": map[string]any{"PatNum": 1}})
	var env envelope
	r.JSON(t, &env)
	if r.StatusCode != 200 || !env.OK || env.Meta.UpstreamStatus != 200 || env.Meta.Attempts != 1 || env.Meta.RequestID == "" {
		t.Fatalf("GetPatient = %d %s", r.StatusCode, r.Body)
	}
	if env.Data["first_name"] == nil || env.Data["last_name"] == nil {
		t.Fatalf("response maps not applied: %v", env.Data)
	}
	// Internal names go through the parameter maps to the upstream;
	// patient_id is Switchboard's patient 1, sent as its PatNum.
	settleSync(t, srv)
	org := srv.DemoOrg(t)
	od, err := srv.App.Store.Tenant(org.ID).IntegrationBySlug(t.Context(), "opendental")
	if err != nil {
		t.Fatal(err)
	}
	ref, err := srv.App.Store.Tenant(org.ID).ExternalRef(t.Context(), od.ID, "patient", 1)
	if err != nil {
		t.Fatal(err)
	}
	r = c.SendJSON("POST", "/api/integrations/opendental", map[string]any{"function": "CreateAppointment", "params": map[string]any{
		"patient_id": 1, "start": "2030-03-04T15:30:00Z", "duration_minutes": 30, "operatory_ref": 1, "provider_ref": 1}})
	if r.StatusCode != 200 {
		t.Fatalf("CreateAppointment = %d %s", r.StatusCode, r.Body)
	}
	apts := srv.DemoSandbox(t).OpenDentalAppointments()
	last := apts[len(apts)-1]
	if strconv.FormatInt(last.PatNum, 10) != ref.ExternalID || last.Pattern != "XXXXXX" || !strings.HasPrefix(last.AptDateTime, "2030-03-04 09:30") {
		t.Fatalf("the sandbox received %+v", last)
	}
	// Cloud9: XML, credentials inside the body.
	r = c.SendJSON("POST", "/api/integrations/cloud9", map[string]any{"function": "GetLocations"})
	if r.StatusCode != 200 || !strings.Contains(r.Body, `"ok":true`) {
		t.Fatalf("Cloud9 GetLocations = %d %s", r.StatusCode, r.Body)
	}
}

func TestExecuteErrorCodes(t *testing.T) {
	srv, c := demoAgent(t)
	org := srv.DemoOrg(t)
	cases := []struct {
		name   string
		path   string
		body   string
		status int
		code   string
	}{
		{"UnknownProvider", "/api/integrations/nope", `{"function":"X"}`, 404, "unknown_provider"},
		{"UnknownFunction", "/api/integrations/opendental", `{"function":"Nope"}`, 404, "unknown_function"},
		{"MissingFunction", "/api/integrations/opendental", `{}`, 400, "invalid_request"},
		{"UnknownField", "/api/integrations/opendental", `{"function":"GetPatient","parms":{}}`, 400, "invalid_request"},
		{"BadJSON", "/api/integrations/opendental", `{"function":`, 400, "invalid_request"},
		{"ValidationFailed", "/api/integrations/opendental", `{"function":"GetPatient","params":{"PatNum":"abc","Bogus":1}}`, 422, "validation_failed"},
		{"BadEnvironment", "/api/integrations/opendental", `{"function":"GetPatient","environment":"staging","params":{"PatNum":1}}`, 400, "invalid_request"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := c.Do("POST", tc.path, strings.NewReader(tc.body), http.Header{"Content-Type": {"application/json"}})
			if r.StatusCode != tc.status || !strings.Contains(r.Body, `"code":"`+tc.code+`"`) || r.Header.Get("Content-Type") != "application/problem+json" {
				t.Fatalf("= %d %s, want %d %s", r.StatusCode, r.Body, tc.status, tc.code)
			}
		})
	}
	t.Run("ValidationNamesEachParam", func(t *testing.T) {
		r := c.Do("POST", "/api/integrations/opendental", strings.NewReader(`{"function":"GetPatient","params":{"PatNum":"abc","Bogus":1}}`), http.Header{"Content-Type": {"application/json"}})
		if !strings.Contains(r.Body, `"field":"PatNum"`) || !strings.Contains(r.Body, `"field":"Bogus"`) {
			t.Fatalf("errors do not name both params: %s", r.Body)
		}
	})
	t.Run("UpstreamErrorWithStatusAndExcerpt", func(t *testing.T) {
		r := c.SendJSON("POST", "/api/integrations/opendental", map[string]any{"function": "GetPatient", "params": map[string]any{"PatNum": 999999}})
		if r.StatusCode != 502 || !strings.Contains(r.Body, `"upstream_status":404`) || !strings.Contains(r.Body, "upstream_excerpt") {
			t.Fatalf("= %d %s", r.StatusCode, r.Body)
		}
	})
	t.Run("MissingCredentials", func(t *testing.T) {
		in, _ := srv.App.Store.Tenant(org.ID).IntegrationBySlug(t.Context(), "opendental")
		cred, _ := srv.App.Store.Tenant(org.ID).CredentialFor(t.Context(), in.ID, "sandbox")
		srv.App.Store.Tenant(org.ID).DeleteCredential(t.Context(), cred.ID)
		srv.App.Credentials.Invalidate(org.ID, in.ID)
		r := c.SendJSON("POST", "/api/integrations/opendental", map[string]any{"function": "GetPatient", "environment": "sandbox", "params": map[string]any{"PatNum": 1}})
		if r.StatusCode != 409 || !strings.Contains(r.Body, "missing_credentials") {
			t.Fatalf("= %d %s", r.StatusCode, r.Body)
		}
	})
	t.Run("IntegrationDisabled", func(t *testing.T) {
		in, _ := srv.App.Store.Tenant(org.ID).IntegrationBySlug(t.Context(), "cloud9")
		doc, _, _ := srv.App.Registry.Load(t.Context(), org.ID, in.ID)
		off := false
		doc.Enabled = &off
		if _, err := srv.App.Registry.Replace(t.Context(), org.ID, in.ID, doc, registry.Hints{}); err != nil {
			t.Fatal(err)
		}
		r := c.SendJSON("POST", "/api/integrations/cloud9", map[string]any{"function": "GetLocations"})
		if r.StatusCode != 409 || !strings.Contains(r.Body, "integration_disabled") {
			t.Fatalf("= %d %s", r.StatusCode, r.Body)
		}
	})
	t.Run("CircuitOpensDuringAnOutage", func(t *testing.T) {
		setDemoFaults(t, srv, sandbox.Faults{Outage: true})
		defer setDemoFaults(t, srv, sandbox.Faults{})
		var last *testsupport.Response
		for i := 0; i < 8; i++ {
			last = c.SendJSON("POST", "/api/integrations/opendental", map[string]any{"function": "ListProviders", "environment": "production"})
			if last.StatusCode == 503 && strings.Contains(last.Body, "circuit_open") {
				break
			}
		}
		if !strings.Contains(last.Body, "circuit_open") {
			t.Fatalf("no circuit_open after repeated outage failures: %d %s", last.StatusCode, last.Body)
		}
		st := c.Get("/api/integrations/opendental")
		if !strings.Contains(st.Body, `"production":"open"`) {
			t.Fatalf("status does not show the open circuit: %s", st.Body)
		}
	})
}

func TestDestinationBlockedWithoutAllowance(t *testing.T) {
	cfg := testsupport.Config(t, testsupport.SQLiteURL(t))
	cfg.AllowDestinations = nil
	s := testsupport.StartServer(t, cfg)
	org, _ := testsupport.Seed(t, s.App.Store, "acme", "owner@acme.test", "owner")
	c := s.KeyClient(t, org.ID, "admin")
	doc := `{"slug":"local","name":"Local","base_url":{"production":"` + s.URL + `"},"endpoints":[{"function":"Ping","method":"GET","path":"/healthz"}]}`
	if r := c.Do("POST", "/api/admin/integrations", strings.NewReader(doc), http.Header{"Content-Type": {"application/json"}}); r.StatusCode != 201 {
		t.Fatal(r.Body)
	}
	r := c.SendJSON("POST", "/api/integrations/local", map[string]any{"function": "Ping"})
	if r.StatusCode != 403 || !strings.Contains(r.Body, "destination_blocked") {
		t.Fatalf("loopback without allowance = %d %s", r.StatusCode, r.Body)
	}
}

func TestFunctionsAsToolDefinitions(t *testing.T) {
	_, c := demoAgent(t)
	var plain struct {
		Items []struct {
			Name       string         `json:"name"`
			Parameters map[string]any `json:"parameters"`
		} `json:"items"`
	}
	c.Get("/api/integrations/opendental/functions").JSON(t, &plain)
	if len(plain.Items) < 10 {
		t.Fatalf("%d functions", len(plain.Items))
	}
	var openai struct {
		Tools []struct {
			Type     string `json:"type"`
			Function struct {
				Name       string         `json:"name"`
				Parameters map[string]any `json:"parameters"`
			} `json:"function"`
		} `json:"tools"`
	}
	c.Get("/api/integrations/opendental/functions?format=openai").JSON(t, &openai)
	name := regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)
	found := false
	for _, tool := range openai.Tools {
		if tool.Type != "function" || !name.MatchString(tool.Function.Name) {
			t.Fatalf("bad tool %+v", tool)
		}
		if tool.Function.Name == "CreateAppointment" {
			props := tool.Function.Parameters["properties"].(map[string]any)
			if _, ok := props["patient_id"]; !ok {
				t.Fatalf("CreateAppointment schema does not use the internal name patient_id: %v", props)
			}
			found = true
		}
	}
	if !found {
		t.Fatal("no CreateAppointment tool")
	}
	var anth struct {
		Tools []struct {
			Name        string         `json:"name"`
			InputSchema map[string]any `json:"input_schema"`
		} `json:"tools"`
	}
	c.Get("/api/integrations/opendental/functions?format=anthropic").JSON(t, &anth)
	if len(anth.Tools) != len(openai.Tools) || anth.Tools[0].InputSchema["type"] != "object" {
		t.Fatalf("anthropic tools: %+v", anth.Tools[:1])
	}
	if r := c.Get("/api/integrations/opendental/functions?format=gemini"); r.StatusCode != 400 {
		t.Fatalf("unknown format = %d", r.StatusCode)
	}
	var list struct {
		Items []struct{ Slug string } `json:"items"`
	}
	c.Get("/api/integrations").JSON(t, &list)
	if len(list.Items) != 4 { // the demo's Open Dental, Cloud9, Langfuse and Node-RED
		t.Fatalf("integrations = %+v", list.Items)
	}
}

// TestCallsAreRecordedAsynchronously: the agent's calls, failures
// included, reach the call log, and the status counts every call of the
// day (the demo's sync deliveries too, since the executor reports every
// execution).
func TestCallsAreRecordedAsynchronously(t *testing.T) {
	srv, c := demoAgent(t)
	settleSync(t, srv)
	for i := 0; i < 3; i++ {
		c.SendJSON("POST", "/api/integrations/opendental", map[string]any{"function": "ListProviders"})
	}
	c.SendJSON("POST", "/api/integrations/opendental", map[string]any{"function": "Nope"})
	if err := srv.App.Calls.Flush(t.Context()); err != nil {
		t.Fatal(err)
	}
	var n, agent, failed int
	srv.App.DB.NewRaw("SELECT COUNT(*) FROM api_calls WHERE provider = 'opendental'").Scan(t.Context(), &n)
	srv.App.DB.NewRaw("SELECT COUNT(*) FROM api_calls WHERE caller LIKE 'api key%'").Scan(t.Context(), &agent)
	srv.App.DB.NewRaw("SELECT COUNT(*) FROM api_calls WHERE ok = ? AND error_code = 'unknown_function'", false).Scan(t.Context(), &failed)
	if agent != 4 || failed != 1 {
		t.Fatalf("api_calls has %d rows of the agent, %d unknown_function; want 4 and 1", agent, failed)
	}
	st := c.Get("/api/integrations/opendental")
	if !strings.Contains(st.Body, fmt.Sprintf(`"calls_24h":%d`, n)) {
		t.Fatalf("status = %s, want calls_24h %d", st.Body, n)
	}
}

// countingHook counts the SELECT statements run on behalf of a request
// (their context carries the request id); background workers are not
// counted.
type countingHook struct {
	on      atomic.Bool
	selects atomic.Int64
}

func (h *countingHook) BeforeQuery(ctx context.Context, e *bun.QueryEvent) context.Context {
	return ctx
}
func (h *countingHook) AfterQuery(ctx context.Context, e *bun.QueryEvent) {
	if h.on.Load() && logging.RequestID(ctx) != "" && strings.HasPrefix(strings.TrimSpace(strings.ToUpper(e.Query)), "SELECT") {
		h.selects.Add(1)
	}
}

// TestHotPathReadsNoDatabase proves that once warm, executing a function
// reads nothing from the database: key, definition and credentials come
// from memory, and the call record is written in the background.
func TestHotPathReadsNoDatabase(t *testing.T) {
	hook := &countingHook{}
	srv, _ := testsupport.StartDemo(t, app.WithQueryHook(hook))
	org := srv.DemoOrg(t)
	c := srv.KeyClient(t, org.ID, "agent")
	call := func() {
		r := c.SendJSON("POST", "/api/integrations/opendental", map[string]any{"function": "GetPatient", "params": map[string]any{"PatNum": 1}})
		if r.StatusCode != 200 {
			t.Fatalf("= %d %s", r.StatusCode, r.Body)
		}
	}
	call() // warm the caches
	hook.on.Store(true)
	for i := 0; i < 20; i++ {
		call()
	}
	if n := hook.selects.Load(); n != 0 {
		t.Fatalf("20 warm calls ran %d SELECT statements, want 0", n)
	}
}

func TestTestConnection(t *testing.T) {
	srv, _ := demoAgent(t)
	org := srv.DemoOrg(t)
	c := srv.KeyClient(t, org.ID, "admin")
	var creds struct {
		Items []struct {
			ID          int64  `json:"id"`
			Integration string `json:"integration"`
			Environment string `json:"environment"`
		} `json:"items"`
	}
	c.Get("/api/admin/api-credentials").JSON(t, &creds)
	var odID int64
	for _, cr := range creds.Items {
		if cr.Integration == "opendental" && cr.Environment == "production" {
			odID = cr.ID
		}
	}
	var res struct {
		OK         bool   `json:"ok"`
		Status     int    `json:"status"`
		Message    string `json:"message"`
		DurationMS int64  `json:"duration_ms"`
	}
	r := c.SendJSON("POST", "/api/admin/api-credentials/test", map[string]any{"credential_id": odID})
	r.JSON(t, &res)
	if r.StatusCode != 200 || !res.OK || res.Status != 200 {
		t.Fatalf("saved credential test = %d %s", r.StatusCode, r.Body)
	}
	got := c.Get(fmt.Sprintf("/api/admin/api-credentials/%d", odID)).Body
	if !strings.Contains(got, `"last_test_ok":true`) || strings.Contains(got, `"last_tested_at":null`) || strings.Contains(got, `"last_used_at":null`) {
		t.Fatalf("last tested not recorded: %s", got)
	}
	// Unsaved wrong fields: the test runs, fails, and says why.
	wrong := "wrong-customer-key-SECRET"
	r = c.SendJSON("POST", "/api/admin/api-credentials/test", map[string]any{"integration": "opendental", "environment": "production",
		"fields": map[string]string{"developer_key": "x-dev", "customer_key": wrong}})
	r.JSON(t, &res)
	if r.StatusCode != 200 || res.OK || res.Status != 401 {
		t.Fatalf("wrong fields test = %d %s", r.StatusCode, r.Body)
	}
	if strings.Contains(r.Body, wrong) {
		t.Fatal("the answer echoes the secret")
	}
	// Cloud9 with a wrong password answers 200 with an error inside.
	r = c.SendJSON("POST", "/api/admin/api-credentials/test", map[string]any{"integration": "cloud9",
		"fields": map[string]string{"client_id": sandbox.DefaultConfig().Cloud9ClientID, "username": "sandbox", "password": "nope-SECRET"}})
	r.JSON(t, &res)
	if res.OK || strings.Contains(r.Body, "nope-SECRET") {
		t.Fatalf("Cloud9 wrong password = %s", r.Body)
	}
}
