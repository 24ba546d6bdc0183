package handlers_test

import (
	"fmt"
	"strings"
	"testing"

	"switchboard/integrations/sandbox"
	"switchboard/testsupport"
)

// TestCloud9WithEachEndpointsOwnBody: a Cloud9 definition written the
// natural way — each procedure's endpoint with its own XML body that places
// the credentials, no integration-wide template — saves, and its calls
// reach the sandbox's Cloud9 with the credentials in the body. An endpoint
// whose body leaves them out is refused at save, naming that endpoint.
func TestCloud9WithEachEndpointsOwnBody(t *testing.T) {
	srv, _ := testsupport.StartDemo(t)
	org := srv.DemoOrg(t)
	c := srv.KeyClient(t, org.ID, "admin")
	base := srv.App.SandboxURL + sandbox.TenantPrefix(sandbox.OrgTenant(org.ID)) + sandbox.Cloud9Path
	body := func(proc string) string {
		return `<GetDataRequest xmlns="http://schemas.practica.ws/cloud9/partners/"><ClientID>{{client_id}}</ClientID>` +
			`<UserName>{{username}}</UserName><Password>{{password}}</Password><Procedure>` + proc + `</Procedure><Parameters></Parameters></GetDataRequest>`
	}
	doc := func(second string) map[string]any {
		return map[string]any{
			"slug": "c9own", "name": "Cloud9 (own bodies)", "base_url": map[string]string{"production": base},
			"auth": map[string]string{"type": "xml_body"}, "credential_fields": []string{"client_id", "username", "password"},
			"request_format": "xml", "extract": "GetDataResponse.Records.Record",
			"endpoints": []map[string]any{
				{"function": "GetLocations", "method": "POST", "body_template": body("GetLocations")},
				{"function": "GetProviders", "method": "POST", "body_template": second},
			},
		}
	}
	bad := `<GetDataRequest><ClientID>{{client_id}}</ClientID><Procedure>GetProviders</Procedure></GetDataRequest>`
	r := c.SendJSON("POST", "/api/admin/integrations", doc(bad))
	if r.StatusCode != 422 || !strings.Contains(r.Body, `"field":"endpoints[1].body_template"`) ||
		!strings.Contains(r.Body, "GetProviders: the XML body does not place the credential field(s) username, password") {
		t.Fatalf("an endpoint body without the credentials = %d %s, want 422 naming endpoints[1]", r.StatusCode, r.Body)
	}
	if r := c.SendJSON("POST", "/api/admin/integrations", doc(body("GetProviders"))); r.StatusCode != 201 {
		t.Fatalf("per-endpoint bodies = %d %s, want 201", r.StatusCode, r.Body)
	}
	cfg := srv.App.Sandbox.ConfigFor(sandbox.OrgTenant(org.ID))
	r = c.SendJSON("POST", "/api/admin/api-credentials", map[string]any{"integration": "c9own", "environment": "production",
		"fields": map[string]string{"client_id": cfg.Cloud9ClientID, "username": cfg.Cloud9UserName, "password": cfg.Cloud9Password}})
	if r.StatusCode != 201 {
		t.Fatalf("save credentials = %d %s", r.StatusCode, r.Body)
	}
	for _, fn := range []string{"GetLocations", "GetProviders"} {
		r := c.SendJSON("POST", "/api/integrations/c9own", map[string]any{"function": fn})
		if r.StatusCode != 200 || !strings.Contains(r.Body, `"ok":true`) {
			t.Fatalf("%s = %d %s", fn, r.StatusCode, r.Body)
		}
	}
	// With a wrong password the sandbox refuses: the credentials really
	// travel in each endpoint's own body.
	r = c.SendJSON("POST", "/api/admin/api-credentials/test", map[string]any{"integration": "c9own",
		"fields": map[string]string{"client_id": cfg.Cloud9ClientID, "username": cfg.Cloud9UserName, "password": "wrong"}})
	if strings.Contains(r.Body, `"ok":true`) {
		t.Fatalf("a wrong password was accepted: %s", fmt.Sprint(r.Body))
	}
}
