package handlers_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"switchboard/config"
	"switchboard/testsupport"
)

// providersUpstream answers GET /providers with two providers, counting
// the asks; anything else is a write answering an id.
type providersUpstream struct {
	*httptest.Server
	lists atomic.Int64
}

func newProvidersUpstream(t *testing.T) *providersUpstream {
	u := &providersUpstream{}
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Method != http.MethodGet {
			_, _ = w.Write([]byte(`{"id":9}`))
			return
		}
		u.lists.Add(1)
		_, _ = w.Write([]byte(`[{"id":1,"name":"Dr. Park","abbr":"EP"},{"id":2,"name":"Dr. Ruiz","abbr":"MR"}]`))
	}))
	t.Cleanup(u.Close)
	return u
}

// providersDoc is an integration listing providers with the label template
// given, and a write.
func providersDoc(baseURL, label string) string {
	return fmt.Sprintf(`{"slug":"pms","name":"PMS","base_url":{"production":%q},"endpoints":[`+
		`{"function":"ListProviders","method":"GET","path":"/providers"},`+
		`{"function":"CreateProvider","method":"POST","path":"/providers","writes":true,"id_path":"id"}],`+
		`"reference":{"providers":{"function":"ListProviders","id_path":"id","label_template":%q}}}`, baseURL, label)
}

// TestReferenceListsShareTheResponseCache: two app processes on one
// database. GET /api/reference/{kind} keeps its list in the response
// cache, so with Redis the second process answers the first's list as
// cached without asking the upstream, and a write made through the first
// drops it for the second; in-process each keeps its own. A definition
// change shows its new labels in both once they know it.
func TestReferenceListsShareTheResponseCache(t *testing.T) {
	cacheModes(t, func(t *testing.T, cfg func() config.Config, shared bool) {
		up := newProvidersUpstream(t)
		s1 := testsupport.StartServer(t, cfg())
		org, _ := testsupport.Seed(t, s1.App.Store, "acme", "owner@acme.test", "owner")
		key, _ := testsupport.SeedKey(t, s1.App.Store, org.ID, "admin")
		c1 := s1.ClientWithKey(t, key)
		jsonBody := http.Header{"Content-Type": {"application/json"}}
		if r := c1.Do("POST", "/api/admin/integrations", strings.NewReader(providersDoc(up.URL, "{{name}}")), jsonBody); r.StatusCode != 201 {
			t.Fatalf("create integration = %d %s", r.StatusCode, r.Body)
		}
		s2 := testsupport.StartServer(t, cfg())
		c2 := s2.ClientWithKey(t, key)
		get := func(c *testsupport.Client, wantCached bool, wantHits int64) referenceAnswer {
			t.Helper()
			r := c.Get("/api/reference/providers?integration=pms")
			var a referenceAnswer
			r.JSON(t, &a)
			if r.StatusCode != 200 || a.Meta.Cached != wantCached || up.lists.Load() != wantHits {
				t.Fatalf("GET = %d cached %v after %d upstream asks, want cached %v after %d: %s",
					r.StatusCode, a.Meta.Cached, up.lists.Load(), wantCached, wantHits, r.Body)
			}
			return a
		}
		hits := func(sharedHits, ownHits int64) int64 {
			if shared {
				return sharedHits
			}
			return ownHits
		}
		if a := get(c1, false, 1); !slices.Equal(a.labels(), []string{"1=Dr. Park", "2=Dr. Ruiz"}) {
			t.Fatalf("providers = %v", a.labels())
		}
		get(c1, true, 1)
		// The second process finds the first's list only through Redis.
		get(c2, shared, hits(1, 2))
		get(c2, true, hits(1, 2))

		// A write through the first process drops the list in both when
		// they share Redis (in its own cache in every mode).
		if r := c1.SendJSON("POST", "/api/integrations/pms", map[string]any{"function": "CreateProvider"}); r.StatusCode != 200 {
			t.Fatalf("CreateProvider = %d %s", r.StatusCode, r.Body)
		}
		if shared {
			get(c2, false, 2)
			get(c1, true, 2) // the fresh list the second stored
		} else {
			get(c2, true, 2)
			get(c1, false, 3)
		}

		// A change of the definition through the first process: the first
		// answers the new labels at once; the second once it has seen the
		// new version (its registry refresh), from the shared list with
		// Redis.
		n := up.lists.Load()
		if r := c1.Do("PUT", "/api/admin/integrations/pms", strings.NewReader(providersDoc(up.URL, "{{name}} ({{abbr}})")), jsonBody); r.StatusCode != 200 {
			t.Fatalf("update integration = %d %s", r.StatusCode, r.Body)
		}
		want := []string{"1=Dr. Park (EP)", "2=Dr. Ruiz (MR)"}
		if a := get(c1, false, n+1); !slices.Equal(a.labels(), want) {
			t.Fatalf("providers after the change = %v", a.labels())
		}
		if err := s2.App.Registry.Refresh(t.Context()); err != nil {
			t.Fatal(err)
		}
		if a := get(c2, shared, hits(n+1, n+2)); !slices.Equal(a.labels(), want) {
			t.Fatalf("second process after the change = %v", a.labels())
		}
	})
}
