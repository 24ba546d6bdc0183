package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"switchboard/app"
	"switchboard/integrations/sandbox"
	"switchboard/integrations/syncsettings"
	"switchboard/logging"
	"switchboard/models"
	"switchboard/records"
	"switchboard/testsupport"
)

// upstream is the loopback practice system every process of a cluster
// test calls: the sandbox under /sandbox, with the times of its list
// calls recorded and writes optionally held before they are carried out.
type upstream struct {
	sb  *sandbox.Sandbox
	URL string

	mu       sync.Mutex
	lists    []time.Time // GET of a list (no id in the path)
	inFlight int         // writes being held
	hold     time.Duration
}

func newUpstream(t *testing.T) *upstream {
	u := &upstream{sb: sandbox.New(sandbox.DefaultConfig())}
	srv := httptest.NewServer(http.StripPrefix("/sandbox", http.HandlerFunc(u.serve)))
	t.Cleanup(srv.Close)
	u.URL = srv.URL
	return u
}

func (u *upstream) serve(w http.ResponseWriter, r *http.Request) {
	u.mu.Lock()
	hold := u.hold
	if r.Method == http.MethodGet && (strings.HasSuffix(r.URL.Path, "/patients") || strings.HasSuffix(r.URL.Path, "/patients/Simple")) {
		u.lists = append(u.lists, time.Now())
	}
	if r.Method == http.MethodPost {
		u.inFlight++
	}
	u.mu.Unlock()
	if r.Method == http.MethodPost && hold > 0 {
		time.Sleep(hold)
	}
	u.sb.ServeHTTP(w, r)
	if r.Method == http.MethodPost {
		u.mu.Lock()
		u.inFlight--
		u.mu.Unlock()
	}
}

func (u *upstream) setHold(d time.Duration) { u.mu.Lock(); u.hold = d; u.mu.Unlock() }

func (u *upstream) listTimes() []time.Time {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]time.Time(nil), u.lists...)
}

func (u *upstream) writesInFlight() int { u.mu.Lock(); defer u.mu.Unlock(); return u.inFlight }

// clusterOrg seeds an organization whose Open Dental points at up, with a
// sync configuration of direction (patients only).
func clusterOrg(t *testing.T, a *app.App, up *upstream, direction string) int64 {
	t.Helper()
	return clusterOrgWith(t, a, up, direction, true)
}

// clusterOrgWith is clusterOrg with the sync configuration enabled or
// not (a test then sets it up before any process may poll it).
func clusterOrgWith(t *testing.T, a *app.App, up *upstream, direction string, enabled bool) int64 {
	t.Helper()
	ctx := context.Background()
	org, _ := testsupport.Seed(t, a.Store, "cluster", "owner@cluster.test", models.RoleOwner)
	root := up.URL + "/sandbox" + sandbox.TenantPrefix(sandbox.OrgTenant(org.ID))
	if err := a.SeedSandboxIntegrationsAt(ctx, org.ID, root, sandbox.DefaultConfig()); err != nil {
		t.Fatal(err)
	}
	in := syncsettings.Input{Integration: "opendental", Enabled: &enabled, Direction: &direction, Entities: []string{"patient"}}
	if _, err := syncsettings.New(a.Store, a.Registry, a.WebhookSecrets).Create(ctx, org.ID, in); err != nil {
		t.Fatal(err)
	}
	return org.ID
}

// startCluster starts n app instances on one PostgreSQL schema, each on
// its own database handle, and returns them with the schema's URL.
func startCluster(t *testing.T, n int) ([]*testsupport.Server, string) {
	t.Helper()
	url := testsupport.PostgresURL(t)
	var srvs []*testsupport.Server
	for range n {
		srvs = append(srvs, testsupport.StartServer(t, testsupport.Config(t, url)))
	}
	return srvs, url
}

// waitUntil polls cond every 50 ms until it holds or timeout passes.
func waitUntil(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// openJobs counts the sync jobs not yet synced.
func openJobs(t *testing.T, a *app.App) int {
	t.Helper()
	n, err := a.DB.NewSelect().Table("sync_jobs").Where("status <> ?", models.JobSynced).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// createPatients books n patients, round robin over the servers (each
// write inserts its River delivery in its own transaction).
func createPatients(t *testing.T, srvs []*testsupport.Server, orgID int64, n int) {
	t.Helper()
	for i := range n {
		a := srvs[i%len(srvs)].App
		v := records.Values{"first_name": fmt.Sprintf("Pat%d", i), "last_name": "Cluster", "birthdate": "1990-01-02"}
		if _, _, err := a.Records.CreatePatient(context.Background(), orgID, v, nil); err != nil {
			t.Fatal(err)
		}
	}
}

// TestClusterDeliversEachJobOnce: three processes on one PostgreSQL, the
// writes spread over them; every delivery reaches the upstream exactly
// once and every sync job ends synced.
func TestClusterDeliversEachJobOnce(t *testing.T) {
	t.Parallel()
	srvs, _ := startCluster(t, 3)
	up := newUpstream(t)
	orgID := clusterOrg(t, srvs[0].App, up, models.DirectionDualWrite)
	const n = 30
	createPatients(t, srvs, orgID, n)
	waitUntil(t, 30*time.Second, "every job synced", func() bool { return openJobs(t, srvs[0].App) == 0 })
	if c := up.sb.Created(); c.OpenDentalPatients != n {
		t.Errorf("patients created upstream = %d, want exactly %d", c.OpenDentalPatients, n)
	}
	// River completes its rows in batches, just after the sync jobs.
	var delivered, all int
	waitUntil(t, 10*time.Second, "the River jobs completed", func() bool {
		err := srvs[0].App.DB.NewRaw("SELECT count(*) FILTER (WHERE state = 'completed'), count(*) FROM river_job WHERE kind = 'sync_delivery'").
			Scan(context.Background(), &delivered, &all)
		return err == nil && delivered >= n
	})
	if delivered != n || all != n {
		t.Errorf("sync_delivery jobs = %d (%d completed), want %d (one per sync job)", all, delivered, n)
	}
}

// TestClusterPollsEachConfigurationOncePerInterval: three processes, one
// bidirectional configuration polled every 2 s: the upstream sees one
// list call per interval, not one per process.
func TestClusterPollsEachConfigurationOncePerInterval(t *testing.T) {
	t.Parallel()
	srvs, _ := startCluster(t, 3)
	up := newUpstream(t)
	a := srvs[0].App
	// Created off and turned on with its 2 s interval in one write, so
	// that no process takes a poll under the default interval first (its
	// list call would come less than 2 s before the next one).
	orgID := clusterOrgWith(t, a, up, models.DirectionBidirectional, false)
	const every = 2 * time.Second
	if _, err := a.DB.NewRaw("UPDATE integration_sync_configs SET enabled = TRUE, poll_interval_seconds = 2, next_poll_at = NULL WHERE organization_id = ?", orgID).
		Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, 30*time.Second, "four polls", func() bool { return len(up.listTimes()) >= 4 })
	calls := up.listTimes()
	for i := 1; i < len(calls); i++ {
		// The due time moves forward when a poll is taken; the call
		// follows a few milliseconds later, so allow a little slack.
		if gap := calls[i].Sub(calls[i-1]); gap < every-300*time.Millisecond {
			t.Errorf("list calls %d and %d came %s apart, want one per %s", i-1, i, gap, every)
		}
	}
}

// TestClusterPurgesOnce: three processes start; the retention purges run
// once (the leader's), not once per process, and they do purge.
func TestClusterPurgesOnce(t *testing.T) {
	t.Parallel()
	url := testsupport.PostgresURL(t)
	store := models.NewStore(testsupport.OpenDB(t, url))
	org, err := store.CreateOrganization(context.Background(), "acme", "Acme")
	if err != nil {
		t.Fatal(err)
	}
	old := store.WithClock(func() time.Time { return time.Now().Add(-25 * time.Hour) })
	if err := old.Tenant(org.ID).StoreIdempotentAnswer(context.Background(), "old", "h", 24*time.Hour, 201, "{}", false); err != nil {
		t.Fatal(err)
	}
	var srvs []*testsupport.Server
	for range 3 {
		srvs = append(srvs, testsupport.StartServer(t, testsupport.Config(t, url)))
	}
	db := srvs[0].App.DB
	kinds := []string{"purge_api_calls", "purge_idempotency_keys", "purge_sessions", "purge_sync_attempts"}
	count := func(kind string) int {
		n, err := db.NewSelect().Table("river_job").Where("kind = ?", kind).Count(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return int(n)
	}
	waitUntil(t, 30*time.Second, "the purges", func() bool {
		for _, k := range kinds {
			if count(k) == 0 {
				return false
			}
		}
		return true
	})
	time.Sleep(3 * time.Second) // time for the other processes to (wrongly) purge too
	for _, k := range kinds {
		if n := count(k); n != 1 {
			t.Errorf("%s jobs = %d, want 1 across three processes", k, n)
		}
	}
	waitUntil(t, 10*time.Second, "the expired key purged", func() bool {
		n, err := db.NewSelect().Table("idempotency_keys").Count(context.Background())
		return err == nil && n == 0
	})
}

// TestClusterHelperProcess is the process TestClusterKilledProcessLosesNothing
// kills: a real app on the database named by the environment, running
// until SIGTERM or SIGKILL.
func TestClusterHelperProcess(t *testing.T) {
	url := os.Getenv("CLUSTER_HELPER_DB")
	if url == "" {
		t.Skip("helper process only")
	}
	cfg := testsupport.Config(t, url)
	cfg.SyncLease, cfg.JobRescueAfter = 2*time.Second, 4*time.Second
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	a, err := app.New(ctx, cfg, logging.Discard())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	<-ctx.Done()
}

// TestClusterKilledProcessLosesNothing: a process is killed with SIGKILL
// while its deliveries are in flight (held by the upstream); another
// process takes its jobs over (River rescues them, the sync_jobs lease
// expires) and every patient reaches the upstream exactly once.
func TestClusterKilledProcessLosesNothing(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("starts a subprocess")
	}
	url := testsupport.PostgresURL(t)
	web := testsupport.Config(t, url)
	web.SyncWorkers = 0 // writes only: the child delivers
	front := testsupport.StartServer(t, web)
	up := newUpstream(t)
	orgID := clusterOrg(t, front.App, up, models.DirectionDualWrite)
	up.setHold(1500 * time.Millisecond)
	const n = 12
	createPatients(t, []*testsupport.Server{front}, orgID, n)

	cmd := exec.Command(os.Args[0], "-test.run=^TestClusterHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "CLUSTER_HELPER_DB="+url)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, 20*time.Second, "the child delivering", func() bool { return up.writesInFlight() >= 3 })
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	up.setHold(0)
	cfg := testsupport.Config(t, url)
	cfg.SyncLease, cfg.JobRescueAfter = 2*time.Second, 4*time.Second
	survivor := testsupport.StartServer(t, cfg)
	waitUntil(t, 45*time.Second, "every job synced by the survivor", func() bool { return openJobs(t, survivor.App) == 0 })
	if c := up.sb.Created(); c.OpenDentalPatients < n {
		t.Errorf("patients created upstream = %d, want all %d", c.OpenDentalPatients, n)
	} else if c.OpenDentalPatients > n {
		t.Logf("%d patients created upstream for %d (a delivery the killed process had sent was sent again)", c.OpenDentalPatients, n)
	}
}

// TestClusterSweepsADeliveryTakenByADeadProcess: a process took a
// delivery from River and died before it began (River has the job
// running; the sync job was never leased). Another process's sweep
// delivers it within staleAfter of River's taking, instead of waiting
// for River's rescue (minutes).
func TestClusterSweepsADeliveryTakenByADeadProcess(t *testing.T) {
	t.Parallel()
	url := testsupport.PostgresURL(t)
	web := testsupport.Config(t, url)
	web.SyncWorkers = 0 // writes only
	front := testsupport.StartServer(t, web)
	up := newUpstream(t)
	orgID := clusterOrg(t, front.App, up, models.DirectionDualWrite)
	createPatients(t, []*testsupport.Server{front}, orgID, 1)
	res, err := front.App.DB.NewRaw(`UPDATE river_job SET state = 'running', attempt = 1,
  attempted_at = now() - interval '40 seconds', attempted_by = ARRAY['a-dead-process']
WHERE kind = 'sync_delivery' AND state = 'available'`).Exec(context.Background())
	if n, _ := res.RowsAffected(); err != nil || n != 1 {
		t.Fatalf("hand the delivery to a dead process: %d rows, %v", n, err)
	}
	survivor := testsupport.StartServer(t, testsupport.Config(t, url)) // River's rescue: the default 3 min
	// The sweep runs every 5 s; the job has been River's for 40 s, past
	// staleAfter (30 s), while its sync row was due only just now.
	waitUntil(t, 20*time.Second, "the stalled job synced by the sweep", func() bool { return openJobs(t, survivor.App) == 0 })
	if c := up.sb.Created(); c.OpenDentalPatients != 1 {
		t.Errorf("patients created upstream = %d, want 1", c.OpenDentalPatients)
	}
}

// TestQueueAnswersPerEngine: GET /api/admin/queue answers the engine and
// the organization's jobs per kind and state, for admins only.
func TestQueueAnswersPerEngine(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, url string) {
		srv := testsupport.StartServer(t, testsupport.Config(t, url))
		up := newUpstream(t)
		orgID := clusterOrg(t, srv.App, up, models.DirectionDualWrite)
		createPatients(t, []*testsupport.Server{srv}, orgID, 3)
		waitUntil(t, 20*time.Second, "every job synced", func() bool { return openJobs(t, srv.App) == 0 })
		type queue struct {
			Engine string `json:"engine"`
			Kinds  []struct {
				Kind   string         `json:"kind"`
				States map[string]int `json:"states"`
			} `json:"kinds"`
			Throughput int `json:"throughput_per_minute"`
		}
		admin := srv.KeyClient(t, orgID, models.KeyRoleAdmin)
		var st queue
		done := 0
		// River completes its rows in batches, just after the sync jobs.
		waitUntil(t, 10*time.Second, "the deliveries counted done", func() bool {
			res := admin.Get("/api/admin/queue")
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status = %d, body %s", res.StatusCode, res.Body)
			}
			st = queue{}
			res.JSON(t, &st)
			for _, k := range st.Kinds {
				if k.Kind == "sync_delivery" {
					done = k.States["completed"] + k.States["synced"]
				}
			}
			return done == 3
		})
		want := map[bool]string{true: "river", false: "outbox"}[strings.HasPrefix(url, "postgres")]
		if st.Engine != want {
			t.Errorf("engine = %q, want %q", st.Engine, want)
		}
		if st.Throughput < 3 {
			t.Errorf("queue = %+v, want 3 sync deliveries done in the last minute", st)
		}
		if res := srv.KeyClient(t, orgID, models.KeyRoleAgent).Get("/api/admin/queue"); res.StatusCode != http.StatusForbidden {
			t.Errorf("agent key: status = %d, want 403", res.StatusCode)
		}
	})
}
