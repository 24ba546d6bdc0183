package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// selfCPU is this process's user+system CPU time (getrusage).
func selfCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// procCPU is another process's user+system CPU time from /proc/PID/stat.
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	f := strings.Fields(s[i+2:])
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond // USER_HZ 100
}

// run is the outcome of one load phase.
type run struct {
	OK, Errors int64
	FirstErr   string
	Wall, CPU  time.Duration
	Lat        []time.Duration // open loop only, sorted
}

// PerSec is the successes per second.
func (r run) PerSec() float64 { return float64(r.OK) / r.Wall.Seconds() }

// CPUPer is the CPU time per success.
func (r run) CPUPer() time.Duration {
	if r.OK == 0 {
		return 0
	}
	return r.CPU / time.Duration(r.OK)
}

type errTrack struct {
	n     atomic.Int64
	once  sync.Once
	first string
}

func (t *errTrack) add(err error) {
	t.n.Add(1)
	t.once.Do(func() { t.first = err.Error() })
}

// closedLoop runs fn from workers goroutines for d; n counts calls.
func closedLoop(ctx context.Context, workers int, d time.Duration, next *atomic.Int64, fn func(ctx context.Context, n int64) error) run {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var ok atomic.Int64
	var et errTrack
	cpu0, t0 := selfCPU(), time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				if err := fn(context.WithoutCancel(ctx), next.Add(1)); err != nil {
					et.add(err)
					continue
				}
				ok.Add(1)
			}
		})
	}
	wg.Wait()
	return run{OK: ok.Load(), Errors: et.n.Load(), FirstErr: et.first, Wall: time.Since(t0), CPU: selfCPU() - cpu0}
}

// openLoop calls fn rate times a second for d, each call in its own
// goroutine; latency counts from the scheduled start.
func openLoop(ctx context.Context, rate int, d time.Duration, next *atomic.Int64, fn func(ctx context.Context, n int64) error) run {
	total := int(d.Seconds() * float64(rate))
	every := time.Second / time.Duration(rate)
	lat := make([]time.Duration, total)
	var ok atomic.Int64
	var et errTrack
	var wg sync.WaitGroup
	cpu0, t0 := selfCPU(), time.Now()
	for i := range total {
		at := t0.Add(time.Duration(i) * every)
		if w := time.Until(at); w > 0 {
			time.Sleep(w)
		}
		wg.Go(func() {
			if err := fn(ctx, next.Add(1)); err != nil {
				et.add(err)
				lat[i] = -1
				return
			}
			lat[i] = time.Since(at)
			ok.Add(1)
		})
	}
	wg.Wait()
	r := run{OK: ok.Load(), Errors: et.n.Load(), FirstErr: et.first, Wall: time.Since(t0), CPU: selfCPU() - cpu0}
	for _, l := range lat {
		if l >= 0 {
			r.Lat = append(r.Lat, l)
		}
	}
	slices.Sort(r.Lat)
	return r
}

// pct is the p-th quantile of sorted durations.
func pct(xs []time.Duration, p float64) time.Duration {
	if len(xs) == 0 {
		return 0
	}
	i := int(p * float64(len(xs)-1))
	return xs[i]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }
func us(d time.Duration) string { return fmt.Sprintf("%d µs", d.Microseconds()) }
