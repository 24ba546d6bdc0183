package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchboard/integrations/definition"
	"switchboard/testsupport"
)

// bigDocument is an integration with n endpoints.
func bigDocument(n int) *definition.Document {
	doc := &definition.Document{Slug: "big", Name: "Big API", BaseURL: map[string]string{"production": "https://big.example.com"}}
	for i := 0; i < n; i++ {
		method := "GET"
		if i%3 == 0 {
			method = "POST"
		}
		doc.Endpoints = append(doc.Endpoints, definition.Endpoint{Function: fmt.Sprintf("Func%03d", i), Method: method,
			Path: fmt.Sprintf("/things%03d", i), Writes: method == "POST", Description: fmt.Sprintf("thing number %d", i)})
	}
	return doc
}

func TestEndpointRegistryPageSearchesFiltersAndPages(t *testing.T) {
	srv := startIdentity(t, testsupport.SQLiteURL(t))
	org, _ := testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	in, err := srv.App.Registry.Create(t.Context(), org.ID, bigDocument(320), "")
	if err != nil {
		t.Fatal(err)
	}
	c := srv.NewClient(t)
	c.Login("owner@acme.test", testsupport.Password)
	base := fmt.Sprintf("/integrations/%d/endpoints", in.ID)

	r := c.Get(base)
	if r.StatusCode != 200 || !strings.Contains(r.Body, "1–50 of 320") || !strings.Contains(r.Body, `data-testid="next-page"`) {
		t.Fatalf("first page = %d", r.StatusCode)
	}
	r = c.Get(base + "?offset=300")
	if !strings.Contains(r.Body, "301–320 of 320") || strings.Contains(r.Body, `data-testid="next-page"`) {
		t.Fatal("last page wrong")
	}
	// htmx search answers only the results part.
	r = c.Do("GET", base+"?q=func31", nil, http.Header{"HX-Request": {"true"}})
	if strings.Contains(r.Body, "<html") || !strings.Contains(r.Body, "Func310") || !strings.Contains(r.Body, "1–10 of 10") {
		t.Fatalf("htmx search answered %.300s", r.Body)
	}
	r = c.Get(base + "?writes=true&method=POST")
	if !strings.Contains(r.Body, "of 107") {
		t.Fatalf("writes filter: %.200s", r.Body[strings.Index(r.Body, "endpoint-count"):])
	}
}

func TestIntegrationPagesWork(t *testing.T) {
	srv := startIdentity(t, testsupport.SQLiteURL(t))
	testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	c := srv.NewClient(t)
	c.Login("owner@acme.test", testsupport.Password)
	tok := c.CSRF("/integrations")
	r := c.PostForm("/integrations/from-catalog", url.Values{"_csrf": {tok}, "catalog": {"opendental"}})
	id := strings.TrimSuffix(strings.TrimPrefix(r.Header.Get("Location"), "/integrations/"), "/credentials")

	list := c.Get("/integrations")
	if !strings.Contains(list.Body, `data-testid="integration-opendental"`) || !strings.Contains(list.Body, "missing") {
		t.Fatal("the list does not show Open Dental with missing credentials")
	}
	for _, p := range []string{"/integrations/" + id, "/integrations/" + id + "/endpoints", "/integrations/" + id + "/maps", "/integrations/" + id + "/credentials", "/integrations/new"} {
		if r := c.Get(p); r.StatusCode != 200 {
			t.Errorf("GET %s = %d", p, r.StatusCode)
		}
	}
	// The document editor checks through htmx and shows precise problems.
	check := c.Do("POST", "/integrations/"+id+"/document/check", strings.NewReader(url.Values{"format": {"yaml"},
		"document": {"slug: opendental\nname: OD\nendpoints:\n  - {function: X, method: GET, path: \"/x/{id}\"}\n"}}.Encode()),
		http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "HX-Request": {"true"}, "X-CSRF-Token": {tok}})
	if check.StatusCode != 422 || !strings.Contains(check.Body, "endpoints[0].path") {
		t.Fatalf("check = %d %s", check.StatusCode, check.Body)
	}
	// Settings form: a bad timeout is refused inline; a good one is saved.
	bad := c.PostForm("/integrations/"+id+"/settings", url.Values{"_csrf": {tok}, "name": {"Open Dental"}, "timeout": {"soon"}, "base_url_production": {"https://api.opendental.com/api/v1"}})
	if bad.StatusCode != 422 || !strings.Contains(bad.Body, `data-testid="error-timeout"`) {
		t.Fatalf("bad timeout = %d", bad.StatusCode)
	}
	// Every error at once: the form's own (no name), the timeout and the
	// document's (a base URL that is not one), in one answer.
	all := c.PostForm("/integrations/"+id+"/settings", url.Values{"_csrf": {tok}, "name": {""}, "timeout": {"soon"}, "base_url_production": {"not a url"}})
	for _, f := range []string{"name", "timeout", "base_url_production"} {
		if all.StatusCode != 422 || !strings.Contains(all.Body, `data-testid="error-`+f+`"`) {
			t.Errorf("settings with three bad fields = %d, no error shown on %s", all.StatusCode, f)
		}
	}
	good := c.PostForm("/integrations/"+id+"/settings", url.Values{"_csrf": {tok}, "name": {"Open Dental (main office)"}, "timeout": {"20s"},
		"base_url_production": {"https://api.opendental.com/api/v1"}, "test_function": {"ListProviders"}, "enabled": {"true"}})
	if good.StatusCode != http.StatusSeeOther {
		t.Fatalf("settings = %d %.800s", good.StatusCode, good.Body)
	}
	if !strings.Contains(c.Get("/integrations/"+id).Body, "timeout: 20s") {
		t.Fatal("the saved timeout is not in the document")
	}
	// Parameter maps: an unknown transform is refused on the form.
	m := c.PostForm("/integrations/"+id+"/maps", url.Values{"_csrf": {tok}, "internal": {"nick"}, "external": {"Preferred"}, "transform": {"uper"}, "direction": {"both"}})
	if m.StatusCode != 422 || !strings.Contains(m.Body, `data-testid="error-transform"`) {
		t.Fatalf("bad map = %d", m.StatusCode)
	}
	if m := c.PostForm("/integrations/"+id+"/maps", url.Values{"_csrf": {tok}, "internal": {"nick"}, "external": {"Preferred"}, "transform": {"title"}, "direction": {"both"}}); m.StatusCode != http.StatusSeeOther {
		t.Fatalf("map = %d", m.StatusCode)
	}
	if !strings.Contains(c.Get("/integrations/"+id+"/maps").Body, `data-testid="map-nick"`) {
		t.Fatal("the new map is not listed")
	}
	for _, action := range []string{"integration_created", "integration_updated", "parameter_map_created"} {
		if !strings.Contains(c.Get("/audit?action="+action).Body, `data-testid="audit-row"`) {
			t.Errorf("no %s entry in the audit log", action)
		}
	}
}

func TestIntegrationsAreTenantScopedAndAdminOnly(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv, acme, _ := adminAPI(t, dbURL)
		acme.SendJSON("POST", "/api/admin/integrations/from-catalog", map[string]string{"catalog": "opendental"})
		acme.SendJSON("POST", "/api/admin/api-credentials", map[string]any{"integration": "opendental", "fields": map[string]string{"developer_key": devKey, "customer_key": customerKey}})
		var eps struct {
			Items []struct{ ID int64 } `json:"items"`
		}
		acme.Get("/api/admin/integrations/opendental/endpoints").JSON(t, &eps)
		var creds struct {
			Items []struct{ ID int64 } `json:"items"`
		}
		acme.Get("/api/admin/api-credentials").JSON(t, &creds)
		var integrationID int64
		srv.App.DB.NewRaw("SELECT id FROM external_integrations WHERE slug = 'opendental'").Scan(t.Context(), &integrationID)

		globex, _ := testsupport.Seed(t, srv.App.Store, "globex", "owner@globex.test", "owner")
		g := srv.KeyClient(t, globex.ID, "admin")
		for _, path := range []string{
			fmt.Sprintf("/api/admin/integrations/%d", integrationID),
			"/api/admin/integrations/opendental",
			fmt.Sprintf("/api/admin/integrations/%d/export", integrationID),
			fmt.Sprintf("/api/admin/endpoints/%d", eps.Items[0].ID),
			fmt.Sprintf("/api/admin/api-credentials/%d", creds.Items[0].ID),
		} {
			if r := g.Get(path); r.StatusCode != 404 {
				t.Errorf("globex GET %s = %d, want 404", path, r.StatusCode)
			}
		}
		if r := g.Do("DELETE", fmt.Sprintf("/api/admin/integrations/%d", integrationID), nil, nil); r.StatusCode != 404 {
			t.Errorf("globex DELETE = %d", r.StatusCode)
		}
		if r := g.SendJSON("PUT", fmt.Sprintf("/api/admin/api-credentials/%d", creds.Items[0].ID), map[string]any{"fields": map[string]string{}}); r.StatusCode != 404 {
			t.Errorf("globex PUT credential = %d", r.StatusCode)
		}
		if r := acme.Get("/api/admin/integrations/opendental"); r.StatusCode != 200 {
			t.Fatal("acme lost its integration")
		}

		// Agent keys and staff sessions cannot use the admin API or pages.
		agent := srv.KeyClient(t, globex.ID, "agent")
		if r := agent.Get("/api/admin/integrations"); r.StatusCode != 403 {
			t.Errorf("agent key on admin API = %d", r.StatusCode)
		}
		testsupport.Seed(t, srv.App.Store, "acme", "staff@acme.test", "staff")
		staff := srv.NewClient(t)
		staff.Login("staff@acme.test", testsupport.Password)
		for _, p := range []string{"/integrations", fmt.Sprintf("/integrations/%d/credentials", integrationID), "/api/admin/api-credentials"} {
			if r := staff.Get(p); r.StatusCode != 403 {
				t.Errorf("staff GET %s = %d, want 403", p, r.StatusCode)
			}
		}
	})
}
