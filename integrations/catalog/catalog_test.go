package catalog

import (
	"errors"
	"io/fs"
	"reflect"
	"slices"
	"strings"
	"testing"

	"switchboard/integrations/definition"
)

// categories are the groups the add-from-catalog page shows.
var categories = []string{"Practice management", "Calendar", "AI", "Messaging", "Voice"}

// shipped are the definitions the catalog must hold.
var shipped = []string{
	"anthropic", "cloud9", "dentrix", "evolution-api", "google-calendar",
	"langfuse", "nodered", "openai", "opendental", "retell", "twilio",
}

func mustList(t *testing.T) []Entry {
	t.Helper()
	entries, err := List()
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	return entries
}

func mustGet(t *testing.T, slug string) *Entry {
	t.Helper()
	e, err := Get(slug)
	if err != nil {
		t.Fatalf("Get(%q): %v", slug, err)
	}
	return e
}

func mustCompile(t *testing.T, e Entry) *definition.Compiled {
	t.Helper()
	c, err := definition.Compile(e.Doc)
	if err != nil {
		t.Fatalf("%s: Compile: %v", e.Slug, err)
	}
	return c
}

func TestListHoldsEveryShippedDefinitionSortedByName(t *testing.T) {
	entries := mustList(t)
	var slugs, names []string
	for _, e := range entries {
		slugs = append(slugs, e.Slug)
		names = append(names, strings.ToLower(e.Name))
	}
	if !slices.IsSorted(names) {
		t.Errorf("names are not sorted: %v", names)
	}
	got := slices.Clone(slugs)
	slices.Sort(got)
	if !slices.Equal(got, shipped) {
		t.Errorf("slugs = %v, want %v", got, shipped)
	}
	if len(slices.Compact(got)) != len(slugs) {
		t.Errorf("duplicate slugs in %v", slugs)
	}
	files, err := fs.Glob(files, "*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(entries) {
		t.Errorf("%d files but %d entries", len(files), len(entries))
	}
}

func TestEveryEntryIsComplete(t *testing.T) {
	for _, e := range mustList(t) {
		t.Run(e.Slug, func(t *testing.T) {
			if e.Name == "" || e.Description == "" {
				t.Errorf("name %q, description %q: both are needed", e.Name, e.Description)
			}
			if !slices.Contains(categories, e.Category) {
				t.Errorf("category %q, want one of %v", e.Category, categories)
			}
			if e.Name != e.Doc.Name || e.Slug != e.Doc.Slug || e.Category != e.Doc.Category {
				t.Errorf("entry fields differ from its document")
			}
			if len(e.Raw) == 0 {
				t.Errorf("Raw is empty")
			}
			if e.Doc.BaseURL[definition.EnvProduction] == "" {
				t.Errorf("no production base URL")
			}
		})
	}
}

func TestEveryEntryValidatesAndCompiles(t *testing.T) {
	for _, e := range mustList(t) {
		t.Run(e.Slug, func(t *testing.T) {
			if err := definition.Validate(e.Doc); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			c := mustCompile(t, e)
			if len(c.Order) != len(e.Doc.Endpoints) {
				t.Errorf("compiled %d endpoints, want %d", len(c.Order), len(e.Doc.Endpoints))
			}
		})
	}
}

func TestEveryEndpointIsDescribedAndTyped(t *testing.T) {
	for _, e := range mustList(t) {
		for _, ep := range e.Doc.Endpoints {
			if strings.TrimSpace(ep.Description) == "" {
				t.Errorf("%s.%s has no description", e.Slug, ep.Function)
			}
			for _, p := range ep.Params {
				if p.Type == "" || p.In == "" || p.Description == "" {
					t.Errorf("%s.%s param %s: give in, type and description explicitly", e.Slug, ep.Function, p.Name)
				}
			}
		}
	}
}

// A Test Connection runs the test function with no parameters, so every
// required parameter must have a default.
func TestTestFunctionRunsWithoutParameters(t *testing.T) {
	for _, e := range mustList(t) {
		t.Run(e.Slug, func(t *testing.T) {
			c := mustCompile(t, e)
			ep, ok := c.Endpoint(e.Doc.TestFunction)
			if !ok {
				t.Fatalf("test_function %q is not an endpoint", e.Doc.TestFunction)
			}
			if !ep.Endpoint.IsEnabled() || ep.Endpoint.Writes {
				t.Errorf("test_function %q must be enabled and read-only", e.Doc.TestFunction)
			}
			for _, p := range ep.Endpoint.Params {
				if p.Required && p.Default == nil {
					t.Errorf("test_function %q requires %s, which has no default", e.Doc.TestFunction, p.Name)
				}
			}
		})
	}
}

// Every credential field must be used by the auth, and every credential the
// templates name must be a credential field (Validate checks the latter; this
// checks both from the compiled templates).
func TestCredentialFieldsMatchTheAuthTemplates(t *testing.T) {
	for _, e := range mustList(t) {
		t.Run(e.Slug, func(t *testing.T) {
			c := mustCompile(t, e)
			used := credentialRefs(c)
			if strings.HasPrefix(c.Auth.Type, "oauth2_") {
				used["client_id"], used["client_secret"] = true, true
				if c.Auth.Type == definition.AuthOAuth2RefreshToken {
					used["refresh_token"] = true
				}
			}
			fields := e.Doc.CredentialNames()
			for _, f := range fields {
				if !used[f] {
					t.Errorf("credential field %q is not used by the auth", f)
				}
			}
			for name := range used {
				if !slices.Contains(fields, name) {
					t.Errorf("auth uses %q, which is not a credential field", name)
				}
			}
			if len(fields) == 0 {
				t.Errorf("no credential fields")
			}
		})
	}
}

// credentialRefs collects the credential fields every template of c names.
func credentialRefs(c *definition.Compiled) map[string]bool {
	used := map[string]bool{}
	templates := []definition.Template{c.Auth.Template, c.Auth.Username, c.Auth.Password}
	for _, ep := range c.Order {
		templates = append(templates, ep.Body)
		for _, h := range ep.Headers {
			templates = append(templates, h)
		}
	}
	for _, t := range templates {
		for _, ref := range t.Refs() {
			if ref.Kind == definition.RefCredential {
				used[ref.Name] = true
			}
		}
	}
	return used
}

func TestSyncWritesUseWritingEndpoints(t *testing.T) {
	for _, e := range mustList(t) {
		for entity, s := range e.Doc.Sync {
			for _, fn := range []string{s.Create, s.Update, s.Delete} {
				if fn == "" {
					continue
				}
				ep, ok := e.Doc.Endpoint(fn)
				if !ok || !ep.Writes {
					t.Errorf("%s sync.%s: %q must be an endpoint that writes", e.Slug, entity, fn)
				}
			}
			if s.Create != "" && s.IDPath == "" {
				t.Errorf("%s sync.%s: create without id_path", e.Slug, entity)
			}
		}
	}
}

func TestDocumentsSurviveAJSONRoundTrip(t *testing.T) {
	for _, e := range mustList(t) {
		t.Run(e.Slug, func(t *testing.T) {
			j, err := e.Doc.MarshalJSONIndent()
			if err != nil {
				t.Fatal(err)
			}
			back, err := definition.ParseJSON(j)
			if err != nil {
				t.Fatalf("ParseJSON of the export: %v\n%s", err, j)
			}
			if !reflect.DeepEqual(back, e.Doc) {
				t.Errorf("JSON round trip changed the document:\n%s", j)
			}
		})
	}
}

func TestDocumentsSurviveAYAMLRoundTrip(t *testing.T) {
	for _, e := range mustList(t) {
		t.Run(e.Slug, func(t *testing.T) {
			y, err := e.Doc.MarshalYAML()
			if err != nil {
				t.Fatal(err)
			}
			back, err := definition.ParseYAML(y)
			if err != nil {
				t.Fatalf("ParseYAML of the export: %v\n%s", err, y)
			}
			if !reflect.DeepEqual(back, e.Doc) {
				t.Errorf("YAML round trip changed the document:\n%s", y)
			}
		})
	}
}

func TestGet(t *testing.T) {
	t.Run("FindsEachListedEntry", func(t *testing.T) {
		for _, want := range mustList(t) {
			got := mustGet(t, want.Slug)
			if got.Name != want.Name || string(got.Raw) != string(want.Raw) {
				t.Errorf("Get(%q) = %q, want %q", want.Slug, got.Name, want.Name)
			}
		}
	})
	t.Run("ReturnsAFreshDocumentEachTime", func(t *testing.T) {
		first := mustGet(t, "opendental")
		first.Doc.Endpoints = nil
		if second := mustGet(t, "opendental"); len(second.Doc.Endpoints) == 0 {
			t.Error("a change to one entry's document showed in the next Get")
		}
	})
	for _, slug := range []string{"nope", "", "opendental.yaml", "../opendental", "OpenDental", "catalog.go"} {
		t.Run("ErrUnknown/"+slug, func(t *testing.T) {
			e, err := Get(slug)
			if !errors.Is(err, ErrUnknown) {
				t.Errorf("Get(%q) = %v, %v; want ErrUnknown", slug, e, err)
			}
		})
	}
}

func TestLongTail(t *testing.T) {
	b, ok := LongTail("opendental")
	if !ok || len(b) == 0 {
		t.Fatal("no long tail for opendental")
	}
	doc, err := definition.ParseJSON(append(append([]byte(`{"slug": "x", "name": "x", "base_url": {"production": "https://api.opendental.com/api/v1"}, "endpoints": `), b...), '}'))
	if err != nil {
		t.Fatalf("the long tail does not parse: %v", err)
	}
	if len(doc.Endpoints) < 250 {
		t.Fatalf("the long tail has %d functions", len(doc.Endpoints))
	}
	od := mustGet(t, "opendental")
	for _, e := range doc.Endpoints {
		if _, dup := od.Doc.Endpoint(e.Function); dup {
			t.Errorf("%s is in the catalog entry and in its long tail", e.Function)
		}
	}
	if _, ok := LongTail("../opendental"); ok {
		t.Error("a path was accepted as a slug")
	}
}

// TestEveryCredentialFieldIsExplained: a practice owner fills the forms
// alone, so every catalog credential field has a label and a help text.
func TestEveryCredentialFieldIsExplained(t *testing.T) {
	for _, e := range mustList(t) {
		for _, f := range e.Doc.CredentialFields {
			if f.Label == "" || f.Help == "" {
				t.Errorf("%s: credential field %q has label %q and help %q; want both", e.Slug, f.Name, f.Label, f.Help)
			}
		}
	}
}
