package executor

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/apperr"
	"switchboard/database"
	"switchboard/integrations/definition"
	"switchboard/integrations/outbound"
	"switchboard/integrations/registry"
	"switchboard/migrations"
	"switchboard/models"
)

// harness is an executor over a registry on a migrated SQLite file, a fake
// credential store, a settable clock and a recording Sleep.
type harness struct {
	t      *testing.T
	store  *models.Store
	reg    *registry.Registry
	org    int64
	creds  *fakeCreds
	clock  *fakeClock
	sleeps *sleepRecorder
	exec   *Executor
	slugs  atomic.Int64
}

// newHarness builds a harness whose client may reach loopback addresses.
// The database is opened as testsupport.OpenDB does (database.Open and
// the embedded migrations), without importing testsupport, which pulls in
// the whole app (and so this package) through its server helpers.
func newHarness(t *testing.T, tweak ...func(*Config)) *harness {
	t.Helper()
	ctx := context.Background()
	db, err := database.Open(ctx, "sqlite://"+filepath.Join(t.TempDir(), "switchboard.db"))
	if err != nil {
		t.Fatalf("open database: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	runner, err := migrations.New(db)
	if err != nil {
		t.Fatalf("migrations: %v", err)
	}
	if _, err := runner.Up(ctx); err != nil {
		t.Fatalf("migrate up: %v", err)
	}
	store := models.NewStore(db)
	org, err := store.CreateOrganization(ctx, "acme", "Acme Dental")
	if err != nil {
		t.Fatalf("create organization: %v", err)
	}
	h := &harness{t: t, store: store, reg: registry.New(store), org: org.ID, creds: newFakeCreds(), clock: &fakeClock{}, sleeps: &sleepRecorder{}}
	cfg := Config{Registry: h.reg, Credentials: h.creds, Client: loopbackClient(t), Now: h.clock.Now, Sleep: h.sleeps.Sleep}
	for _, f := range tweak {
		f(&cfg)
	}
	h.exec = New(cfg)
	return h
}

// loopbackClient is the guarded client with 127.0.0.0/8 allowed.
func loopbackClient(t testing.TB) *http.Client {
	t.Helper()
	p, err := outbound.NewPolicy([]string{"127.0.0.0/8"})
	if err != nil {
		t.Fatal(err)
	}
	return outbound.NewClient(p)
}

// add saves doc under a fresh slug and returns the slug.
func (h *harness) add(doc *definition.Document) string {
	h.t.Helper()
	if doc.Slug == "" {
		doc.Slug = fmt.Sprintf("int%d", h.slugs.Add(1))
	}
	if doc.Name == "" {
		doc.Name = "Test " + doc.Slug
	}
	if _, err := h.reg.Create(context.Background(), h.org, doc, ""); err != nil {
		h.t.Fatalf("create integration %s: %v", doc.Slug, err)
	}
	return doc.Slug
}

// addOrg creates another organization and returns its id.
func (h *harness) addOrg(slug string) int64 {
	h.t.Helper()
	org, err := h.store.CreateOrganization(context.Background(), slug, slug)
	if err != nil {
		h.t.Fatalf("create organization %s: %v", slug, err)
	}
	return org.ID
}

// addTo saves doc in organization org under a fresh slug.
func (h *harness) addTo(org int64, doc *definition.Document) string {
	h.t.Helper()
	doc.Slug = fmt.Sprintf("int%d", h.slugs.Add(1))
	doc.Name = "Test " + doc.Slug
	if _, err := h.reg.Create(context.Background(), org, doc, ""); err != nil {
		h.t.Fatalf("create integration %s: %v", doc.Slug, err)
	}
	return doc.Slug
}

// run executes fn with traces, which most tests look at.
func (h *harness) run(slug, fn string, params map[string]any) (*Result, error) {
	return h.exec.Execute(context.Background(), Request{OrgID: h.org, Provider: slug, Function: fn, Params: params, Trace: true})
}

// newDoc is a minimal definition over base with the given endpoints.
func newDoc(base string, endpoints ...definition.Endpoint) *definition.Document {
	return &definition.Document{BaseURL: map[string]string{"production": base}, Endpoints: endpoints}
}

// get is a GET endpoint.
func get(fn, path string, params ...definition.Param) definition.Endpoint {
	return definition.Endpoint{Function: fn, Method: "GET", Path: path, Params: params}
}

// fakeCreds is an in-memory CredentialSource.
type fakeCreds struct {
	mu     sync.Mutex
	fields map[string]map[string]string
	saves  []map[string]string
	reads  atomic.Int64
}

func newFakeCreds() *fakeCreds { return &fakeCreds{fields: map[string]map[string]string{}} }

// set stores the fields of integration slug in env (any integration id).
func (f *fakeCreds) set(env string, fields map[string]string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fields[env] = maps.Clone(fields)
}

func (f *fakeCreds) Fields(_ context.Context, _, _ int64, env string) (map[string]string, error) {
	f.reads.Add(1)
	f.mu.Lock()
	defer f.mu.Unlock()
	fields, ok := f.fields[env]
	if !ok {
		return nil, apperr.New(apperr.CodeMissingCredentials, "no %s credentials", env)
	}
	return maps.Clone(fields), nil
}

func (f *fakeCreds) SaveFields(_ context.Context, _, _ int64, env string, fields map[string]string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.saves = append(f.saves, maps.Clone(fields))
	if f.fields[env] == nil {
		f.fields[env] = map[string]string{}
	}
	maps.Copy(f.fields[env], fields)
	return nil
}

// fakeClock is real time shifted by an offset, or a fixed time once set.
type fakeClock struct {
	mu     sync.Mutex
	fixed  time.Time
	offset time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.fixed.IsZero() {
		return c.fixed.Add(c.offset)
	}
	return time.Now().Add(c.offset)
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	c.fixed, c.offset = t, 0
	c.mu.Unlock()
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}

// sleepRecorder records the waits instead of waiting.
type sleepRecorder struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleepRecorder) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleepRecorder) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

func (s *sleepRecorder) reset() {
	s.mu.Lock()
	s.waits = nil
	s.mu.Unlock()
}

// upstream is a loopback server that counts its hits and records the last
// request.
type upstream struct {
	*httptest.Server
	hits atomic.Int64
	mu   sync.Mutex
	last *recorded
}

// recorded is a request as the upstream saw it.
type recorded struct {
	Method, Path, RawPath, RawQuery string
	Header                          http.Header
	Body                            string
}

// newUpstream starts a server answering with handler after recording.
func newUpstream(t *testing.T, handler func(w http.ResponseWriter, r *http.Request, body string)) *upstream {
	t.Helper()
	u := &upstream{}
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.hits.Add(1)
		var b strings.Builder
		if r.Body != nil {
			buf := make([]byte, 32<<10)
			for {
				n, err := r.Body.Read(buf)
				b.Write(buf[:n])
				if err != nil {
					break
				}
			}
		}
		u.mu.Lock()
		u.last = &recorded{Method: r.Method, Path: r.URL.Path, RawPath: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery,
			Header: r.Header.Clone(), Body: b.String()}
		u.mu.Unlock()
		handler(w, r, b.String())
	}))
	t.Cleanup(u.Close)
	return u
}

// seen returns the last request.
func (u *upstream) seen() *recorded {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.last
}

// jsonAnswer writes status and body as JSON.
func jsonAnswer(status int, body string) func(http.ResponseWriter, *http.Request, string) {
	return func(w http.ResponseWriter, _ *http.Request, _ string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

// wantCode checks that err is an *apperr.Error with code.
func wantCode(t *testing.T, err error, code string) *apperr.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("err = nil, want %s", code)
	}
	e, ok := apperr.As(err)
	if !ok {
		t.Fatalf("err = %v (%T), want an *apperr.Error with code %s", err, err, code)
	}
	if e.Code != code {
		t.Fatalf("code = %s (%v), want %s", e.Code, e, code)
	}
	return e
}

// ok returns a function that fails the test on an error and otherwise
// returns the Result: ok(t)(h.run(…)).
func ok(t *testing.T) func(*Result, error) *Result {
	t.Helper()
	return func(res *Result, err error) *Result {
		t.Helper()
		if err != nil {
			var e *apperr.Error
			if errors.As(err, &e) {
				t.Fatalf("unexpected error %s: %s %v %v", e.Code, e.Message, e.Fields, e.Extra)
			}
			t.Fatalf("unexpected error: %v", err)
		}
		return res
	}
}

// free is what the executor's response budget has free in all.
func (h *harness) free() int64 {
	b := h.exec.budget
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.total - b.used
}

// waitQueued waits until n calls wait for the response budget.
func (h *harness) waitQueued(n int) {
	h.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		b := h.exec.budget
		b.mu.Lock()
		got := len(b.queue)
		b.mu.Unlock()
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("%d calls wait for the response budget, want %d", got, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
