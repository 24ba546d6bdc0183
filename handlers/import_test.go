package handlers_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"switchboard/testsupport"
)

type importAnswer struct {
	Integration string `json:"integration"`
	Format      string `json:"format"`
	DryRun      bool   `json:"dry_run"`
	Added       []struct{ Function string }
	Changed     []struct{ Function string }
	Removed     []struct{ Function string }
	Unchanged   int `json:"unchanged"`
}

func TestImportSpecsThroughTheAPI(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv, c, org := adminAPI(t, dbURL)
		cases := []struct {
			file, slug, ctype string
			want              int
		}{
			{"petstore-oas3.yaml", "petstore", "application/yaml", 19},
			{"petstore-swagger2.json", "petstore2", "application/json", 3},
			{"uber-swagger2.yaml", "uber", "application/yaml", 5},
			{"opendental-oas3.yml", "od-oas", "application/yaml", 68},
		}
		for _, tc := range cases {
			t.Run(tc.file, func(t *testing.T) {
				body := testsupport.SpecFile(t, tc.file)
				dry := c.Do("POST", "/api/admin/integrations/import?dry_run=true&slug="+tc.slug, bytes.NewReader(body), http.Header{"Content-Type": {tc.ctype}})
				var a importAnswer
				dry.JSON(t, &a)
				if dry.StatusCode != 200 || !a.DryRun || len(a.Added) != tc.want {
					t.Fatalf("dry run = %d, %d added; want %d: %.500s", dry.StatusCode, len(a.Added), tc.want, dry.Body)
				}
				if _, err := srv.App.Store.Tenant(org).IntegrationBySlug(t.Context(), tc.slug); err == nil {
					t.Fatal("the dry run wrote the integration")
				}
				r := c.Do("POST", "/api/admin/integrations/import?slug="+tc.slug, bytes.NewReader(body), http.Header{"Content-Type": {tc.ctype}})
				r.JSON(t, &a)
				if r.StatusCode != 201 || len(a.Added) != tc.want {
					t.Fatalf("import = %d: %.500s", r.StatusCode, r.Body)
				}
				var eps struct {
					Items []struct{ Function string } `json:"items"`
				}
				c.Get("/api/admin/integrations/"+tc.slug+"/endpoints").JSON(t, &eps)
				if len(eps.Items) != tc.want {
					t.Fatalf("%d endpoints stored, want %d", len(eps.Items), tc.want)
				}
			})
		}
	})
}

func TestImportMergeAndReplace(t *testing.T) {
	_, c, _ := adminAPI(t, testsupport.SQLiteURL(t))
	spec := testsupport.SpecFile(t, "petstore-oas3.yaml")
	if r := c.Do("POST", "/api/admin/integrations/import?slug=pets", bytes.NewReader(spec), http.Header{"Content-Type": {"application/yaml"}}); r.StatusCode != 201 {
		t.Fatal(r.Body)
	}
	// A hand edit and a hand-made endpoint.
	var eps struct {
		Items []struct {
			ID       int64  `json:"id"`
			Function string `json:"function"`
			Method   string `json:"method"`
			Path     string `json:"path"`
		} `json:"items"`
	}
	c.Get("/api/admin/integrations/pets/endpoints").JSON(t, &eps)
	first := eps.Items[0]
	if r := c.SendJSON("PUT", "/api/admin/endpoints/"+itoa(first.ID), map[string]any{"function": first.Function, "method": first.Method, "path": first.Path, "description": "edited by hand",
		"params": []any{}}); r.StatusCode != 200 {
		t.Fatalf("hand edit = %d %s", r.StatusCode, r.Body)
	}
	if r := c.SendJSON("POST", "/api/admin/integrations/pets/endpoints", map[string]any{"function": "Custom", "method": "GET", "path": "/custom"}); r.StatusCode != 201 {
		t.Fatal(r.Body)
	}
	var a importAnswer
	r := c.Do("POST", "/api/admin/integrations/pets/import?mode=merge", bytes.NewReader(spec), http.Header{"Content-Type": {"application/yaml"}})
	r.JSON(t, &a)
	if r.StatusCode != 200 || len(a.Added) != 0 || len(a.Removed) != 0 {
		t.Fatalf("merge = %d %s", r.StatusCode, r.Body)
	}
	if got := c.Get("/api/admin/endpoints/" + itoa(first.ID)).Body; !strings.Contains(got, "edited by hand") {
		t.Fatal("merge overwrote a hand edit")
	}
	r = c.Do("POST", "/api/admin/integrations/pets/import?mode=replace&dry_run=true", bytes.NewReader(spec), http.Header{"Content-Type": {"application/yaml"}})
	r.JSON(t, &a)
	if len(a.Removed) != 1 || a.Removed[0].Function != "Custom" || len(a.Changed) == 0 {
		t.Fatalf("replace preview = %s", r.Body)
	}
	if r := c.Get("/api/admin/integrations/pets/endpoints"); !strings.Contains(r.Body, `"Custom"`) {
		t.Fatal("the replace dry run removed an endpoint")
	}
	// Multipart upload, tag filter.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "petstore-oas3.yaml")
	fw.Write(spec)
	mw.Close()
	r = c.Do("POST", "/api/admin/integrations/import?slug=store-only&tag=store", &buf, http.Header{"Content-Type": {mw.FormDataContentType()}})
	r.JSON(t, &a)
	if r.StatusCode != 201 || len(a.Added) != 4 {
		t.Fatalf("tag-filtered multipart import = %d, %d added: %s", r.StatusCode, len(a.Added), r.Body)
	}
}

func TestImportBadDocumentsWriteNothing(t *testing.T) {
	srv, c, org := adminAPI(t, testsupport.SQLiteURL(t))
	cases := map[string]string{
		"NotYAML":     "openapi: 3.0.0\ninfo: [unclosed\n",
		"NotAnAPI":    `{"hello": "world"}`,
		"BrokenRef":   "openapi: 3.0.0\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      parameters: [{$ref: '#/components/parameters/Nope'}]\n      responses: {'200': {description: ok}}\n",
		"BadRegistry": `[{"function":"A","method":"GET","path":"/a","parms":[]}]`,
	}
	for name, doc := range cases {
		t.Run(name, func(t *testing.T) {
			r := c.Do("POST", "/api/admin/integrations/import?slug=bad", strings.NewReader(doc), http.Header{"Content-Type": {"application/yaml"}})
			if r.StatusCode != 422 || !strings.Contains(r.Body, `"errors"`) {
				t.Fatalf("= %d %s", r.StatusCode, r.Body)
			}
			if _, err := srv.App.Store.Tenant(org).IntegrationBySlug(t.Context(), "bad"); err == nil {
				t.Fatal("a bad document wrote an integration")
			}
		})
	}
	if r := c.Do("POST", "/api/admin/integrations/import?slug=bad", strings.NewReader(cases["BrokenRef"]), http.Header{"Content-Type": {"application/yaml"}}); !strings.Contains(r.Body, "Nope") {
		t.Fatalf("the broken $ref is not named: %s", r.Body)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
