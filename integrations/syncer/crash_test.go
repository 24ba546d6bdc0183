package syncer

import (
	"context"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"testing"
	"time"

	"switchboard/integrations/executor"
	"switchboard/integrations/outbound"
	"switchboard/integrations/registry"
	"switchboard/integrations/sandbox"
	"switchboard/models"
)

// TestHelperProcess is the "other process" of TestCrashLosesNoJob and
// TestTwoProcessesShareOnePostgreSQLQueue: it runs a Manager on the
// database named by the environment until it is killed or sent SIGTERM.
func TestHelperProcess(t *testing.T) {
	url := os.Getenv("SYNCER_HELPER_DB")
	if url == "" {
		t.Skip("helper process only")
	}
	db := openDB(t, url)
	store := models.NewStore(db)
	reg := registry.New(store)
	policy, _ := outbound.NewPolicy([]string{"127.0.0.0/8"})
	sc := sandbox.DefaultConfig()
	ex := executor.New(executor.Config{Registry: reg, Client: outbound.NewClient(policy),
		Credentials: staticCreds{"developer_key": sc.OpenDentalDeveloperKey, "customer_key": sc.OpenDentalCustomerKey}})
	lease, _ := time.ParseDuration(os.Getenv("SYNCER_HELPER_LEASE"))
	owner := os.Getenv("SYNCER_HELPER_OWNER")
	if owner == "" {
		owner = "doomed"
	}
	m := New(Config{Store: store, Registry: reg, Executor: ex, Owner: owner, Lease: lease, Workers: 4,
		PollEvery: 20 * time.Millisecond, Backoff: func(int) time.Duration { return 10 * time.Millisecond }})
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	m.Run(ctx)
}

// TestCrashLosesNoJob kills a worker process with SIGKILL while it is
// delivering (some writes carried out upstream, their answers not yet
// received), then lets another Manager finish: every job is delivered
// exactly once.
func TestCrashLosesNoJob(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a subprocess")
	}
	forEachBackend(t, func(t *testing.T, url string) {
		f := newFixture(t, url, withIdempotency())
		writer := f.manager()
		const n = 10
		createMany(t, f, writer, n)
		f.rec.setHold(400 * time.Millisecond)

		lease := 700 * time.Millisecond
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), "SYNCER_HELPER_DB="+url, "SYNCER_HELPER_LEASE="+lease.String())
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// A loaded machine may take seconds to start the child binary.
		waitFor(t, 30*time.Second, "the child to start delivering", func() bool { return len(f.rec.writes()) >= 3 })
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
		leased := 0
		for _, j := range f.allJobs() {
			if j.LeaseOwner == "doomed" {
				leased++
			}
		}
		if leased == 0 {
			t.Logf("the child held no lease when killed (timing); the delivery check still holds")
		}
		f.rec.setHold(0)
		m := f.manager(func(c *Config) { c.Owner = "survivor" })
		f.run(m)
		waitFor(t, 20*time.Second, "every job synced", f.allSettled)
		c := f.sb.Created()
		if c.OpenDentalPatients != n || c.OpenDentalAppointments != n {
			t.Errorf("created upstream = %+v, want exactly %d of each (leased by the dead child: %d)", c, n, leased)
		}
		t.Logf("killed with %d leases held; %d idempotent replays", leased, f.sb.Stats().Replayed)
	})
}

// startHelper starts TestHelperProcess as a worker process named owner.
func startHelper(t *testing.T, url, owner string, lease time.Duration) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), "SYNCER_HELPER_DB="+url, "SYNCER_HELPER_LEASE="+lease.String(),
		"SYNCER_HELPER_OWNER="+owner)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	})
	return cmd
}

// TestTwoProcessesShareOnePostgreSQLQueue runs two worker processes on one
// PostgreSQL queue: no delivery of a job overlaps another delivery of the
// same job, and every job is delivered exactly once.
func TestTwoProcessesShareOnePostgreSQLQueue(t *testing.T) {
	if testing.Short() {
		t.Skip("starts subprocesses")
	}
	if os.Getenv(postgresDSNEnv) == "" {
		t.Skip("needs PostgreSQL: set " + postgresDSNEnv)
	}
	url := postgresURL(t)
	f := newFixture(t, url, withIdempotency())
	f.sb.SetFaults(sandbox.Faults{LatencyMS: 5})
	const n = 30
	createMany(t, f, f.manager(), n)
	startHelper(t, url, "process-a", 30*time.Second)
	startHelper(t, url, "process-b", 30*time.Second)
	waitFor(t, 60*time.Second, "every job synced", f.allSettled)
	if f.rec.overlap != 0 {
		t.Errorf("%d deliveries overlapped another delivery of the same job", f.rec.overlap)
	}
	if c := f.sb.Created(); c.OpenDentalPatients != n || c.OpenDentalAppointments != n {
		t.Errorf("created upstream = %+v, want exactly %d of each", c, n)
	}
	if st := f.sb.Stats(); st.Replayed != 0 {
		t.Errorf("replays = %d, want 0 (no job delivered twice)", st.Replayed)
	}
}
