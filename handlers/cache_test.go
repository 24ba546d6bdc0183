package handlers_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/config"
	"switchboard/testsupport"
)

// cacheUpstream counts the requests of each path.
type cacheUpstream struct {
	*httptest.Server
	list, short atomic.Int64
}

func newCacheUpstream(t *testing.T) *cacheUpstream {
	u := &cacheUpstream{}
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/list":
			n := u.list.Add(1)
			fmt.Fprintf(w, `{"items":[{"q":%q,"n":%d}]}`, r.URL.Query().Get("q"), n)
		case "/short":
			fmt.Fprintf(w, `{"items":[{"n":%d}]}`, u.short.Add(1))
		default:
			_, _ = w.Write([]byte(`{"id":7}`))
		}
	}))
	t.Cleanup(u.Close)
	return u
}

const cacheDefinition = `{"slug":"cached","name":"Cached","base_url":{"production":"%s"},"endpoints":[` +
	`{"function":"List","method":"GET","path":"/list","extract":"items","cache_ttl":"1h","params":[{"name":"q","in":"query","type":"string"}]},` +
	`{"function":"Short","method":"GET","path":"/short","extract":"items","cache_ttl":"1500ms"},` +
	`{"function":"Create","method":"POST","path":"/items","writes":true,"id_path":"id"}]}`

type cachedEnvelope struct {
	Data []map[string]any `json:"data"`
	Meta struct {
		Cached *bool `json:"cached"`
	} `json:"meta"`
}

// execCached runs function on the client and returns meta.cached.
func execCached(t *testing.T, c *testsupport.Client, function string, params map[string]any) bool {
	t.Helper()
	r := c.SendJSON("POST", "/api/integrations/cached", map[string]any{"function": function, "params": params})
	var env cachedEnvelope
	r.JSON(t, &env)
	if r.StatusCode != 200 || env.Meta.Cached == nil {
		t.Fatalf("%s = %d %s (want 200 with meta.cached)", function, r.StatusCode, r.Body)
	}
	return *env.Meta.Cached
}

// cacheModes runs fn on each database without Redis and, when
// SWITCHBOARD_TEST_REDIS_URL is set, with Redis under a key prefix of the
// test's own.
func cacheModes(t *testing.T, fn func(t *testing.T, cfg func() config.Config, shared bool)) {
	t.Run("memory", func(t *testing.T) {
		testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
			fn(t, func() config.Config { return testsupport.Config(t, dbURL) }, false)
		})
	})
	t.Run("redis", func(t *testing.T) {
		url := os.Getenv("SWITCHBOARD_TEST_REDIS_URL")
		if url == "" {
			t.Skip("SWITCHBOARD_TEST_REDIS_URL is not set")
		}
		testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
			prefix := fmt.Sprintf("sbtest:%s:%d:", t.Name(), time.Now().UnixNano())
			fn(t, func() config.Config {
				cfg := testsupport.Config(t, dbURL)
				cfg.RedisURL, cfg.RedisPrefix = url, prefix
				return cfg
			}, true)
		})
	})
}

func TestExecuteResponseCache(t *testing.T) {
	cacheModes(t, func(t *testing.T, cfg func() config.Config, shared bool) {
		up := newCacheUpstream(t)
		s := testsupport.StartServer(t, cfg())
		org, _ := testsupport.Seed(t, s.App.Store, "acme", "owner@acme.test", "owner")
		key, _ := testsupport.SeedKey(t, s.App.Store, org.ID, "admin")
		c := s.ClientWithKey(t, key)
		doc := fmt.Sprintf(cacheDefinition, up.URL)
		if r := c.Do("POST", "/api/admin/integrations", strings.NewReader(doc), http.Header{"Content-Type": {"application/json"}}); r.StatusCode != 201 {
			t.Fatalf("create integration = %d %s", r.StatusCode, r.Body)
		}
		a := map[string]any{"q": "a"}
		if execCached(t, c, "List", a) || !execCached(t, c, "List", a) || up.list.Load() != 1 {
			t.Fatalf("second call not from the cache: upstream hit %d times", up.list.Load())
		}
		if execCached(t, c, "List", map[string]any{"q": "b"}) || up.list.Load() != 2 {
			t.Fatal("another parameter set was served from the cache")
		}
		// A second process: its own in-process state, the same database.
		s2 := testsupport.StartServer(t, cfg())
		c2 := s2.ClientWithKey(t, key)
		if got := execCached(t, c2, "List", a); got != shared {
			t.Fatalf("second process: cached = %v, want %v (shared only through Redis)", got, shared)
		}
		hits := up.list.Load()
		// A write through the second process invalidates the first's cache
		// when they share Redis (and its own in every mode).
		if r := c2.SendJSON("POST", "/api/integrations/cached", map[string]any{"function": "Create"}); r.StatusCode != 200 {
			t.Fatalf("Create = %d %s", r.StatusCode, r.Body)
		}
		if shared && (execCached(t, c, "List", a) || up.list.Load() != hits+1) {
			t.Fatal("the first process did not see the invalidation made by the second")
		}
		// The second process's own cache was invalidated; with Redis it now
		// finds the fresh entry the first stored.
		if got := execCached(t, c2, "List", a); got != shared {
			t.Fatalf("second process after its write: cached = %v, want %v", got, shared)
		}
		// The first process's own write invalidates too.
		execCached(t, c, "List", a)
		if r := c.SendJSON("POST", "/api/integrations/cached", map[string]any{"function": "Create"}); r.StatusCode != 200 {
			t.Fatalf("Create = %d %s", r.StatusCode, r.Body)
		}
		if execCached(t, c, "List", a) {
			t.Fatal("served from the cache after a write")
		}
		// Expiry.
		if execCached(t, c, "Short", nil) || !execCached(t, c, "Short", nil) {
			t.Fatal("Short not cached within its TTL")
		}
		time.Sleep(1600 * time.Millisecond)
		if execCached(t, c, "Short", nil) || up.short.Load() != 2 {
			t.Fatalf("served after its TTL: upstream hit %d times", up.short.Load())
		}
	})
}

func TestCacheTTLValidation(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		s := testsupport.StartServer(t, testsupport.Config(t, dbURL))
		org, _ := testsupport.Seed(t, s.App.Store, "acme", "owner@acme.test", "owner")
		c := s.KeyClient(t, org.ID, "admin")
		for _, tc := range []struct {
			ep   string
			code int
		}{
			{`{"function":"List","method":"GET","path":"/l","cache_ttl":"-5s"}`, 422},
			// Not a duration at all: refused by the decoder like every duration field.
			{`{"function":"List","method":"GET","path":"/l","cache_ttl":"soon"}`, 400},
			{`{"function":"List","method":"POST","path":"/l","writes":true,"cache_ttl":"5s"}`, 422},
		} {
			ep := tc.ep
			doc := `{"slug":"bad","name":"Bad","base_url":{"production":"http://127.0.0.1:1"},"endpoints":[` + ep + `]}`
			r := c.Do("POST", "/api/admin/integrations", strings.NewReader(doc), http.Header{"Content-Type": {"application/json"}})
			if r.StatusCode != tc.code || !strings.Contains(r.Body, "endpoints[0].cache_ttl") {
				t.Fatalf("%s = %d %s, want %d naming endpoints[0].cache_ttl", ep, r.StatusCode, r.Body, tc.code)
			}
		}
	})
}
