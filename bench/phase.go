package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

// warmUp checks that the target answers correctly, then runs it closed
// loop for the warm-up time. A wrong first answer fails the target.
func warmUp(ctx context.Context, o Options, l *live) {
	if err := probe(ctx, l.client, l.t); err != nil {
		l.res.Err = fmt.Errorf("first request failed: %w", err)
		return
	}
	if o.Warmup <= 0 {
		return
	}
	progress(o, "(%s) %s: warm-up %s", l.t.Key, l.t.Name, o.Warmup)
	closedLoop(ctx, l.client, l.t, o.Concurrency, o.Warmup)
	pause(ctx)
}

// runRound runs one fixed-rate and one max-throughput phase.
func runRound(ctx context.Context, o Options, l *live, round int) {
	t := l.t
	progress(o, "round %d/%d (%s) %s: %d req/s for %s", round, o.Rounds, t.Key, t.Name, o.Rate, o.Duration)
	var rd Round
	rd.Fixed = openLoop(ctx, l.client, t, o.Rate, o.Duration)
	pause(ctx)
	progress(o, "round %d/%d (%s) %s: max throughput, %d workers for %s", round, o.Rounds, t.Key, t.Name, o.Concurrency, o.Duration)
	prefix := o.CPUProfile
	if round > 1 {
		prefix = ""
	}
	stop, err := startProfile(prefix, t.Key)
	if err != nil {
		l.res.Err = err
		return
	}
	rd.Max = closedLoop(ctx, l.client, t, o.Concurrency, o.Duration)
	stop()
	pause(ctx)
	l.res.Rounds = append(l.res.Rounds, rd)
}

// probe sends one request and checks the answer.
func probe(ctx context.Context, c *http.Client, t *target) error {
	var buf bytes.Buffer
	return do(ctx, c, t, &buf)
}

func pause(ctx context.Context) {
	runtime.GC()
	select {
	case <-ctx.Done():
	case <-time.After(settle):
	}
}

func progress(o Options, format string, args ...any) {
	if o.Progress != nil {
		fmt.Fprintf(o.Progress, format+"\n", args...)
	}
}

// startProfile starts a CPU profile into prefix-key.prof; the returned
// function stops it. An empty prefix profiles nothing.
func startProfile(prefix, key string) (func(), error) {
	if prefix == "" {
		return func() {}, nil
	}
	f, err := os.Create(prefix + "-" + key + ".prof")
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
