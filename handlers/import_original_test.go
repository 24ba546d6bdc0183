package handlers_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"switchboard/integrations/openapi/openapitest"
	"switchboard/testsupport"
)

type originalPreview struct {
	Format     string `json:"format"`
	Added      []struct{ Function, Path string }
	Unchanged  int      `json:"unchanged"`
	Normalized []string `json:"normalized"`
	Duplicates []string `json:"duplicates"`
}

// TestImportOriginalRegistryThroughTheAPI imports the original system's
// registry shape into a catalog Open Dental integration: the sample (its
// /api prefix dropped against the base URL's /api/v1, the preview saying
// so) and a generated 340-function document.
func TestImportOriginalRegistryThroughTheAPI(t *testing.T) {
	_, c, _ := adminAPI(t, testsupport.SQLiteURL(t))
	if r := c.SendJSON("POST", "/api/admin/integrations/from-catalog", map[string]any{"catalog": "opendental", "slug": "od"}); r.StatusCode != 201 {
		t.Fatalf("catalog install = %d %s", r.StatusCode, r.Body)
	}
	var a originalPreview
	r := c.Do("POST", "/api/admin/integrations/od/import?dry_run=true", bytes.NewReader(testsupport.RegistrySample(t)), http.Header{"Content-Type": {"application/json"}})
	r.JSON(t, &a)
	if r.StatusCode != 200 || a.Format != "registry (original)" {
		t.Fatalf("sample dry run = %d %s", r.StatusCode, r.Body)
	}
	if !strings.Contains(strings.Join(a.Normalized, "\n"), "the leading /api of 4 endpoints was dropped") {
		t.Errorf("normalized %q, want the /api prefix named", a.Normalized)
	}
	for _, e := range a.Added {
		if strings.HasPrefix(e.Path, "/api/") {
			t.Errorf("%s kept the prefix: %s", e.Function, e.Path)
		}
	}
	r = c.Do("POST", "/api/admin/integrations/od/import", bytes.NewReader(openapitest.OriginalRegistry(340)), http.Header{"Content-Type": {"application/json"}})
	r.JSON(t, &a)
	if r.StatusCode != 200 || len(a.Added) != 340 {
		t.Fatalf("340-function import = %d, %d added: %.400s", r.StatusCode, len(a.Added), r.Body)
	}
	var eps struct {
		Total int `json:"total"`
		Items []struct{ Function string }
	}
	c.Get("/api/admin/integrations/od/endpoints?limit=1").JSON(t, &eps)
	if eps.Total < 340+18 && len(eps.Items) == 0 {
		t.Fatalf("endpoints after the import: %+v", eps)
	}
	// Duplicates are named in the answer, the repeat renamed.
	dup := `{"metadata": {}, "functions": [{"function_name": "GetThing", "endpoint": "/things", "method": "GET"}, {"function_name": "GetThing", "endpoint": "/things/{ThingNum}", "method": "GET"}]}`
	r = c.Do("POST", "/api/admin/integrations/od/import?dry_run=true", strings.NewReader(dup), http.Header{"Content-Type": {"application/json"}})
	r.JSON(t, &a)
	if len(a.Duplicates) != 1 || !strings.Contains(a.Duplicates[0], "GetThing_2") || len(a.Added) != 2 {
		t.Fatalf("duplicate preview = %s", r.Body)
	}
}

// TestImportOriginalRegistryOnThePage previews the sample on the import
// page of an integration: the format, the counts and the normalization.
func TestImportOriginalRegistryOnThePage(t *testing.T) {
	srv := startIdentity(t, testsupport.SQLiteURL(t))
	org, _ := testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	key := srv.KeyClient(t, org.ID, "admin")
	if r := key.SendJSON("POST", "/api/admin/integrations/from-catalog", map[string]any{"catalog": "opendental", "slug": "od"}); r.StatusCode != 201 {
		t.Fatal(r.Body)
	}
	in, err := srv.App.Store.Tenant(org.ID).IntegrationBySlug(t.Context(), "od")
	if err != nil {
		t.Fatal(err)
	}
	c := srv.NewClient(t)
	c.Login("owner@acme.test", testsupport.Password)
	path := "/integrations/" + itoa(in.ID) + "/import"
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("_csrf", c.CSRF(path))
	mw.WriteField("mode", "merge")
	fw, _ := mw.CreateFormFile("file", "unified_registry.json")
	fw.Write(testsupport.RegistrySample(t))
	mw.Close()
	r := c.Do("POST", path, &buf, http.Header{"Content-Type": {mw.FormDataContentType()}})
	if r.StatusCode != 200 {
		t.Fatalf("preview = %d %.500s", r.StatusCode, r.Body)
	}
	for _, want := range []string{"registry (original)", "3 added", "Normalized: the leading /api of 4 endpoints was dropped"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the preview lacks %q", want)
		}
	}
}
