package handlers_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"switchboard/testsupport"
)

// envUpstream is one environment's fake upstream: it records the requests
// it got and answers every one.
type envUpstream struct {
	mu   sync.Mutex
	hits []string
	srv  *httptest.Server
}

func newEnvUpstream(t *testing.T) *envUpstream {
	u := &envUpstream{}
	u.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.mu.Lock()
		u.hits = append(u.hits, r.Method+" "+r.URL.Path)
		u.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/providers":
			w.Write([]byte(`[{"id": "p1", "name": "Dr One"}]`))
		case "/patients":
			w.Write([]byte(`{"id": "ext-1"}`))
		default:
			w.Write([]byte(`{"ok": true}`))
		}
	}))
	t.Cleanup(u.srv.Close)
	return u
}

// took reports whether the upstream got a request "METHOD /path".
func (u *envUpstream) took(req string) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, h := range u.hits {
		if h == req {
			return true
		}
	}
	return false
}

// TestDefaultEnvironment: calls that name no environment, sync deliveries
// and reference lists go to the integration's default_environment; a call
// naming one still goes there; the settings tab changes it.
func TestDefaultEnvironment(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv, c, _ := adminAPI(t, dbURL)
		prod, sand := newEnvUpstream(t), newEnvUpstream(t)
		doc := map[string]any{
			"slug": "twoenv", "name": "Two environments", "default_environment": "sandbox",
			"base_url": map[string]string{"production": prod.srv.URL, "sandbox": sand.srv.URL},
			"endpoints": []map[string]any{
				{"function": "Ping", "method": "GET", "path": "/ping"},
				{"function": "ListProviders", "method": "GET", "path": "/providers"},
				{"function": "CreatePatient", "method": "POST", "path": "/patients", "writes": true, "id_path": "id",
					"params": []map[string]any{{"name": "first_name", "in": "body", "type": "string"}, {"name": "last_name", "in": "body", "type": "string"}}},
			},
			"reference": map[string]any{"providers": map[string]string{"function": "ListProviders", "id_path": "id", "label_template": "{{name}}"}},
			"sync":      map[string]any{"patient": map[string]string{"create": "CreatePatient"}},
		}
		if r := c.SendJSON("POST", "/api/admin/integrations", doc); r.StatusCode != http.StatusCreated {
			t.Fatalf("create = %d %s", r.StatusCode, r.Body)
		}
		t.Run("a call without environment goes to the default", func(t *testing.T) {
			if r := c.SendJSON("POST", "/api/integrations/twoenv", map[string]any{"function": "Ping"}); r.StatusCode != 200 {
				t.Fatalf("execute = %d %s", r.StatusCode, r.Body)
			}
			if !sand.took("GET /ping") || prod.took("GET /ping") {
				t.Fatalf("sandbox hits %v, production hits %v; want the sandbox only", sand.hits, prod.hits)
			}
			if r := c.SendJSON("POST", "/api/integrations/twoenv", map[string]any{"function": "Ping", "environment": "production"}); r.StatusCode != 200 || !prod.took("GET /ping") {
				t.Fatalf("explicit production = %d, production hits %v", r.StatusCode, prod.hits)
			}
		})
		t.Run("reference lists use the default", func(t *testing.T) {
			r := c.Get("/api/reference/providers?integration=twoenv")
			if r.StatusCode != 200 || !strings.Contains(r.Body, "Dr One") || !sand.took("GET /providers") || prod.took("GET /providers") {
				t.Fatalf("reference = %d %s; sandbox %v production %v", r.StatusCode, r.Body, sand.hits, prod.hits)
			}
		})
		t.Run("sync deliveries follow the default", func(t *testing.T) {
			r := c.SendJSON("POST", "/api/admin/integration-settings", map[string]any{"integration": "twoenv", "enabled": true, "entities": []string{"patient"}})
			if r.StatusCode != http.StatusCreated || !strings.Contains(r.Body, `"environment":"sandbox"`) || !strings.Contains(r.Body, `"environment_default":true`) {
				t.Fatalf("settings = %d %s", r.StatusCode, r.Body)
			}
			p := c.SendJSON("POST", "/api/patients?wait=3s", map[string]any{"first_name": "Ada", "last_name": "Lovelace"})
			if p.StatusCode != http.StatusCreated || !strings.Contains(p.Body, `"status":"synced"`) {
				t.Fatalf("patient = %d %s", p.StatusCode, p.Body)
			}
			if !sand.took("POST /patients") || prod.took("POST /patients") {
				t.Fatalf("sandbox %v production %v; want the delivery in the sandbox", sand.hits, prod.hits)
			}
		})
		t.Run("the settings tab changes it", func(t *testing.T) {
			page := srv.NewClient(t)
			page.Login("owner@acme.test", testsupport.Password)
			var id int64
			srv.App.DB.NewRaw("SELECT id FROM external_integrations WHERE slug = 'twoenv'").Scan(t.Context(), &id)
			path := "/integrations/" + strconv.FormatInt(id, 10)
			if !strings.Contains(page.Get(path).Body, `<option value="sandbox" selected`) {
				t.Fatal("the settings tab does not show the sandbox as the default environment")
			}
			tok := page.CSRF(path)
			r := page.PostForm(path+"/settings", url.Values{"_csrf": {tok}, "name": {"Two environments"}, "enabled": {"true"},
				"base_url_production": {prod.srv.URL}, "base_url_sandbox": {sand.srv.URL}, "default_environment": {"production"}})
			if r.StatusCode != http.StatusSeeOther {
				t.Fatalf("settings = %d %.600s", r.StatusCode, r.Body)
			}
			if r := c.SendJSON("POST", "/api/integrations/twoenv", map[string]any{"function": "ListProviders"}); r.StatusCode != 200 || !prod.took("GET /providers") {
				t.Fatalf("after the change = %d; production hits %v", r.StatusCode, prod.hits)
			}
			bad := page.PostForm(path+"/settings", url.Values{"_csrf": {tok}, "name": {"Two environments"}, "enabled": {"true"},
				"base_url_production": {prod.srv.URL}, "default_environment": {"sandbox"}})
			if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "base_url.sandbox is not set") {
				t.Fatalf("sandbox default without a sandbox URL = %d", bad.StatusCode)
			}
		})
	})
}
