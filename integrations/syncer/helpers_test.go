package syncer

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"switchboard/database"
	"switchboard/integrations/catalog"
	"switchboard/integrations/definition"
	"switchboard/integrations/executor"
	"switchboard/integrations/outbound"
	"switchboard/integrations/registry"
	"switchboard/integrations/sandbox"
	"switchboard/integrations/vault"
	"switchboard/migrations"
	"switchboard/models"
	"switchboard/secret"
)

// The suite opens its databases itself (like testsupport.ForEachBackend,
// whose package pulls in the whole app) so that it depends on nothing but
// the engine and the models.
const postgresDSNEnv = "SWITCHBOARD_TEST_POSTGRES_DSN"

// forEachBackend runs fn on SQLite and, when SWITCHBOARD_TEST_POSTGRES_DSN
// is set, on a PostgreSQL schema of its own.
func forEachBackend(t *testing.T, fn func(t *testing.T, url string)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, "sqlite://"+filepath.Join(t.TempDir(), "switchboard.db")) })
	if os.Getenv(postgresDSNEnv) != "" {
		t.Run("postgres", func(t *testing.T) { fn(t, postgresURL(t)) })
	}
}

func postgresURL(t *testing.T) string {
	t.Helper()
	u, drop, err := database.NewSchema(context.Background(), os.Getenv(postgresDSNEnv), "t_syncer")
	if err != nil {
		t.Fatalf("postgres schema: %v", err)
	}
	t.Cleanup(drop)
	return u
}

func openDB(t *testing.T, url string) *bun.DB {
	t.Helper()
	ctx := context.Background()
	db, err := database.Open(ctx, url)
	if err != nil {
		t.Fatalf("open %s: %v", database.Redact(url), err)
	}
	t.Cleanup(func() { db.Close() })
	r, err := migrations.New(db)
	if err != nil {
		t.Fatalf("migrations: %v", err)
	}
	if _, err := r.Up(ctx); err != nil {
		t.Fatalf("migrate up: %v", err)
	}
	return db
}

// staticCreds hands the executor the sandbox's Open Dental keys.
type staticCreds map[string]string

func (c staticCreds) Fields(context.Context, int64, int64, string) (map[string]string, error) {
	return c, nil
}
func (c staticCreds) SaveFields(context.Context, int64, int64, string, map[string]string) error {
	return nil
}

// recorder wraps the sandbox and remembers the writes it received, and
// how many deliveries of one idempotency key ran at the same time.
type recorder struct {
	next http.Handler
	mu   sync.Mutex
	log  []string
	// inFlight and overlap count concurrent deliveries per key.
	inFlight map[string]int
	overlap  int
	// hold delays every answer after the sandbox has carried the request
	// out (a crash then lands between commit and answer).
	hold time.Duration
	// intercept, when set, sees each request first; answering true means
	// it wrote the answer and the sandbox is not called.
	intercept func(w http.ResponseWriter, req *http.Request) bool
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	key := req.Header.Get("Idempotency-Key")
	r.mu.Lock()
	if req.Method != http.MethodGet {
		r.log = append(r.log, req.Method+" "+strings.TrimPrefix(req.URL.Path, sandbox.OpenDentalPrefix))
	}
	if key != "" {
		r.inFlight[key]++
		if r.inFlight[key] > 1 {
			r.overlap++
		}
	}
	intercept := r.intercept
	r.mu.Unlock()
	defer func() {
		if key != "" {
			r.mu.Lock()
			r.inFlight[key]--
			r.mu.Unlock()
		}
	}()
	if intercept != nil && intercept(w, req) {
		return
	}
	r.next.ServeHTTP(w, req)
	r.mu.Lock()
	hold := r.hold
	r.mu.Unlock()
	if hold > 0 && req.Method != http.MethodGet {
		time.Sleep(hold)
	}
}

func (r *recorder) setHold(d time.Duration) {
	r.mu.Lock()
	r.hold = d
	r.mu.Unlock()
}

func (r *recorder) setIntercept(fn func(w http.ResponseWriter, req *http.Request) bool) {
	r.mu.Lock()
	r.intercept = fn
	r.mu.Unlock()
}

func (r *recorder) writes() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.log...)
}

// fixture is one organization with Open Dental on a sandbox and a sync
// configuration for it.
type fixture struct {
	t        *testing.T
	ctx      context.Context
	db       *bun.DB
	store    *models.Store
	reg      *registry.Registry
	exec     *executor.Executor
	sb       *sandbox.Sandbox
	rec      *recorder
	orgID    int64
	integ    int64
	cfg      *models.SyncConfig
	dbURL    string
	idemHdr  bool
	managers []*Manager
	// secrets holds the configuration's webhook secret, secret in clear.
	secrets *vault.WebhookSecrets
	secret  string
}

type fixtureOption func(f *fixture, doc *definition.Document, cfg *models.SyncConfig)

// withIdempotency sets idempotency_header on the sync mappings.
func withIdempotency() fixtureOption {
	return func(f *fixture, doc *definition.Document, _ *models.SyncConfig) {
		f.idemHdr = true
		for _, s := range doc.Sync {
			s.IdempotencyHeader = "Idempotency-Key"
		}
	}
}

func withDirection(dir, conflict string) fixtureOption {
	return func(_ *fixture, _ *definition.Document, cfg *models.SyncConfig) {
		cfg.Direction, cfg.ConflictResolution = dir, conflict
	}
}

func newFixture(t *testing.T, url string, opts ...fixtureOption) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{t: t, ctx: ctx, dbURL: url}
	f.db = openDB(t, url)
	f.store = models.NewStore(f.db)
	org, err := f.store.CreateOrganization(ctx, "acme", "Acme Dental")
	if err != nil {
		t.Fatalf("create org: %v", err)
	}
	f.orgID = org.ID
	f.sb = sandbox.New(sandbox.DefaultConfig())
	f.rec = &recorder{next: f.sb, inFlight: map[string]int{}}
	srv := httptest.NewServer(f.rec)
	t.Cleanup(srv.Close)

	entry, err := catalog.Get("opendental")
	if err != nil {
		t.Fatalf("catalog: %v", err)
	}
	doc, err := entry.Doc.Clone()
	if err != nil {
		t.Fatalf("clone: %v", err)
	}
	base := srv.URL + sandbox.OpenDentalPrefix
	doc.BaseURL = map[string]string{definition.EnvProduction: base, definition.EnvSandbox: base}
	doc.AccessWindows = nil
	doc.RateLimit = nil // the suite sends bursts; deferral on rate_limited has its own test
	cfg := &models.SyncConfig{Enabled: true, Direction: models.DirectionDualWrite, Environment: definition.EnvProduction,
		SyncOnCreate: true, SyncOnUpdate: true, SyncOnDelete: true, Entities: "appointment,patient",
		ConflictResolution: models.ConflictNewestWins, PollIntervalSeconds: 60}
	for _, o := range opts {
		o(f, doc, cfg)
	}
	f.reg = registry.New(f.store)
	in, err := f.reg.Create(ctx, org.ID, doc, "opendental")
	if err != nil {
		t.Fatalf("create integration: %v", err)
	}
	f.integ = in.ID
	cfg.IntegrationID = in.ID
	box, err := secret.NewBox([]byte("syncer-test-key-of-32-bytes!!!!!"))
	if err != nil {
		t.Fatalf("secret box: %v", err)
	}
	f.secrets = vault.NewWebhookSecrets(vault.New(box))
	if f.secret, err = f.secrets.Generate(org.ID, cfg); err != nil {
		t.Fatalf("webhook secret: %v", err)
	}
	if err := f.store.Tenant(org.ID).SaveSyncConfig(ctx, cfg); err != nil {
		t.Fatalf("save sync config: %v", err)
	}
	f.cfg = cfg
	sc := f.sb.Config()
	policy, err := outbound.NewPolicy([]string{"127.0.0.0/8"})
	if err != nil {
		t.Fatalf("policy: %v", err)
	}
	f.exec = executor.New(executor.Config{Registry: f.reg, Client: outbound.NewClient(policy),
		Credentials:      staticCreds{"developer_key": sc.OpenDentalDeveloperKey, "customer_key": sc.OpenDentalCustomerKey},
		Sleep:            func(ctx context.Context, d time.Duration) error { return ctx.Err() },
		BreakerThreshold: 1 << 20})
	return f
}

// manager returns a Manager on the fixture with fast test settings.
func (f *fixture) manager(mod ...func(*Config)) *Manager {
	cfg := Config{Store: f.store, Registry: f.reg, Executor: f.exec, PollEvery: 20 * time.Millisecond,
		Backoff: func(int) time.Duration { return 5 * time.Millisecond }, MaxAttempts: 3,
		Secrets: f.secrets}
	for _, m := range mod {
		m(&cfg)
	}
	return New(cfg)
}

// run runs m until the test ends.
func (f *fixture) run(m *Manager) context.CancelFunc {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { m.Run(ctx); close(done) }()
	stop := func() { cancel(); <-done }
	var once sync.Once
	f.t.Cleanup(func() { once.Do(stop) })
	return func() { once.Do(stop) }
}

func (f *fixture) tenant() *models.Tenant { return f.store.Tenant(f.orgID) }

func (f *fixture) jobs(entity string, localID int64) []models.SyncJob {
	f.t.Helper()
	js, err := f.tenant().SyncJobs(f.ctx, models.SyncJobFilter{Entity: entity, LocalID: localID, Limit: 200})
	if err != nil {
		f.t.Fatalf("jobs: %v", err)
	}
	return js
}

func (f *fixture) allJobs() []models.SyncJob {
	f.t.Helper()
	js, err := f.tenant().SyncJobs(f.ctx, models.SyncJobFilter{Limit: 200})
	if err != nil {
		f.t.Fatalf("jobs: %v", err)
	}
	return js
}

// waitFor polls cond until it holds or the timeout passes.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// allSettled reports whether every job is synced or dismissed.
func (f *fixture) allSettled() bool {
	for _, j := range f.allJobs() {
		if !j.Finished() {
			return false
		}
	}
	return true
}

func newPatient(i int) *models.Patient {
	return &models.Patient{FirstName: "Ann" + string(rune('a'+i%26)), LastName: "Lee", Phone: "5551234567"}
}

func newAppointment(patientID int64, start time.Time) *models.Appointment {
	return &models.Appointment{PatientID: patientID, Start: start, End: start.Add(30 * time.Minute), DurationMinutes: 30,
		OperatoryRef: "1", ProviderRef: "1", Status: models.StatusScheduled, Notes: "cleaning"}
}

// anyParked reports (and logs) jobs parked as failed.
func (f *fixture) anyParked(t *testing.T) bool {
	parked := false
	for _, j := range f.allJobs() {
		if j.Status == models.JobFailed {
			t.Logf("parked: job %d %s %s attempts %d: %s", j.ID, j.Entity, j.Operation, j.Attempts, j.LastError)
			parked = true
		}
	}
	return parked
}
