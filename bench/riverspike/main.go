// Command riverspike measures River (github.com/riverqueue/river) against
// a minimal replica of Switchboard's own outbox, on the product's
// databases, schema and write transaction, to decide issue 23's design.
// It is a spike, not a product path: nothing in the product imports it,
// and it lives in a module of its own so that the product's go.mod does
// not change until the design is built.
//
//	cd bench/riverspike
//	GOMAXPROCS=1 go run . sqlite -rounds 2           # River on SQLite vs the outbox
//	GOMAXPROCS=1 go run . pg -dsn $SWITCHBOARD_TEST_POSTGRES_DSN
//	go run . agent -rounds 3 -trace /tmp/tt     # the agent path against a bare proxy, then traced
//	go run . tail /tmp/tt-switchboard.trace     # what held the P while goroutines waited
//
// Every server is on 127.0.0.1; the upstream runs in a child process of
// its own so that its CPU is not counted as the engine's.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: riverspike sqlite|pg|agent|tail|dualwrite|allocs|attempts|slots|upstream|pg-worker|pg-periodic [flags]")
		os.Exit(2)
	}
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "upstream":
		err = runUpstream()
	case "sqlite":
		err = sqliteCommand(ctx, args)
	case "pg":
		err = pgCommand(ctx, args)
	case "pg-worker":
		err = pgWorker(ctx, args)
	case "tier-proxy":
		err = tierProxy(args)
	case "tier-app":
		err = tierApp(ctx, args)
	case "agent":
		err = agentCommand(ctx, args)
	case "tail":
		err = tailCommand(args)
	case "allocs":
		err = allocsCommand(ctx, args)
	case "dualwrite":
		err = dualWriteCommand(ctx, args)
	case "attempts":
		err = attemptsCommand(ctx, args)
	case "slots":
		err = slotsCommand(ctx, args)
	case "pg-periodic":
		err = pgPeriodic(ctx, args)
	default:
		err = fmt.Errorf("unknown command %q", cmd)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "riverspike:", err)
		os.Exit(1)
	}
}

func phaseFlags(fs *flag.FlagSet, o *phaseOpts) *phaseOpts {
	fs.DurationVar(&o.Duration, "duration", 10*time.Second, "length of the commit and steady phases")
	fs.IntVar(&o.Writers, "writers", 16, "closed-loop writers of the commit phase")
	fs.IntVar(&o.Rate, "rate", 200, "creates per second of the steady phase")
	fs.IntVar(&o.Workers, "workers", 4, "outbox delivery workers (today's default: 4)")
	fs.IntVar(&o.RiverWorkers, "river-workers", 32, "River MaxWorkers of the default queue")
	fs.DurationVar(&o.FetchCooldown, "fetch-cooldown", 0, "River FetchCooldown (0: River's 100ms)")
	fs.DurationVar(&o.FetchPollInterval, "fetch-poll", 0, "River FetchPollInterval (0: River's 1s)")
	fs.BoolVar(&o.OwnPool, "own-pool", false, "River on a one-connection pool of its own (SQLite)")
	fs.BoolVar(&knobs.Gate, "gate", false, "open SQLite through the write gate (River's writes queue with the product's)")
	fs.BoolVar(&knobs.BoundedSlot, "bounded-slot", false, "claim the slot with the overlap query bounded by 24 h")
	fs.IntVar(&knobs.Group, "group", 0, "group commit: up to this many creates per SQLite transaction (0: off)")
	fs.BoolVar(&knobs.Prepared, "prepared", false, "write the create with prepared statements (implies the bounded slot query)")
	fs.BoolVar(&knobs.AttemptByJob, "attempt-fix", false, "number attempts by job_id alone (the product's query walks the organization's attempts)")
	fs.IntVar(&knobs.Providers, "providers", 1, "providers (and operatories) the bookings are spread over")
	fs.StringVar(&o.Profile, "cpuprofile", "", "write each phase's CPU profile to prefix-<engine>-<phase>.prof")
	return o
}

// sqliteCommand runs the engines in turns, rounds times, on fresh SQLite
// files, and prints one row per run.
func sqliteCommand(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("sqlite", flag.ContinueOnError)
	o := phaseFlags(fs, &phaseOpts{})
	rounds := fs.Int("rounds", 2, "rounds; the engines take turns within each")
	engines := fs.String("engines", "outbox,river", "engines to run, in turn")
	up, err := parseAndStart(fs, args)
	if err != nil {
		return err
	}
	defer up.stop(true)
	printHeader()
	for r := 1; r <= *rounds; r++ {
		for _, name := range strings.Split(*engines, ",") {
			res, err := runSQLiteRound(ctx, name, up.line, *o)
			if err != nil {
				return fmt.Errorf("%s round %d: %w", name, r, err)
			}
			printRow("SQLite", r, res)
		}
	}
	return nil
}

func printHeader() {
	fmt.Println("| db | round | engine | committed/s | CPU/commit | backlog | drain jobs/s | CPU/job drained | POST p99 at rate | lag p50 | lag p99 | lag max | delivered | river rows |")
	fmt.Println("| --- | --: | --- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --- |")
}

func printRow(db string, round int, r *result) {
	fmt.Printf("| %s | %d | %s | %.0f | %s | %d | %.0f | %s | %s | %s | %s | %s | %d | %s |\n", db, round, r.Engine,
		r.Commit.PerSec(), us(r.Commit.CPUPer()), r.Backlog, r.Drain.PerSec(), us(r.Drain.CPUPer()),
		ms(pct(r.Steady.Lat, 0.99)), ms(r.LagP50), ms(r.LagP99), ms(r.LagMax), r.Delivered, r.RiverRows)
	if r.RiverMigrations > 0 {
		fmt.Printf("|  |  | (river migrations: %d versions in %s) |\n", r.RiverMigrations, r.RiverMigrate.Round(time.Millisecond))
	}
}
