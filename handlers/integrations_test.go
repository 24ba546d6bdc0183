package handlers_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"switchboard/integrations/catalog"
	"switchboard/integrations/definition"
	"switchboard/testsupport"
)

// adminAPI starts a server with an organization and returns a client
// carrying an admin API key.
func adminAPI(t *testing.T, dbURL string) (*testsupport.Server, *testsupport.Client, int64) {
	t.Helper()
	srv := startIdentity(t, dbURL)
	org, _ := testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	c := srv.KeyClient(t, org.ID, "admin")
	return srv, c, org.ID
}

func normalized(t *testing.T, raw []byte, yamlIn bool) *definition.Document {
	t.Helper()
	var doc *definition.Document
	var err error
	if yamlIn {
		doc, err = definition.ParseYAML(raw)
	} else {
		doc, err = definition.ParseJSON(raw)
	}
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, raw)
	}
	doc.Normalize()
	return doc
}

// TestCatalogRoundTrip adds every catalog definition through the API,
// exports it as JSON and as YAML, and compares with the catalog file.
func TestCatalogRoundTrip(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		_, c, _ := adminAPI(t, dbURL)
		entries, err := catalog.List()
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			t.Run(e.Slug, func(t *testing.T) {
				want := normalized(t, e.Raw, true)
				r := c.SendJSON("POST", "/api/admin/integrations/from-catalog", map[string]string{"catalog": e.Slug})
				if r.StatusCode != http.StatusCreated {
					t.Fatalf("from-catalog = %d %s", r.StatusCode, r.Body)
				}
				asJSON := c.Get("/api/admin/integrations/" + e.Slug + "/export")
				if got := normalized(t, []byte(asJSON.Body), false); !reflect.DeepEqual(got, want) {
					t.Fatalf("JSON export differs from the catalog:\n got %s\nwant %s", mustJSON(got), mustJSON(want))
				}
				asYAML := c.Do("GET", "/api/admin/integrations/"+e.Slug+"/export", nil, http.Header{"Accept": {"application/yaml"}})
				if ct := asYAML.Header.Get("Content-Type"); ct != "application/yaml" {
					t.Fatalf("YAML export content type %q", ct)
				}
				if got := normalized(t, []byte(asYAML.Body), true); !reflect.DeepEqual(got, want) {
					t.Fatal("YAML export differs from the catalog")
				}
				// Save the export back unchanged: nothing changes.
				put := c.Do("PUT", "/api/admin/integrations/"+e.Slug, strings.NewReader(asYAML.Body), http.Header{"Content-Type": {"application/yaml"}})
				if put.StatusCode != 200 {
					t.Fatalf("PUT export back = %d %s", put.StatusCode, put.Body)
				}
				if got := normalized(t, []byte(put.Body), false); !reflect.DeepEqual(got, want) {
					t.Fatal("document changed after saving its own export")
				}
			})
		}
		if r := c.SendJSON("POST", "/api/admin/integrations/from-catalog", map[string]string{"catalog": "opendental"}); r.StatusCode != http.StatusConflict {
			t.Fatalf("adding opendental twice = %d, want 409", r.StatusCode)
		}
		var l struct {
			Items []struct{ Slug string } `json:"items"`
		}
		c.Get("/api/admin/integrations").JSON(t, &l)
		if len(l.Items) != len(entries) {
			t.Fatalf("list has %d integrations, want %d", len(l.Items), len(entries))
		}
	})
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestIntegrationDocumentValidation(t *testing.T) {
	_, c, _ := adminAPI(t, testsupport.SQLiteURL(t))
	doc := `
slug: Bad Slug
name: ""
auth: {type: api_key, header: Authorization, template: "Key {{nope}}"}
credential_fields: [token]
timeout: soon
endpoints:
  - function: GetThing
    method: FETCH
    path: /things/{ThingID}
    params: [{name: id, in: cookie}]
  - function: GetThing
    method: GET
    path: /x
parameter_maps:
  - {internal: phone, external: Phone, transform: uper}
test_function: Missing
`
	r := c.Do("POST", "/api/admin/integrations", strings.NewReader(doc), http.Header{"Content-Type": {"application/yaml"}})
	if r.StatusCode != http.StatusUnprocessableEntity && r.StatusCode != http.StatusBadRequest {
		t.Fatalf("invalid document = %d %s", r.StatusCode, r.Body)
	}
	if r.StatusCode == http.StatusBadRequest {
		// "timeout: soon" may be refused while parsing; fix it and go on.
		if !strings.Contains(r.Body, "timeout") {
			t.Fatalf("400 does not name timeout: %s", r.Body)
		}
		doc = strings.Replace(doc, "timeout: soon", "timeout: 5s", 1)
		r = c.Do("POST", "/api/admin/integrations", strings.NewReader(doc), http.Header{"Content-Type": {"application/yaml"}})
	}
	var p struct {
		Code   string `json:"code"`
		Errors []struct{ Field, Message string }
	}
	r.JSON(t, &p)
	if r.StatusCode != 422 || p.Code != "validation_failed" {
		t.Fatalf("= %d %s", r.StatusCode, r.Body)
	}
	fields := map[string]bool{}
	for _, e := range p.Errors {
		fields[e.Field] = true
	}
	for _, want := range []string{"slug", "name", "auth.template", "endpoints[0].method", "endpoints[0].params[0].in", "endpoints[1].function", "parameter_maps[0].transform", "test_function"} {
		if !fields[want] {
			t.Errorf("no problem reported at %s; got %s", want, r.Body)
		}
	}
	if r := c.Do("POST", "/api/admin/integrations", strings.NewReader(`{"slug":"x","name":"X","colour":"red"}`), http.Header{"Content-Type": {"application/json"}}); r.StatusCode != 400 || !strings.Contains(r.Body, "colour") {
		t.Fatalf("unknown field = %d %s, want 400 naming it", r.StatusCode, r.Body)
	}
}

func TestEndpointAndMapCRUD(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		_, c, _ := adminAPI(t, dbURL)
		if r := c.SendJSON("POST", "/api/admin/integrations/from-catalog", map[string]string{"catalog": "opendental"}); r.StatusCode != 201 {
			t.Fatal(r.Body)
		}
		var eps struct {
			Items []struct {
				ID       int64  `json:"id"`
				Function string `json:"function"`
			} `json:"items"`
		}
		c.Get("/api/admin/integrations/opendental/endpoints").JSON(t, &eps)
		if len(eps.Items) < 10 {
			t.Fatalf("%d endpoints", len(eps.Items))
		}
		r := c.SendJSON("POST", "/api/admin/integrations/opendental/endpoints", map[string]any{
			"function": "GetRecall", "method": "GET", "path": "/recalls/{RecallNum}",
			"params": []map[string]any{{"name": "RecallNum", "in": "path", "type": "integer", "required": true}},
		})
		if r.StatusCode != 201 {
			t.Fatalf("create endpoint = %d %s", r.StatusCode, r.Body)
		}
		var created struct {
			ID int64 `json:"id"`
		}
		r.JSON(t, &created)
		if r := c.SendJSON("POST", "/api/admin/integrations/opendental/endpoints", map[string]any{"function": "GetRecall", "method": "GET", "path": "/r"}); r.StatusCode != 409 {
			t.Fatalf("duplicate function = %d", r.StatusCode)
		}
		bad := c.SendJSON("POST", "/api/admin/integrations/opendental/endpoints", map[string]any{"function": "Bad", "method": "GET", "path": "/r/{Missing}"})
		if bad.StatusCode != 422 || !strings.Contains(bad.Body, "Missing") {
			t.Fatalf("undeclared path param = %d %s", bad.StatusCode, bad.Body)
		}
		// Rename keeps the id.
		r = c.SendJSON("PUT", fmt.Sprintf("/api/admin/endpoints/%d", created.ID), map[string]any{
			"function": "GetRecallByNum", "method": "GET", "path": "/recalls/{RecallNum}",
			"params": []map[string]any{{"name": "RecallNum", "in": "path", "type": "integer", "required": true}},
		})
		var renamed struct {
			ID       int64  `json:"id"`
			Function string `json:"function"`
		}
		r.JSON(t, &renamed)
		if r.StatusCode != 200 || renamed.ID != created.ID || renamed.Function != "GetRecallByNum" {
			t.Fatalf("rename = %d %s", r.StatusCode, r.Body)
		}
		// Maps.
		r = c.SendJSON("POST", "/api/admin/integrations/opendental/parameter-maps", map[string]any{"internal": "recall_id", "external": "RecallNum", "endpoint": "GetRecallByNum", "transform": "to_int"})
		var m struct {
			ID int64 `json:"id"`
		}
		r.JSON(t, &m)
		if r.StatusCode != 201 || m.ID == 0 {
			t.Fatalf("create map = %d %s", r.StatusCode, r.Body)
		}
		if r := c.SendJSON("POST", "/api/admin/integrations/opendental/parameter-maps", map[string]any{"internal": "a", "external": "b", "transform": "uper"}); r.StatusCode != 422 || !strings.Contains(r.Body, "uper") {
			t.Fatalf("unknown transform = %d %s", r.StatusCode, r.Body)
		}
		r = c.SendJSON("PUT", fmt.Sprintf("/api/admin/parameter-maps/%d", m.ID), map[string]any{"internal": "recall", "external": "RecallNum", "endpoint": "GetRecallByNum"})
		var m2 struct {
			ID       int64  `json:"id"`
			Internal string `json:"internal"`
		}
		r.JSON(t, &m2)
		if r.StatusCode != 200 || m2.ID != m.ID || m2.Internal != "recall" {
			t.Fatalf("update map = %d %s", r.StatusCode, r.Body)
		}
		if r := c.Do("DELETE", fmt.Sprintf("/api/admin/endpoints/%d", created.ID), nil, nil); r.StatusCode != 204 {
			t.Fatalf("delete endpoint = %d %s", r.StatusCode, r.Body)
		}
		if r := c.Do("DELETE", fmt.Sprintf("/api/admin/parameter-maps/%d", m.ID), nil, nil); r.StatusCode != 404 {
			t.Fatalf("the endpoint's map outlived it: %d", r.StatusCode)
		}
		if r := c.Do("GET", fmt.Sprintf("/api/admin/endpoints/%d", created.ID), nil, nil); r.StatusCode != 404 {
			t.Fatalf("deleted endpoint = %d", r.StatusCode)
		}
		if r := c.Do("DELETE", "/api/admin/integrations/opendental", nil, nil); r.StatusCode != 204 {
			t.Fatalf("delete integration = %d", r.StatusCode)
		}
		if r := c.Get("/api/admin/integrations/opendental"); r.StatusCode != 404 {
			t.Fatalf("deleted integration = %d", r.StatusCode)
		}
	})
}

func TestYAMLExportIsTheDocument(t *testing.T) {
	_, c, _ := adminAPI(t, testsupport.SQLiteURL(t))
	c.SendJSON("POST", "/api/admin/integrations/from-catalog", map[string]string{"catalog": "cloud9"})
	r := c.Get("/api/admin/integrations/cloud9/export?format=yaml")
	var m map[string]any
	if err := yaml.Unmarshal([]byte(r.Body), &m); err != nil || m["slug"] != "cloud9" {
		t.Fatalf("export ?format=yaml is not the YAML document: %v %.200s", err, r.Body)
	}
}
