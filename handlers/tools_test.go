package handlers_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"switchboard/testsupport"
)

// TestToolNamesAreAcceptedAsFunctionNames: a function named patients.get
// is offered as patients_get, and executing patients_get runs it; two
// 71-character names that share their first 64 characters are offered as
// two tools, each running its own function.
func TestToolNamesAreAcceptedAsFunctionNames(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"path":"` + r.URL.Path + `"}`))
	}))
	t.Cleanup(up.Close)
	long := "list_every_appointment_of_every_patient_in_every_location_of_the_"
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		s := testsupport.StartServer(t, testsupport.Config(t, dbURL))
		org, _ := testsupport.Seed(t, s.App.Store, "acme", "owner@acme.test", "owner")
		c := s.KeyClient(t, org.ID, "admin")
		doc := `{"slug":"names","name":"Names","base_url":{"production":"` + up.URL + `"},"endpoints":[` +
			`{"function":"patients.get","method":"GET","path":"/patients"},` +
			`{"function":"` + long + `clinicA","method":"GET","path":"/a"},` +
			`{"function":"` + long + `clinicB","method":"GET","path":"/b"}]}`
		if r := c.Do("POST", "/api/admin/integrations", strings.NewReader(doc), http.Header{"Content-Type": {"application/json"}}); r.StatusCode != 201 {
			t.Fatalf("create integration = %d %s", r.StatusCode, r.Body)
		}
		var list struct {
			Tools []struct {
				Type       string         `json:"type"`
				Name       string         `json:"name"`
				Parameters map[string]any `json:"parameters"`
				Strict     *bool          `json:"strict"`
			} `json:"tools"`
		}
		c.Get("/api/integrations/names/functions?format=openai-responses").JSON(t, &list)
		if len(list.Tools) != 3 || list.Tools[0].Name != "patients_get" || list.Tools[1].Name == list.Tools[2].Name ||
			list.Tools[0].Type != "function" || list.Tools[0].Strict == nil || list.Tools[0].Parameters["type"] != "object" {
			t.Fatalf("responses tools = %+v", list.Tools)
		}
		for i, want := range []string{"/patients", "/a", "/b"} {
			name := list.Tools[i].Name
			r := c.SendJSON("POST", "/api/integrations/names", map[string]any{"function": name})
			if r.StatusCode != 200 || !strings.Contains(r.Body, `"path":"`+want+`"`) {
				t.Fatalf("execute %s = %d %s, want the call of %s", name, r.StatusCode, r.Body, want)
			}
		}
		if r := c.SendJSON("POST", "/api/integrations/names", map[string]any{"function": "patients_get"}); !strings.Contains(r.Body, `"function":"patients.get"`) {
			t.Fatalf("the answer names %s, want the function's own name", r.Body)
		}
	})
}

// TestStrictOpenAITools: ?format=openai&strict=true gives strict-mode
// tools: CreateAppointment has every property required, the optional ones
// nullable, duration_minutes an integer.
func TestStrictOpenAITools(t *testing.T) {
	_, c := demoAgent(t)
	var list struct {
		Tools []struct {
			Function struct {
				Name       string `json:"name"`
				Strict     bool   `json:"strict"`
				Parameters struct {
					Properties           map[string]map[string]any `json:"properties"`
					Required             []string                  `json:"required"`
					AdditionalProperties bool                      `json:"additionalProperties"`
				} `json:"parameters"`
			} `json:"function"`
		} `json:"tools"`
	}
	c.Get("/api/integrations/opendental/functions?format=openai&strict=true").JSON(t, &list)
	for _, tool := range list.Tools {
		if tool.Function.Name != "CreateAppointment" {
			continue
		}
		p := tool.Function.Parameters
		if !tool.Function.Strict || p.AdditionalProperties || len(p.Required) != len(p.Properties) {
			t.Fatalf("CreateAppointment strict = %+v", tool.Function)
		}
		d := p.Properties["duration_minutes"]
		if types, _ := d["type"].([]any); len(types) != 2 || types[0] != "integer" || types[1] != "null" {
			t.Fatalf("duration_minutes = %v, want [integer null]", d)
		}
		return
	}
	t.Fatalf("no CreateAppointment tool in %+v", list.Tools)
}
