package main

import (
	"context"
	"io"
	"strings"
	"time"
)

// Options tune one run.
type Options struct {
	// Duration is the length of each measured phase.
	Duration time.Duration
	// Warmup is a closed-loop run before a target's first round, not measured.
	Warmup time.Duration
	// Rounds is how many times every target's phases are repeated, the
	// targets taking turns, so that a disturbance of the machine falls on
	// all of them; each row shows the median round.
	Rounds int
	// Rate is the request rate of the open-loop phase.
	Rate int
	// Concurrency is the number of closed-loop workers.
	Concurrency int
	// Out is the Markdown file to write; empty prints only.
	Out string
	// SkipNginx leaves target (c) out.
	SkipNginx bool
	// LogLevel is Switchboard's log level (logs are formatted, then discarded).
	LogLevel string
	// CPUProfile, when set, profiles each target's first max-throughput
	// phase into CPUProfile-<key>.prof.
	CPUProfile string
	// Targets lists the keys of the targets to run (a, b, c, d); empty runs all.
	Targets string
	// Progress receives one line per phase; nil is silent.
	Progress io.Writer
	// Sync runs the sync benchmark instead (sync.go).
	Sync bool
	// Memory runs the memory benchmark instead (memory.go).
	Memory bool
	// SyncRate is the sync benchmark's steady appointments per second.
	SyncRate int
	// SyncWorkers is the outbox workers of its draining app.
	SyncWorkers int
	// Postgres is the PostgreSQL URL of the sync benchmark; empty skips it.
	// The drain benchmark requires it.
	Postgres string
	// Drain runs the drain benchmark instead (drain.go).
	Drain bool
	// DrainProcs lists the process counts of the drain benchmark.
	DrainProcs []int
	// DrainBacklogs lists its backlog sizes, in sync jobs.
	DrainBacklogs []int
	// DrainTimeout bounds each drain.
	DrainTimeout time.Duration
}

// wants reports whether the target with key is to run.
func (o Options) wants(key string) bool {
	if o.Targets == "" {
		return true
	}
	for _, k := range strings.Split(o.Targets, ",") {
		if strings.TrimSpace(k) == key {
			return true
		}
	}
	return false
}

// DefaultOptions are the command's defaults.
func DefaultOptions() Options {
	return Options{Duration: 5 * time.Second, Warmup: time.Second, Rounds: 3, Rate: 1000, Concurrency: 64, LogLevel: "info",
		SyncRate: 200, SyncWorkers: 4, DrainProcs: []int{1, 2, 4}, DrainBacklogs: []int{10_000, 100_000},
		DrainTimeout: 15 * time.Minute}
}

// settle lets background work of a phase (call records, GC) finish before
// the next phase starts.
const settle = 300 * time.Millisecond

// Run starts the upstream and every selected target, warms each up, then
// runs the rounds: in each, every target in turn gets its fixed-rate and
// its max-throughput phase.
func Run(ctx context.Context, o Options) (*Report, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	rep := &Report{Date: time.Now().UTC(), Options: o, Machine: machine(), LoadBefore: loadAverage()}
	up, err := serve(upstreamHandler())
	if err != nil {
		return nil, err
	}
	defer up.Close()
	lives := startTargets(ctx, o, up.URL, rep)
	defer func() {
		for _, l := range lives {
			l.stop()
		}
	}()
	for _, l := range lives {
		warmUp(ctx, o, l)
	}
	for round := 1; round <= o.Rounds && ctx.Err() == nil; round++ {
		for _, l := range lives {
			if l.res.Err == nil {
				runRound(ctx, o, l, round)
			}
		}
	}
	for _, l := range lives {
		l.res.aggregate()
		l.finish()
	}
	rep.LoadAfter = loadAverage()
	rep.End = procMemory("self")
	return rep, ctx.Err()
}
