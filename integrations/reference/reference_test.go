package reference_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/integrations/definition"
	"switchboard/integrations/executor"
	"switchboard/integrations/outbound"
	"switchboard/integrations/reference"
	"switchboard/integrations/registry"
	"switchboard/integrations/respcache"
	"switchboard/models"
	"switchboard/testsupport"
)

// providersUpstream answers GET /providers with two providers and counts
// the asks; POST /providers is a write.
type providersUpstream struct {
	*httptest.Server
	lists atomic.Int64
}

func newProvidersUpstream(t *testing.T) *providersUpstream {
	u := &providersUpstream{}
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodPost {
			_, _ = w.Write([]byte(`{"id":9}`))
			return
		}
		u.lists.Add(1)
		_, _ = w.Write([]byte(`[{"id":1,"name":"Dr. Park","abbr":"EP"},{"id":2,"name":"Dr. Ruiz","abbr":"MR"}]`))
	}))
	t.Cleanup(u.Close)
	return u
}

// providersDefinition lists providers with the label template given.
func providersDefinition(t *testing.T, baseURL, label string) *definition.Document {
	t.Helper()
	doc, err := definition.ParseJSON(fmt.Appendf(nil, `{"slug":"pms","name":"PMS","base_url":{"production":%q},"endpoints":[`+
		`{"function":"ListProviders","method":"GET","path":"/providers"},`+
		`{"function":"CreateProvider","method":"POST","path":"/providers","writes":true,"id_path":"id"}],`+
		`"reference":{"providers":{"function":"ListProviders","id_path":"id","label_template":%q}}}`, baseURL, label))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// clock is a settable time for the in-process cache.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// labels is a list's items as id=label.
func labels(l *reference.List) []string {
	var out []string
	for _, it := range l.Items {
		out = append(out, it.ID+"="+it.Label)
	}
	return out
}

// TestListsLiveInTheResponseCache: a reference list is kept in the
// executor's response cache (the in-process one here, on a fake clock): the
// second ask is cached without asking the upstream, it expires after
// reference.TTL, and a write through the integration or a change of its
// definition drops it.
func TestListsLiveInTheResponseCache(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		up := newProvidersUpstream(t)
		store := models.NewStore(testsupport.OpenDB(t, dbURL))
		org, _ := testsupport.Seed(t, store, "acme", "owner@acme.test", models.RoleOwner)
		reg := registry.New(store)
		policy, err := outbound.NewPolicy([]string{"127.0.0.0/8"})
		if err != nil {
			t.Fatal(err)
		}
		clk := &clock{now: time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)}
		exec := executor.New(executor.Config{Registry: reg, Client: outbound.NewClient(policy), Cache: respcache.NewMemory(0, clk.Now)})
		svc := reference.New(store, reg, exec)
		in, err := reg.Create(ctx, org.ID, providersDefinition(t, up.URL, "{{name}}"), "")
		if err != nil {
			t.Fatal(err)
		}
		get := func(wantCached bool, wantHits int64) *reference.List {
			t.Helper()
			l, err := svc.Get(ctx, org, "providers", "pms")
			if err != nil {
				t.Fatal(err)
			}
			if l.Cached != wantCached || up.lists.Load() != wantHits {
				t.Fatalf("cached = %v with %d upstream asks, want %v with %d", l.Cached, up.lists.Load(), wantCached, wantHits)
			}
			return l
		}
		first := get(false, 1)
		if !slices.Equal(labels(first), []string{"1=Dr. Park", "2=Dr. Ruiz"}) {
			t.Fatalf("items = %v", labels(first))
		}
		if again := get(true, 1); !slices.Equal(labels(again), labels(first)) {
			t.Fatalf("cached items = %v, want %v", labels(again), labels(first))
		}
		clk.advance(reference.TTL - time.Second)
		get(true, 1)
		clk.advance(time.Second)
		get(false, 2)
		get(true, 2)

		// A write through the integration drops the list.
		if _, err := exec.Execute(ctx, executor.Request{OrgID: org.ID, Provider: "pms", Function: "CreateProvider", Params: map[string]any{}}); err != nil {
			t.Fatal(err)
		}
		get(false, 3)
		get(true, 3)

		// So does a change of the definition: the new labels show at once.
		if _, err := reg.Replace(ctx, org.ID, in.ID, providersDefinition(t, up.URL, "{{name}} ({{abbr}})"), registry.Hints{}); err != nil {
			t.Fatal(err)
		}
		if l := get(false, 4); !slices.Equal(labels(l), []string{"1=Dr. Park (EP)", "2=Dr. Ruiz (MR)"}) {
			t.Fatalf("items after the change = %v", labels(l))
		}
		get(true, 4)
	})
}
