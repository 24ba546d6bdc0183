package handlers_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"switchboard/testsupport"
)

type problemOut struct {
	Code   string `json:"code"`
	Errors []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

func TestNULBytesAreRefusedNamingTheField(t *testing.T) {
	srv, agent, admin := demoAdmin(t)
	testsupport.Seed(t, srv.App.Store, "demo", "boss@demo.test", "owner")
	owner := srv.NewClient(t)
	owner.Login("boss@demo.test", testsupport.Password)
	tok := owner.CSRF("/patients")
	var doc map[string]any
	admin.Get("/api/admin/integrations/opendental").JSON(t, &doc)
	doc["name"] = "Open\x00Dental"
	org := srv.DemoOrg(t)
	in, err := srv.App.Store.Tenant(org.ID).IntegrationBySlug(t.Context(), "opendental")
	if err != nil {
		t.Fatal(err)
	}
	docPath := fmt.Sprintf("/integrations/%d/document", in.ID)
	form := func(path string, v url.Values) *testsupport.Response {
		v.Set("_csrf", tok)
		return owner.PostForm(path, v)
	}
	cases := []struct {
		name       string
		send       func() *testsupport.Response
		status     int
		field      string
		storedText string // what a stored record would show on /patients or /api-keys
	}{
		{"JSONCreatePatient", func() *testsupport.Response {
			return agent.SendJSON("POST", "/api/patients", map[string]any{"first_name": "Nul\x00la", "last_name": "Json"})
		}, 422, "first_name", "Json"},
		{"JSONNestedParameter", func() *testsupport.Response {
			return agent.SendJSON("POST", "/api/integrations/opendental", map[string]any{"function": "ListProviders", "params": map[string]any{"LName": []any{"ok", "x\x00"}}})
		}, 422, "params.LName.1", ""},
		{"FormCreatePatient", func() *testsupport.Response {
			return form("/patients", url.Values{"first_name": {"Nul\x00la"}, "last_name": {"Formy"}})
		}, 422, "first_name", "Formy"},
		{"DefinitionDocument", func() *testsupport.Response { return admin.SendJSON("PUT", "/api/admin/integrations/opendental", doc) }, 422, "name", ""},
		{"DefinitionDocumentForm", func() *testsupport.Response {
			return form(docPath, url.Values{"document": {"name: a\x00b"}})
		}, 422, "document", ""},
		{"APIKeyCreateForm", func() *testsupport.Response {
			return form("/api-keys", url.Values{"name": {"robot\x00key"}, "role": {"agent"}})
		}, 422, "name", "robot"},
		{"SearchQuery", func() *testsupport.Response { return agent.Get("/api/patients?q=a%00b") }, 400, "q", ""},
		{"AuditFilter", func() *testsupport.Response { return owner.Get("/audit?actor=x%00y") }, 400, "actor", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.send()
			if r.StatusCode != tc.status {
				t.Fatalf("status = %d, want %d: %.500s", r.StatusCode, tc.status, r.Body)
			}
			if strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") {
				var p problemOut
				if err := json.Unmarshal([]byte(r.Body), &p); err != nil || len(p.Errors) != 1 || p.Errors[0].Field != tc.field ||
					!strings.Contains(p.Errors[0].Message, "NUL") {
					t.Errorf("problem = %s, want one error naming %s", r.Body, tc.field)
				}
			} else if !strings.Contains(r.Body, tc.field) || !strings.Contains(r.Body, "NUL byte") {
				t.Errorf("page does not name field %s and the NUL byte:\n%.1500s", tc.field, r.Body)
			}
			if tc.storedText == "" {
				return
			}
			if l := admin.Get("/api/patients?q=" + tc.storedText); strings.Contains(l.Body, tc.storedText) {
				t.Errorf("a patient was stored: %s", l.Body)
			}
			if page := owner.Get("/api-keys"); strings.Contains(page.Body, tc.storedText) {
				t.Errorf("an API key was stored")
			}
		})
	}
	var after map[string]any
	admin.Get("/api/admin/integrations/opendental").JSON(t, &after)
	if after["name"] != "Open Dental" {
		t.Errorf("the definition changed: name = %q", after["name"])
	}
}
