package main

import (
	"bytes"
	"context"
	"math"
	"net"
	"net/http"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Bounds that keep every loop finite whatever the options say.
const (
	requestTimeout       = 10 * time.Second
	maxRequestsPerWorker = 5_000_000
	maxInFlight          = 4096
)

// Throughput is the outcome of a closed-loop phase.
type Throughput struct {
	OK, Errors int64
	Elapsed    time.Duration
	// CPU is the CPU time this process (generator and in-process servers)
	// and any helper process used during the phase.
	CPU time.Duration
	// Busy is the CPU time all processes on the machine used meanwhile.
	Busy time.Duration
	// GC is this process's garbage collection meanwhile.
	GC       gcSample
	FirstErr string
}

// RPS is the successful requests per second.
func (t Throughput) RPS() float64 {
	if t.Elapsed <= 0 {
		return 0
	}
	return float64(t.OK) / t.Elapsed.Seconds()
}

// CPUPerRequest is the CPU time spent per successful request.
func (t Throughput) CPUPerRequest() time.Duration {
	if t.OK == 0 {
		return 0
	}
	return t.CPU / time.Duration(t.OK)
}

// Latency is the outcome of an open-loop phase: latencies are measured
// from the time each request was scheduled, not from when it was sent.
type Latency struct {
	Sent, OK, Errors    int
	Elapsed             time.Duration
	P50, P99, P999, Max time.Duration
	// CPU, Busy and GC are measured as in Throughput.
	CPU, Busy time.Duration
	GC        gcSample
	// MaxInFlight is the most requests awaiting an answer at once: it
	// grows when the chain falls behind the schedule.
	MaxInFlight int
	// LateP99 is the p99 of how late requests started against their
	// schedule: the generator's own share of the latencies.
	LateP99  time.Duration
	FirstErr string
}

// newClient returns a client over one transport shared by every worker,
// keeping an idle connection per worker.
func newClient(conns int) *http.Client {
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		IdleConnTimeout:     time.Minute,
		DisableCompression:  true,
	}
	return &http.Client{Transport: tr, Timeout: requestTimeout}
}

// do sends one request of t and checks the answer; buf holds the body.
func do(ctx context.Context, c *http.Client, t *target, buf *bytes.Buffer) error {
	req, err := t.request(ctx)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	buf.Reset()
	_, err = buf.ReadFrom(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	return t.check(resp.StatusCode, buf.Bytes())
}

// firstError keeps the first error of a phase for the report.
type firstError struct {
	once sync.Once
	msg  string
}

func (f *firstError) set(err error) { f.once.Do(func() { f.msg = err.Error() }) }

// closedLoop runs workers that each send a request as soon as the previous
// one is answered, for d: the maximum throughput.
func closedLoop(ctx context.Context, c *http.Client, t *target, workers int, d time.Duration) Throughput {
	var ok, failed atomic.Int64
	var first firstError
	cpu0, busy0, gc0 := phaseCPU(t), machineBusy(), readGC()
	start := time.Now()
	deadline := start.Add(d)
	ctx, cancel := context.WithDeadline(ctx, deadline.Add(requestTimeout))
	defer cancel()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var buf bytes.Buffer
			for i := 0; i < maxRequestsPerWorker && ctx.Err() == nil && time.Now().Before(deadline); i++ {
				if err := do(ctx, c, t, &buf); err != nil {
					failed.Add(1)
					first.set(err)
					continue
				}
				ok.Add(1)
			}
		})
	}
	wg.Wait()
	return Throughput{OK: ok.Load(), Errors: failed.Load(), Elapsed: time.Since(start),
		CPU: phaseCPU(t) - cpu0, Busy: machineBusy() - busy0, GC: gc0.since(), FirstErr: first.msg}
}

// openLoop sends rate requests per second for d at fixed intervals, each
// in its own goroutine so that a slow answer never delays the next send.
// Latency counts from the scheduled send time, so time a request spent
// waiting for the generator is charged to it (no coordinated omission).
func openLoop(ctx context.Context, c *http.Client, t *target, rate int, d time.Duration) Latency {
	n := max(1, int(int64(rate)*int64(d)/int64(time.Second)))
	interval := time.Second / time.Duration(rate)
	lat := make([]time.Duration, n)
	var first firstError
	var bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}
	sem := make(chan struct{}, maxInFlight)
	ctx, cancel := context.WithTimeout(ctx, d+2*requestTimeout)
	defer cancel()
	var wg sync.WaitGroup
	// The dispatcher sleeps in the kernel on a thread of its own: Go's
	// timers wake up to a millisecond late, which would be charged to
	// every request as latency.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	late := make([]time.Duration, n)
	cpu0, busy0, gc0 := phaseCPU(t), machineBusy(), readGC()
	start := time.Now().Add(time.Millisecond)
	sent, inFlight := 0, 0
	for i := 0; i < n && ctx.Err() == nil; i++ {
		at := start.Add(time.Duration(i) * interval)
		sleepUntil(at)
		sem <- struct{}{}
		sent++
		inFlight = max(inFlight, len(sem))
		wg.Go(func() {
			defer func() { <-sem }()
			late[i] = time.Since(at)
			buf := bufs.Get().(*bytes.Buffer)
			defer bufs.Put(buf)
			err := do(ctx, c, t, buf)
			lat[i] = time.Since(at)
			if err != nil {
				lat[i] = -1
				first.set(err)
			}
		})
	}
	wg.Wait()
	r := summarize(lat[:sent], time.Since(start), first.msg)
	r.CPU, r.Busy, r.GC, r.MaxInFlight = phaseCPU(t)-cpu0, machineBusy()-busy0, gc0.since(), inFlight
	late = late[:sent]
	slices.Sort(late)
	if len(late) > 0 {
		r.LateP99 = percentile(late, 0.99)
	}
	return r
}

// sleepUntil sleeps until at with nanosleep(2), resuming after signals
// (the Go runtime preempts threads with SIGURG).
func sleepUntil(at time.Time) {
	wait := time.Until(at)
	if wait <= 0 {
		return
	}
	ts := syscall.NsecToTimespec(int64(wait))
	for syscall.Nanosleep(&ts, &ts) == syscall.EINTR {
	}
}

// summarize turns per-request latencies (-1 for a failure) into
// nearest-rank percentiles.
func summarize(lat []time.Duration, elapsed time.Duration, firstErr string) Latency {
	ok := make([]time.Duration, 0, len(lat))
	for _, l := range lat {
		if l >= 0 {
			ok = append(ok, l)
		}
	}
	sort.Slice(ok, func(i, j int) bool { return ok[i] < ok[j] })
	r := Latency{Sent: len(lat), OK: len(ok), Errors: len(lat) - len(ok), Elapsed: elapsed, FirstErr: firstErr}
	if len(ok) == 0 {
		return r
	}
	r.P50, r.P99, r.P999 = percentile(ok, 0.50), percentile(ok, 0.99), percentile(ok, 0.999)
	r.Max = ok[len(ok)-1]
	return r
}

// percentile returns the nearest-rank percentile of sorted values.
func percentile(sorted []time.Duration, p float64) time.Duration {
	rank := int(math.Ceil(p * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}
