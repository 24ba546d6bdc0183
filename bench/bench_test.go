package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestHarnessReachesEveryTarget runs the whole harness briefly. It asserts
// only that every in-process target answered correctly: speed is reported
// by `go run ./bench`, never asserted.
func TestHarnessReachesEveryTarget(t *testing.T) {
	if testing.Short() {
		t.Skip("starts servers and the app; skipped with -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	o := Options{Duration: 200 * time.Millisecond, Warmup: 100 * time.Millisecond, Rounds: 1, Rate: 200, Concurrency: 8,
		SkipNginx: true, LogLevel: "info"}
	rep, err := Run(ctx, o)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	for _, key := range []string{"a", "b", "d"} {
		t.Run("target "+key+" answers every request", func(t *testing.T) {
			res := rep.Result(key)
			if res == nil || !res.Measured() {
				t.Fatalf("target %s was not measured: %+v", key, res)
			}
			if res.Max.OK == 0 || res.MaxErrors != 0 {
				t.Errorf("max throughput: got %d ok and %d errors (first: %s), want some ok and no errors",
					res.Max.OK, res.MaxErrors, res.Max.FirstErr)
			}
			if res.Fixed.OK == 0 || res.FixedErrors != 0 {
				t.Errorf("fixed rate: got %d ok and %d errors (first: %s), want some ok and no errors",
					res.Fixed.OK, res.FixedErrors, res.Fixed.FirstErr)
			}
		})
	}
	if got := rep.Result("c").Skipped; got == "" {
		t.Errorf("target c: got it measured, want it skipped with -skip-nginx")
	}
	if md := rep.Markdown(); !strings.HasSuffix(strings.TrimSpace(md), syncAnchor) {
		t.Errorf("report does not end with the sync anchor:\n%s", md)
	}
}

func TestWriteReportKeepsWhatFollowsTheAnchor(t *testing.T) {
	path := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	old := "# old\n\nold table\n\n" + syncAnchor + "\n\n## Sync\n\nsync table\n"
	if err := os.WriteFile(path, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeReport(path, "# new\n\n"+syncAnchor+"\n"); err != nil {
		t.Fatalf("writeReport: %v", err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "# new\n\n" + syncAnchor + "\n\n## Sync\n\nsync table\n"
	if string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestPercentileIsNearestRank(t *testing.T) {
	sorted := make([]time.Duration, 100)
	for i := range sorted {
		sorted[i] = time.Duration(i+1) * time.Millisecond
	}
	tests := []struct {
		p    float64
		want time.Duration
	}{
		{0.50, 50 * time.Millisecond},
		{0.99, 99 * time.Millisecond},
		{0.999, 100 * time.Millisecond},
		{1, 100 * time.Millisecond},
	}
	for _, tt := range tests {
		if got := percentile(sorted, tt.p); got != tt.want {
			t.Errorf("percentile(1..100 ms, %v): got %v, want %v", tt.p, got, tt.want)
		}
	}
}

// TestSyncBenchmarkDeliversEverything runs the sync benchmark briefly on
// SQLite (and PostgreSQL when SWITCHBOARD_TEST_POSTGRES_DSN is set). It
// asserts what the figures rest on, never their size: the writer app with
// --sync-workers 0 delivered nothing (every answer pending, the backlog
// equal to the appointments), the draining app delivered every job exactly
// once, and every steady-phase job has a lag.
func TestSyncBenchmarkDeliversEverything(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the app twice per database; skipped with -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	rep, err := RunSync(ctx, SyncOptions{Duration: 300 * time.Millisecond, Concurrency: 8, Rate: 50, Workers: 4,
		Postgres: os.Getenv("SWITCHBOARD_TEST_POSTGRES_DSN"), LogLevel: "info"})
	if err != nil {
		t.Fatalf("RunSync: %v", err)
	}
	if err := rep.Failed(); err != nil {
		t.Fatal(err)
	}
	for _, res := range rep.Results {
		t.Run(res.Backend, func(t *testing.T) {
			if res.Commit.OK == 0 || int64(res.Backlog) != res.Commit.OK {
				t.Errorf("commit: %d answered, backlog %d; want some, all still pending", res.Commit.OK, res.Backlog)
			}
			if want := int(res.Commit.OK) + res.Steady.OK; res.Delivered != want {
				t.Errorf("delivered %d, want %d", res.Delivered, want)
			}
			if res.Steady.OK == 0 || res.LagJobs != res.Steady.OK || res.LagMax <= 0 {
				t.Errorf("steady: %d answered, %d lags (max %s); want a lag for each", res.Steady.OK, res.LagJobs, res.LagMax)
			}
		})
	}
	md := rep.Markdown()
	if !strings.Contains(md, "| SQLite | ") || !strings.Contains(md, "drain jobs/s") {
		t.Errorf("the sync section lacks its table:\n%s", md)
	}
}

func TestWriteSyncReportKeepsWhatPrecedesTheAnchor(t *testing.T) {
	path := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	old := "# proxy\n\nproxy table\n\n" + syncAnchor + "\n\n## Sync\n\nold sync table\n"
	if err := os.WriteFile(path, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeSyncReport(path, "\n## Sync\n\nnew sync table\n"); err != nil {
		t.Fatalf("writeSyncReport: %v", err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "# proxy\n\nproxy table\n\n" + syncAnchor + "\n## Sync\n\nnew sync table\n"
	if string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestReportsKeepTheMemorySection(t *testing.T) {
	path := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	old := "# proxy\n\n" + syncAnchor + "\n## Sync\n\nold sync table\n"
	if err := os.WriteFile(path, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeMemoryReport(path, "\n## Memory\n\nfirst\n"); err != nil {
		t.Fatalf("writeMemoryReport: %v", err)
	}
	if err := writeMemoryReport(path, "\n## Memory\n\nmemory table\n"); err != nil {
		t.Fatalf("writeMemoryReport again: %v", err)
	}
	if err := writeSyncReport(path, "\n## Sync\n\nnew sync table\n"); err != nil {
		t.Fatalf("writeSyncReport: %v", err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "# proxy\n\n" + syncAnchor + "\n## Sync\n\nnew sync table\n\n" + memoryAnchor + "\n## Memory\n\nmemory table\n"
	if string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestMemoryReportKeepsLaterSections: the sections written below the
// memory section by other benchmarks survive a new memory run.
func TestMemoryReportKeepsLaterSections(t *testing.T) {
	path := filepath.Join(t.TempDir(), "BENCHMARKS.md")
	old := "# proxy\n\n" + syncAnchor + "\n## Sync\n\nsync\n\n" + memoryAnchor + "\n## Memory\n\nold memory\n\n## Availability\n\nkept\n"
	if err := os.WriteFile(path, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeMemoryReport(path, "\n## Memory\n\nnew memory\n"); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "# proxy\n\n" + syncAnchor + "\n## Sync\n\nsync\n\n" + memoryAnchor + "\n## Memory\n\nnew memory\n\n## Availability\n\nkept\n"
	if string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestDrainFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"no PostgreSQL", []string{"-drain", "-postgres", ""}, "-drain needs PostgreSQL"},
		{"zero processes", []string{"-drain", "-postgres", "postgres://x", "-drain-procs", "1,0"}, "-drain-procs"},
		{"not a number", []string{"-drain", "-postgres", "postgres://x", "-drain-backlogs", "10k"}, "not an integer"},
		{"with -sync", []string{"-drain", "-sync", "-postgres", "postgres://x"}, "-drain runs alone"},
		{"valid", []string{"-drain", "-postgres", "postgres://x", "-drain-procs", "1, 2", "-drain-backlogs", "2000"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := parseFlags(tt.args, io.Discard)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("got error %v, want none", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("got error %v, want one containing %q", err, tt.wantErr)
			}
			if tt.wantErr == "" && (!slices.Equal(o.DrainProcs, []int{1, 2}) || !slices.Equal(o.DrainBacklogs, []int{2000})) {
				t.Errorf("got procs %v and backlogs %v, want [1 2] and [2000]", o.DrainProcs, o.DrainBacklogs)
			}
		})
	}
}
