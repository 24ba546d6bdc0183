package handlers_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"switchboard/testsupport"
)

// probe sends method path with body under key and answers the status and
// the fields a 422 named.
func probe(t *testing.T, srv *testsupport.Server, key, method, path, body string) (int, []string, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var doc struct {
		Errors []struct{ Field string } `json:"errors"`
	}
	_ = json.Unmarshal(b, &doc)
	var fields []string
	for _, e := range doc.Errors {
		if !slices.Contains(fields, e.Field) {
			fields = append(fields, e.Field)
		}
	}
	slices.Sort(fields)
	return resp.StatusCode, fields, b
}

// firstID is the id of the first item a list answers ("" when none).
func firstID(t *testing.T, srv *testsupport.Server, key, path string) string {
	t.Helper()
	_, _, b := probe(t, srv, key, "GET", path, "")
	var l struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	if err := json.Unmarshal(b, &l); err != nil || len(l.Items) == 0 {
		return ""
	}
	return fmt.Sprint(l.Items[0].ID)
}

// TestOpenAPIRequiredMatchesRefusals: every JSON request body's required
// list is what its route refuses as missing: an empty object sent to each
// route (create bodies, PATCH and PUT bodies, actions) is refused naming
// exactly the fields the document requires, and a body with no required
// field is not refused for a missing one. Create bodies (POST) have their
// required lists; PATCH bodies have none.
func TestOpenAPIRequiredMatchesRefusals(t *testing.T) {
	srv, _ := testsupport.StartDemo(t)
	doc := loadDocument(t, srv)
	org := srv.DemoOrg(t)
	admin, _ := testsupport.SeedKey(t, srv.App.Store, org.ID, "admin")
	_, _, b := probe(t, srv, admin, "POST", "/api/patients", `{"first_name":"Req","last_name":"Probe"}`)
	var p struct{ ID int64 }
	decodeInto(t, b, &p)
	_, _, b = probe(t, srv, admin, "POST", "/api/appointments", fmt.Sprintf(`{"patient_id":%d,"start":"2030-01-07T16:00:00Z","duration_minutes":30,"operatory_ref":"1","provider_ref":"1"}`, p.ID))
	var a struct{ ID int64 }
	decodeInto(t, b, &a)
	ids := map[string]string{
		"/api/patients/{id}":                          fmt.Sprint(p.ID),
		"/api/appointments/{id}":                      fmt.Sprint(a.ID),
		"/api/integrations/{provider}":                "opendental",
		"/api/admin/integrations/{id}":                "opendental",
		"/api/admin/integrations/{id}/endpoints":      "opendental",
		"/api/admin/integrations/{id}/parameter-maps": "opendental",
		"/api/admin/endpoints/{id}":                   firstID(t, srv, admin, "/api/admin/integrations/opendental/endpoints"),
		"/api/admin/parameter-maps/{id}":              firstID(t, srv, admin, "/api/admin/integrations/opendental/parameter-maps"),
		"/api/admin/api-credentials/{id}":             firstID(t, srv, admin, "/api/admin/api-credentials"),
		"/api/admin/integration-settings/{configId}":  firstID(t, srv, admin, "/api/admin/integration-settings"),
		"/api/admin/sync-errors/{id}/resolve":         firstID(t, srv, admin, "/api/admin/sync-errors?status=conflict"),
	}
	probed := 0
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.RequestBody == nil || op.RequestBody.Value.Content["application/json"] == nil || op.RequestBody.Value.Content["application/yaml"] != nil {
				continue
			}
			s := op.RequestBody.Value.Content["application/json"].Schema.Value
			if len(s.Properties) == 0 {
				continue
			}
			url := path
			if strings.Contains(path, "{") {
				id := ids[path]
				if id == "" {
					t.Logf("%s %s: no resource to probe", method, path)
					continue
				}
				url = path[:strings.Index(path, "{")] + id + path[strings.Index(path, "}")+1:]
			}
			status, named, body := probe(t, srv, admin, method, url, `{}`)
			checkRequired(t, method+" "+path, s, status, named, body)
			probed++
		}
	}
	if probed < 20 {
		t.Fatalf("probed %d bodies, want 20 or more", probed)
	}
	// The anyOf of a booking: start without end or duration_minutes is
	// refused naming end.
	if status, named, body := probe(t, srv, admin, "POST", "/api/appointments", fmt.Sprintf(`{"patient_id":%d,"start":"2030-01-07T17:00:00Z"}`, p.ID)); status != 422 || !slices.Equal(named, []string{"end"}) {
		t.Errorf("booking without end or duration_minutes = %d %v: %s", status, named, body)
	}
	appointments := doc.Paths.Value("/api/appointments").Post.RequestBody.Value.Content["application/json"].Schema.Value
	if !slices.Equal(appointments.Required, []string{"patient_id", "start"}) || len(appointments.AnyOf) != 2 {
		t.Errorf("POST /api/appointments: required %v, anyOf %d", appointments.Required, len(appointments.AnyOf))
	}
}

// aliases are the original system's names a refusal may use for a field.
var aliases = map[string]string{"functionName": "function"}

// checkRequired compares an empty body's refusal with the body schema s:
// every required field is named, every field named is required or one of
// an anyOf's; a PATCH body requires nothing, a create (POST) body that is
// refused has a list.
func checkRequired(t *testing.T, op string, s *openapi3.Schema, status int, named []string, body []byte) {
	t.Helper()
	alternatives := map[string]bool{}
	for _, a := range s.AnyOf {
		for _, n := range a.Value.Required {
			alternatives[n] = true
		}
	}
	var fields []string
	for _, n := range named {
		if i := strings.LastIndex(n, "]."); i >= 0 {
			n = n[i+2:]
		}
		if a, ok := aliases[n]; ok {
			n = a
		}
		fields = append(fields, n)
		if !slices.Contains(s.Required, n) && !alternatives[n] {
			t.Errorf("%s: {} is refused naming %s, which the document does not require: %d %.300s", op, n, status, body)
		}
	}
	for _, n := range s.Required {
		if !slices.Contains(fields, n) {
			t.Errorf("%s: the document requires %s but {} is not refused naming it: %d %.300s", op, n, status, body)
		}
	}
	if strings.HasPrefix(op, "PATCH") && (len(s.Required) > 0 || len(s.AnyOf) > 0) {
		t.Errorf("%s: a PATCH body requires %v (anyOf %d)", op, s.Required, len(s.AnyOf))
	}
}
