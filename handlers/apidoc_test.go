package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"switchboard/testsupport"
	"switchboard/web/openapi"
)

// loadDocument fetches /api/openapi.json without credentials and loads it
// with kin-openapi.
func loadDocument(t *testing.T, srv *testsupport.Server) *openapi3.T {
	t.Helper()
	r := srv.NewClient(t).Get("/api/openapi.json")
	if r.StatusCode != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET /api/openapi.json = %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	doc, err := openapi3.NewLoader().LoadFromData([]byte(r.Body))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return doc
}

// TestOpenAPIDocumentValidates: the document is OpenAPI 3.1 and valid,
// with the problem schema and both security schemes.
func TestOpenAPIDocumentValidates(t *testing.T) {
	srv, _ := testsupport.StartDemo(t)
	doc := loadDocument(t, srv)
	if !doc.IsOpenAPI31OrLater() || !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Fatalf("openapi = %q, want 3.1.x", doc.OpenAPI)
	}
	if err := doc.Validate(t.Context()); err != nil {
		t.Fatalf("validate: %v", err)
	}
	if doc.Components.Schemas["Problem"] == nil || doc.Components.SecuritySchemes["bearerAuth"] == nil {
		t.Fatal("missing the Problem schema or bearerAuth")
	}
	if c := doc.Components.SecuritySchemes["cookieAuth"]; c == nil || c.Value.Name != "switchboard_session" || c.Value.In != "cookie" {
		t.Fatalf("cookieAuth = %+v", c)
	}
}

// TestOpenAPIEveryRoute: every /api route echo has is in the document with
// its method; a route without a declaration fails this test.
func TestOpenAPIEveryRoute(t *testing.T) {
	srv, _ := testsupport.StartDemo(t)
	doc := loadDocument(t, srv)
	n := 0
	for _, r := range srv.App.Router.Routes() {
		if !strings.HasPrefix(r.Path, "/api/") || strings.HasSuffix(r.Path, "*") {
			continue
		}
		n++
		segs := strings.Split(r.Path, "/")
		for i, s := range segs {
			if strings.HasPrefix(s, ":") {
				segs[i] = "{" + s[1:] + "}"
			}
		}
		path := strings.Join(segs, "/")
		item := doc.Paths.Value(path)
		if item == nil || item.GetOperation(r.Method) == nil {
			t.Errorf("%s %s (route %q) is not in the OpenAPI document; declare it in its row of the route table (handlers/routes_api.go)", r.Method, path, r.Name)
		}
	}
	if n < 50 {
		t.Fatalf("only %d /api routes seen", n)
	}
}

// tour sends requests through the real server and validates each answer
// against the document.
type tour struct {
	t      *testing.T
	srv    *testsupport.Server
	router routers.Router
	key    string
	// answers counts the answers validated.
	answers int
}

// closeSchemas makes every documented object closed (no property beyond
// those documented), so an answer carrying an undocumented field fails
// the tour. Free-form objects (maps, "data" of an execution) stay open.
func closeSchemas(doc *openapi3.T) {
	seen := map[*openapi3.Schema]bool{}
	var walk func(r *openapi3.SchemaRef)
	walk = func(r *openapi3.SchemaRef) {
		if r == nil || r.Value == nil || seen[r.Value] {
			return
		}
		s := r.Value
		seen[s] = true
		if len(s.Properties) > 0 && s.AdditionalProperties.Schema == nil && s.AdditionalProperties.Has == nil {
			closed := false
			s.AdditionalProperties.Has = &closed
		}
		for _, p := range s.Properties {
			walk(p)
		}
		walk(s.Items)
		walk(s.AdditionalProperties.Schema)
		for _, x := range append(append(s.AllOf, s.AnyOf...), s.OneOf...) {
			walk(x)
		}
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, resp := range op.Responses.Map() {
				if resp.Value == nil {
					continue
				}
				for _, mt := range resp.Value.Content {
					walk(mt.Schema)
				}
			}
		}
	}
	for _, s := range doc.Components.Schemas {
		walk(s)
	}
}

func (tr *tour) call(method, path, body string, want int) []byte {
	t := tr.t
	t.Helper()
	req, err := http.NewRequest(method, tr.srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tr.key)
	req.Header.Set("Accept", "application/json")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s = %d, want %d: %s", method, path, resp.StatusCode, want, b)
	}
	route, params, err := tr.router.FindRoute(req)
	if err != nil {
		t.Fatalf("%s %s: no route in the document: %v", method, path, err)
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	if want < 300 {
		// An accepted request meets the document: its parameters, and
		// its body's required lists and enums.
		req.Body = io.NopCloser(strings.NewReader(body))
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			t.Fatalf("%s %s: accepted request does not match the document: %v", method, path, err)
		}
	}
	err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header, Body: io.NopCloser(bytes.NewReader(b)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true}})
	if err != nil {
		t.Fatalf("%s %s: answer does not match the document: %v\n%s", method, path, err, b)
	}
	tr.answers++
	return b
}

// TestOpenAPITour: answers of execute, records and admin calls validate
// against the document (openapi3filter.ValidateResponse), and so do the
// requests the API accepted (openapi3filter.ValidateRequest).
func TestOpenAPITour(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, url string) {
		srv, _ := testsupport.StartDemoOn(t, url)
		doc := loadDocument(t, srv)
		closeSchemas(doc)
		router, err := legacy.NewRouter(doc)
		if err != nil {
			t.Fatal(err)
		}
		org := srv.DemoOrg(t)
		agent, _ := testsupport.SeedKey(t, srv.App.Store, org.ID, "agent")
		admin, _ := testsupport.SeedKey(t, srv.App.Store, org.ID, "admin")
		tr := &tour{t: t, srv: srv, router: router, key: agent}

		tr.call("GET", "/api/me", "", 200)
		tr.call("GET", "/api/integrations", "", 200)
		tr.call("POST", "/api/integrations/opendental", `{"function":"GetPatient","params":{"PatNum":1}}`, 200)
		tr.call("GET", "/api/integrations/opendental/functions", "", 200)
		tr.call("GET", "/api/integrations/opendental", "", 200)

		var p struct{ ID int64 }
		b := tr.call("POST", "/api/patients", `{"first_name":"Ada","last_name":"Tour","phone":"555-0100"}`, 201)
		decodeInto(t, b, &p)
		tr.call("GET", "/api/patients", "", 200)
		tr.call("GET", fmt.Sprintf("/api/patients/%d", p.ID), "", 200)
		tr.call("PATCH", fmt.Sprintf("/api/patients/%d", p.ID), `{"city":"Springfield"}`, 200)
		var a struct{ ID int64 }
		b = tr.call("POST", "/api/appointments", fmt.Sprintf(`{"patient_id":%d,"start":"2030-01-07T16:00:00Z","duration_minutes":30,"operatory_ref":"1","provider_ref":"1"}`, p.ID), 201)
		decodeInto(t, b, &a)
		tr.call("GET", "/api/appointments?patient_id="+fmt.Sprint(p.ID), "", 200)
		tr.call("GET", fmt.Sprintf("/api/appointments/%d", a.ID), "", 200)
		tr.call("PATCH", fmt.Sprintf("/api/appointments/%d", a.ID), `{"notes":"tour"}`, 200)
		tr.call("POST", "/api/appointments", `{"start":"2030-01-07T16:00:00Z"}`, 422)
		tr.call("GET", "/api/patients/999999", "", 404)
		tr.call("GET", "/api/patients?phone=5550100", "", 200)
		tr.call("GET", "/api/patients?q=Tour&limit=5", "", 200)
		tr.call("GET", "/api/appointments?from=2030-01-07&to=2030-01-08&status=scheduled", "", 200)
		tr.call("GET", "/api/availability?from=2030-01-08&to=2030-01-08&duration_minutes=30&provider_ref=1", "", 200)
		tr.call("GET", "/api/reference/providers", "", 200)
		tr.call("GET", "/api/reference/operatories?integration=opendental", "", 200)
		tr.call("GET", "/api/tools", "", 200)
		tr.call("GET", "/api/tools?format=openai&strict=true", "", 200)
		tr.call("GET", "/api/tools?format=anthropic", "", 200)
		tr.call("GET", "/api/tools?format=openai-responses", "", 200)
		tr.call("POST", "/api/tools/find_patients", `{"phone":"555-0100"}`, 200)
		tr.call("POST", "/api/tools/list_providers", `{}`, 200)
		tr.call("POST", "/api/tools/create_appointment", fmt.Sprintf(`{"patient_id":"%d","start":"2030-01-05T10:00"}`, p.ID), 422)
		tr.call("GET", "/api/integrations/opendental/functions?format=openai", "", 200)
		tr.call("POST", "/api/integrations/opendental", `{"function":"ListAppointments","params":{"status":"bogus"}}`, 422)
		tr.call("PATCH", fmt.Sprintf("/api/appointments/%d", a.ID), `{"start":"2020-01-07T16:00:00Z"}`, 422)
		tr.call("DELETE", fmt.Sprintf("/api/appointments/%d", a.ID), "", 200)
		tr.call("DELETE", fmt.Sprintf("/api/appointments/%d", a.ID), "", 200)
		tr.call("PATCH", fmt.Sprintf("/api/appointments/%d", a.ID), `{"start":"2030-01-08T16:00:00Z"}`, 409)
		tr.call("GET", "/api/appointments/999999", "", 404)

		tr.key = admin
		tr.call("GET", "/api/admin/integrations", "", 200)
		tr.call("GET", "/api/admin/organization", "", 200)
		tr.call("GET", "/api/admin/integration-settings", "", 200)
		tr.call("GET", "/api/admin/integrations/nope", "", 404)
		if tr.answers < 30 {
			t.Fatalf("the tour validated %d answers, want 30 or more", tr.answers)
		}
	})
}

func decodeInto(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("not JSON: %v: %s", err, b)
	}
}

// TestOpenAPIReferencePage: the rendered reference and its script are
// served from the embedded static files, and the page names the document.
func TestOpenAPIReferencePage(t *testing.T) {
	srv, _ := testsupport.StartDemo(t)
	c := srv.NewClient(t)
	page := c.Get("/static/docs/api.html")
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "/api/openapi.json") || !strings.Contains(page.Body, `src="api.js"`) {
		t.Fatalf("reference page = %d %s", page.StatusCode, page.Body)
	}
	if js := c.Get("/static/docs/api.js"); js.StatusCode != http.StatusOK || !strings.Contains(js.Body, "doc.paths") {
		t.Fatalf("api.js = %d", js.StatusCode)
	}
}

// TestOpenAPISecurityPerOperation: every operation but the document itself
// states the scope an API key needs in its bearerAuth requirement (and in
// x-required-scope) — the very scope the route table declares, as the
// scope middleware's 403 names it — beside the session alternative; the
// imports document their 429 with Retry-After.
func TestOpenAPISecurityPerOperation(t *testing.T) {
	srv, _ := testsupport.StartDemo(t)
	doc := loadDocument(t, srv)
	want := map[string]string{
		"GET /api/patients":                          "records:read",
		"POST /api/appointments":                     "records:write",
		"POST /api/integrations/{provider}":          "execute:read",
		"GET /api/admin/integrations":                "admin:read",
		"DELETE /api/admin/integrations/{id}":        "admin:write",
		"PUT /api/admin/api-credentials/{id}":        "credentials:write",
		"POST /api/admin/api-credentials/test":       "credentials:write",
		"GET /api/me":                                "",
		"POST /api/admin/integrations/{id}/import":   "admin:write",
		"PUT /api/admin/integrations/{id}":           "admin:write",
		"GET /api/integrations/{provider}/functions": "execute:read",
	}
	seen := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			key := method + " " + path
			if path == "/api/openapi.json" {
				if op.Security == nil || len(*op.Security) != 0 {
					t.Errorf("%s: a public operation with security %v", key, op.Security)
				}
				continue
			}
			if op.Security == nil || len(*op.Security) != 2 {
				t.Errorf("%s: security = %v, want bearerAuth and cookieAuth", key, op.Security)
				continue
			}
			bearer := (*op.Security)[0]["bearerAuth"]
			scope, _ := op.Extensions["x-required-scope"].(string)
			if len(bearer) > 1 || (len(bearer) == 1) != (scope != "") || (scope != "" && bearer[0] != scope) {
				t.Errorf("%s: bearerAuth %v, x-required-scope %q", key, bearer, scope)
			}
			if w, ok := want[key]; ok {
				seen++
				if scope != w {
					t.Errorf("%s: scope %q, want %q", key, scope, w)
				}
			}
			if strings.HasSuffix(path, "/import") {
				r := op.Responses.Value("429")
				if r == nil || r.Value == nil || r.Value.Headers["Retry-After"] == nil {
					t.Errorf("%s: no 429 with Retry-After", key)
				}
			}
		}
	}
	if seen != len(want) {
		t.Fatalf("found %d of the %d operations looked for", seen, len(want))
	}
}

// TestOpenAPIForPeopleAndGenerators: operationIds are camelCase without
// dots and unique; start is described as practice time, status has its
// enum; durations are strings with the Go duration pattern.
func TestOpenAPIForPeopleAndGenerators(t *testing.T) {
	srv, _ := testsupport.StartDemo(t)
	doc := loadDocument(t, srv)
	camel := regexp.MustCompile(`^[a-z][a-zA-Z0-9]*$`)
	seen := map[string]bool{}
	durations := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if !camel.MatchString(op.OperationID) || seen[op.OperationID] {
				t.Errorf("%s %s: operationId %q is not unique camelCase", method, path, op.OperationID)
			}
			seen[op.OperationID] = true
			durations += countDurations(op)
		}
	}
	body := doc.Paths.Value("/api/appointments").Post.RequestBody.Value.Content["application/json"].Schema.Value
	if !strings.Contains(body.Properties["start"].Value.Description, "practice time") || len(body.Properties["status"].Value.Enum) != 5 {
		t.Errorf("appointment body: start %q, status enum %v", body.Properties["start"].Value.Description, body.Properties["status"].Value.Enum)
	}
	if durations == 0 {
		t.Error("no duration field is a string with the Go duration pattern")
	}
}

// TestOpenAPIDescribesEverything: every parameter of every operation and
// every property of every request body and answer (nested objects, list
// items, map values and alternatives included, the problem document too)
// has a description; a field added without a doc tag, or a path
// parameter missing from web/openapi's table, fails here.
func TestOpenAPIDescribesEverything(t *testing.T) {
	srv, _ := testsupport.StartDemo(t)
	doc := loadDocument(t, srv)
	properties, params := 0, 0
	var missing []string
	seen := map[*openapi3.Schema]bool{}
	var walk func(where string, s *openapi3.SchemaRef)
	walk = func(where string, s *openapi3.SchemaRef) {
		if s == nil || s.Value == nil || seen[s.Value] {
			return
		}
		seen[s.Value] = true
		for name, p := range s.Value.Properties {
			properties++
			if p.Value != nil && strings.TrimSpace(p.Value.Description) == "" {
				missing = append(missing, "property "+where+"."+name)
			}
			walk(where+"."+name, p)
		}
		walk(where+"[]", s.Value.Items)
		for i, o := range append(append(s.Value.OneOf, s.Value.AnyOf...), s.Value.AllOf...) {
			walk(fmt.Sprint(where, "|", i), o)
		}
		walk(where+"{}", s.Value.AdditionalProperties.Schema)
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			for _, p := range op.Parameters {
				params++
				if strings.TrimSpace(p.Value.Description) == "" {
					missing = append(missing, fmt.Sprintf("parameter %s %s %s:%s", method, path, p.Value.In, p.Value.Name))
				}
			}
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				for _, mt := range op.RequestBody.Value.Content {
					walk(op.OperationID+" body", mt.Schema)
				}
			}
			for code, r := range op.Responses.Map() {
				for _, mt := range r.Value.Content {
					walk(op.OperationID+" "+code, mt.Schema)
				}
			}
		}
	}
	slices.Sort(missing)
	for _, m := range missing {
		t.Errorf("no description: %s", m)
	}
	if properties < 1000 || params < 100 {
		t.Fatalf("walked %d properties and %d parameters, want the whole document", properties, params)
	}
}

// countDurations counts the properties of an operation's request body
// that are strings with the duration pattern (timeout, retry delays).
func countDurations(op *openapi3.Operation) int {
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return 0
	}
	n := 0
	seen := map[*openapi3.Schema]bool{}
	var walk func(s *openapi3.SchemaRef)
	walk = func(s *openapi3.SchemaRef) {
		if s == nil || s.Value == nil || seen[s.Value] {
			return
		}
		seen[s.Value] = true
		if s.Value.Pattern == openapi.DurationPattern && s.Value.Type.Is("string") {
			n++
		}
		for _, p := range s.Value.Properties {
			walk(p)
		}
		walk(s.Value.Items)
		walk(s.Value.AdditionalProperties.Schema)
	}
	for _, mt := range op.RequestBody.Value.Content {
		walk(mt.Schema)
	}
	return n
}
