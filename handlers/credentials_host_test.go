package handlers_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchboard/testsupport"
)

// TestCredentialsFollowTheirHost: moving the base URL of an integration
// with stored credentials to another host is refused with 422 naming
// base_url — through the API's document and through the settings page,
// which shows the confirm box — unless the request confirms it
// (confirm_credentials_host), which the audit log records. A path on the
// same host, and an integration without credentials, move freely.
func TestCredentialsFollowTheirHost(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv, login := testsupport.StartDemoOn(t, dbURL)
		admin := srv.KeyClient(t, srv.DemoOrg(t).ID, "admin")
		r := admin.Get("/api/admin/integrations/opendental")
		if r.StatusCode != 200 {
			t.Fatalf("get = %d %s", r.StatusCode, r.Body)
		}
		id := r.Header.Get("X-Integration-Id")
		var doc map[string]any
		r.JSON(t, &doc)
		base := doc["base_url"].(map[string]any)["production"].(string)
		put := func(to, query string) *testsupport.Response {
			doc["base_url"] = map[string]any{"production": to}
			b, _ := json.Marshal(doc)
			return admin.Do("PUT", "/api/admin/integrations/opendental"+query, strings.NewReader(string(b)), http.Header{"Content-Type": {"application/json"}})
		}
		if r := put("http://attacker.test:9/api", ""); r.StatusCode != 422 || !strings.Contains(r.Body, `"base_url.production"`) ||
			!strings.Contains(r.Body, "confirm_credentials_host") {
			t.Fatalf("moving the host with stored credentials = %d %s", r.StatusCode, r.Body)
		}
		if r := admin.Get("/api/admin/integrations/opendental"); !strings.Contains(r.Body, base) {
			t.Fatalf("the refused change was saved: %s", r.Body)
		}
		if r := put(strings.TrimRight(base, "/")+"/v2", ""); r.StatusCode != 200 {
			t.Fatalf("a new path on the same host = %d %s", r.StatusCode, r.Body)
		}
		if n := countAudit(t, srv, "credentials_host_confirmed"); n != 0 {
			t.Fatalf("%d confirmations audited before any", n)
		}
		if r := put("http://attacker.test:9/api", "?confirm_credentials_host=true"); r.StatusCode != 200 {
			t.Fatalf("a confirmed move = %d %s", r.StatusCode, r.Body)
		}
		if n := countAudit(t, srv, "credentials_host_confirmed"); n != 1 {
			t.Fatalf("%d confirmations audited, want 1", n)
		}

		// The settings page: refused with the field's error and the box;
		// ticked, saved and audited.
		c := srv.NewClient(t)
		c.Login(login.Email, login.Password)
		tok := c.CSRF("/integrations/" + id)
		form := url.Values{"_csrf": {tok}, "name": {"Open Dental"}, "base_url_production": {"http://elsewhere.test:9/api"}, "enabled": {"true"}}
		page := c.PostForm("/integrations/"+id+"/settings", form)
		if page.StatusCode != 422 || !strings.Contains(page.Body, `data-testid="error-base_url_production"`) ||
			!strings.Contains(page.Body, `data-testid="confirm-credentials-host"`) {
			t.Fatalf("settings page moving the host = %d %.600s", page.StatusCode, page.Body)
		}
		form.Set("confirm_credentials_host", "true")
		if page := c.PostForm("/integrations/"+id+"/settings", form); page.StatusCode != http.StatusSeeOther {
			t.Fatalf("settings page, confirmed = %d %.600s", page.StatusCode, page.Body)
		}
		if n := countAudit(t, srv, "credentials_host_confirmed"); n != 2 {
			t.Fatalf("%d confirmations audited, want 2", n)
		}

		// An integration without credentials moves freely.
		if r := admin.SendJSON("POST", "/api/admin/integrations/from-catalog", map[string]any{"catalog": "opendental", "slug": "od-bare"}); r.StatusCode != 201 {
			t.Fatalf("add = %d %s", r.StatusCode, r.Body)
		}
		var bare map[string]any
		admin.Get("/api/admin/integrations/od-bare").JSON(t, &bare)
		bare["base_url"] = map[string]any{"production": "http://anywhere.test:9/api"}
		b, _ := json.Marshal(bare)
		if r := admin.Do("PUT", "/api/admin/integrations/od-bare", strings.NewReader(string(b)), http.Header{"Content-Type": {"application/json"}}); r.StatusCode != 200 {
			t.Fatalf("moving an integration without credentials = %d %s", r.StatusCode, r.Body)
		}
	})
}
