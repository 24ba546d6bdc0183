// Command bench measures what Switchboard adds in front of an upstream:
// the same small upstream is reached (a) directly, (b) through a bare
// httputil.ReverseProxy, (c) through nginx when it is installed, and (d)
// through POST /api/integrations/{provider}. It reports the maximum
// throughput, the latency at a fixed request rate (open loop, corrected
// for coordinated omission) and the memory used, and writes the table to
// bench/BENCHMARKS.md.
//
// Every server listens on 127.0.0.1 and every load loop is bounded in time
// and in count, so one run stops by itself after a few tens of seconds:
//
//	go run ./bench                       # from the repository root
//	go run ./bench -duration 10s -skip-nginx
//	go run ./bench -targets a,d -rounds 1 -out "" -cpuprofile /tmp/sb
//	go run ./bench -sync                 # dual-write: commit, drain, sync lag
//	go run ./bench -memory               # peak RSS of the server under large answers
//	go run ./bench -drain -postgres URL  # backlog drain by 1, 2, 4 serve processes
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// run parses the flags, runs every phase and writes the report.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	opts, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	opts.Progress = stderr
	if opts.Sync {
		return runSyncCommand(ctx, opts, stdout, stderr)
	}
	if opts.Memory {
		return runMemoryCommand(ctx, opts, stdout, stderr)
	}
	if opts.Drain {
		return runDrainCommand(ctx, opts, stdout, stderr)
	}
	rep, err := Run(ctx, opts)
	if err != nil {
		return err
	}
	return emit(rep.Markdown(), rep.Failed(), opts.Out, writeReport, "", stdout, stderr)
}

// emit prints a report and, unless the run failed (a failed run keeps the
// previous report on disk), writes it, or its section, into out.
func emit(md string, failed error, out string, write func(string, string) error, section string, stdout, stderr io.Writer) error {
	fmt.Fprintln(stdout, md)
	if failed != nil {
		return failed
	}
	if out == "" {
		return nil
	}
	if err := write(out, md); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote %s%s\n", section, out)
	return nil
}

// runSyncCommand runs the sync benchmark and writes its section below
// the anchor of the report.
func runSyncCommand(ctx context.Context, opts Options, stdout, stderr io.Writer) error {
	rep, err := RunSync(ctx, SyncOptions{Duration: opts.Duration, Concurrency: opts.Concurrency, Rate: opts.SyncRate,
		Workers: opts.SyncWorkers, Postgres: opts.Postgres, LogLevel: opts.LogLevel, CPUProfile: opts.CPUProfile,
		Progress: stderr})
	if err != nil {
		return err
	}
	return emit(rep.Markdown(), rep.Failed(), opts.Out, writeSyncReport, "the sync section of ", stdout, stderr)
}

// runMemoryCommand runs the memory benchmark and writes its section
// below the memory anchor of the report.
func runMemoryCommand(ctx context.Context, opts Options, stdout, stderr io.Writer) error {
	rep, err := RunMemory(ctx, stderr)
	if err != nil {
		return err
	}
	return emit(rep.Markdown(), rep.Failed(), opts.Out, writeMemoryReport, "the memory section of ", stdout, stderr)
}

// runDrainCommand runs the drain benchmark and prints its section (it
// is not written into the report file).
func runDrainCommand(ctx context.Context, opts Options, stdout, stderr io.Writer) error {
	rep, err := RunDrain(ctx, DrainOptions{Postgres: opts.Postgres, Procs: opts.DrainProcs, Backlogs: opts.DrainBacklogs,
		Timeout: opts.DrainTimeout, LogLevel: opts.LogLevel, Progress: stderr})
	if rep != nil {
		fmt.Fprintln(stdout, rep.Markdown())
	}
	if err != nil {
		return err
	}
	return rep.Failed()
}

func parseFlags(args []string, stderr io.Writer) (Options, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := DefaultOptions()
	fs.DurationVar(&o.Duration, "duration", o.Duration, "length of each measured phase")
	fs.DurationVar(&o.Warmup, "warmup", o.Warmup, "warm-up before each target's phases")
	fs.IntVar(&o.Rounds, "rounds", o.Rounds, "rounds of every target's phases, taken in turns (rows show the median round)")
	fs.IntVar(&o.Rate, "rate", o.Rate, "requests per second of the fixed-rate (open-loop) phase")
	fs.IntVar(&o.Concurrency, "concurrency", o.Concurrency, "workers of the max-throughput (closed-loop) phase")
	fs.StringVar(&o.Out, "out", "bench/BENCHMARKS.md", "Markdown report to write (empty: print only)")
	fs.BoolVar(&o.SkipNginx, "skip-nginx", false, "do not run target (c) even when nginx is installed")
	fs.StringVar(&o.LogLevel, "log-level", o.LogLevel, "Switchboard's log level; logs go to io.Discard but are still formatted")
	fs.StringVar(&o.Targets, "targets", "", "comma-separated targets to run, of a,b,c,d (default all)")
	fs.BoolVar(&o.Sync, "sync", false, "run the sync benchmark (dual-write commit, outbox drain, sync lag) instead")
	fs.BoolVar(&o.Memory, "memory", false, "run the memory benchmark (peak RSS of a server process under large upstream answers) instead")
	fs.IntVar(&o.SyncRate, "sync-rate", o.SyncRate, "appointments per second of the sync benchmark's steady phase")
	fs.IntVar(&o.SyncWorkers, "sync-workers", o.SyncWorkers, "outbox workers of the sync benchmark's draining app")
	fs.StringVar(&o.Postgres, "postgres", os.Getenv("SWITCHBOARD_TEST_POSTGRES_DSN"), "PostgreSQL URL for the sync benchmark (a schema of its own is created and dropped); empty: SQLite only")
	fs.BoolVar(&o.Drain, "drain", false, "run the drain benchmark (a prefilled backlog drained by switchboard serve processes on PostgreSQL) instead")
	fs.Var((*intList)(&o.DrainProcs), "drain-procs", "comma-separated serve process counts of the drain benchmark")
	fs.Var((*intList)(&o.DrainBacklogs), "drain-backlogs", "comma-separated backlog sizes (sync jobs) of the drain benchmark")
	fs.DurationVar(&o.DrainTimeout, "drain-timeout", o.DrainTimeout, "longest one drain may take")
	fs.StringVar(&o.CPUProfile, "cpuprofile", "", "write each target's max-throughput CPU profile to `prefix`-<target>.prof")
	if err := fs.Parse(args); err != nil {
		return Options{}, err
	}
	if fs.NArg() > 0 {
		return Options{}, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	return o, o.Validate()
}

// Validate refuses options that would make a run unbounded or meaningless.
func (o Options) Validate() error {
	switch {
	case o.Duration <= 0 || o.Duration > 10*time.Minute:
		return fmt.Errorf("-duration must be between 0 and 10m (got %s)", o.Duration)
	case o.Warmup < 0 || o.Warmup > time.Minute:
		return fmt.Errorf("-warmup must be between 0 and 1m (got %s)", o.Warmup)
	case o.Rounds <= 0 || o.Rounds > 20:
		return fmt.Errorf("-rounds must be between 1 and 20 (got %d)", o.Rounds)
	case o.Rate <= 0 || o.Rate > 100_000:
		return fmt.Errorf("-rate must be between 1 and 100000 (got %d)", o.Rate)
	case o.Concurrency <= 0 || o.Concurrency > 4096:
		return fmt.Errorf("-concurrency must be between 1 and 4096 (got %d)", o.Concurrency)
	case o.Sync && (o.SyncRate <= 0 || o.SyncRate > 100_000):
		return fmt.Errorf("-sync-rate must be between 1 and 100000 (got %d)", o.SyncRate)
	case o.Sync && (o.SyncWorkers <= 0 || o.SyncWorkers > 256):
		return fmt.Errorf("-sync-workers must be between 1 and 256 (got %d)", o.SyncWorkers)
	case o.Drain:
		return o.validateDrain()
	}
	return nil
}

// validateDrain refuses a drain benchmark without PostgreSQL or with
// sizes that would make it meaningless or unbounded.
func (o Options) validateDrain() error {
	switch {
	case o.Sync || o.Memory:
		return errors.New("-drain runs alone: drop -sync and -memory")
	case o.Postgres == "":
		return errors.New("-drain needs PostgreSQL: pass -postgres URL or set SWITCHBOARD_TEST_POSTGRES_DSN")
	case len(o.DrainProcs) == 0 || len(o.DrainBacklogs) == 0:
		return errors.New("-drain-procs and -drain-backlogs must each list at least one number")
	case o.DrainTimeout <= 0 || o.DrainTimeout > time.Hour:
		return fmt.Errorf("-drain-timeout must be between 0 and 1h (got %s)", o.DrainTimeout)
	}
	for _, n := range o.DrainProcs {
		if n <= 0 || n > 16 {
			return fmt.Errorf("-drain-procs: each count must be between 1 and 16 (got %d)", n)
		}
	}
	for _, n := range o.DrainBacklogs {
		if n <= 0 || n > 1_000_000 {
			return fmt.Errorf("-drain-backlogs: each size must be between 1 and 1000000 (got %d)", n)
		}
	}
	return nil
}

// intList is a flag of comma-separated integers.
type intList []int

func (l *intList) String() string {
	if l == nil {
		return ""
	}
	parts := make([]string, len(*l))
	for i, n := range *l {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ",")
}

// Set replaces the list (the default is not appended to).
func (l *intList) Set(v string) error {
	var out []int
	for _, part := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil {
			return fmt.Errorf("%q is not an integer", part)
		}
		out = append(out, n)
	}
	*l = out
	return nil
}
