package main

import (
	"fmt"
	"strings"
	"time"
)

// writeLimits explains the figures from what the run observed: how busy
// the cores were, and where the CPU per request went.
func (r *Report) writeLimits(w writer) {
	a, b, d := r.Result("a"), r.Result("b"), r.Result("d")
	w("## What limits it")
	w("")
	cores := float64(r.Machine.NumCPU)
	var busy, unsaturated []string
	others := 0.0
	for _, res := range r.Results {
		if !res.Measured() {
			continue
		}
		ours := coresUsed(res.Max.CPU, res.Max.Elapsed)
		all := coresUsed(res.Max.Busy, res.Max.Elapsed)
		other := max(0, all-ours)
		fixedOther := coresUsed(res.Fixed.Busy, res.Fixed.Elapsed) - coresUsed(res.Fixed.CPU, res.Fixed.Elapsed)
		others = max(others, other, fixedOther)
		busy = append(busy, fmt.Sprintf("(%s) %.2f by the benchmark + %.2f by other processes", res.Key, ours, other))
		if all < 0.85*cores {
			unsaturated = append(unsaturated, "("+res.Key+")")
		}
	}
	if len(busy) > 0 {
		w("- Cores busy during the max-throughput phases (of %d): %s.", r.Machine.NumCPU, strings.Join(busy, "; "))
		w("  Load average before the run %s, after it %s.", r.LoadBefore, r.LoadAfter)
		w("  Where the CPU is saturated, max req/s is the cores divided by the CPU per request of the whole chain:")
		w("  the generator's client work and the upstream are in every row, which narrows the gaps between targets")
		w("  compared with a server measured from another machine.")
		if len(unsaturated) > 0 {
			w("  %s left part of the CPU idle (under 85%%), so something else (connections, locks, the generator's",
				strings.Join(unsaturated, ", "))
			w("  %d workers, nginx's workers waiting on the upstream) also bounds those rows.", r.Options.Concurrency)
		}
		if others >= 0.1*cores {
			w("  Other processes on the machine took CPU during the run (up to %.2f cores): the figures are lower and", others)
			w("  noisier than on an idle machine; rerun when it is quiet.")
		}
	}
	if a.Measured() && b.Measured() && d.Measured() {
		base := a.Max.CPUPerRequest()
		w("- CPU per request beyond the direct call (a = %s): the bare proxy adds %s, Switchboard adds %s.",
			micros(base), micros(b.Max.CPUPerRequest()-base), micros(d.Max.CPUPerRequest()-base))
		w("  Garbage collection took %s of the process's CPU in (a), %s in (b), %s in (d).",
			gcShare(a.Max), gcShare(b.Max), gcShare(d.Max))
		w("  Switchboard does more than forward bytes: it authenticates the key, decodes and validates the JSON")
		w("  call, maps and renders the parameters and the auth header, parses the upstream's JSON, encodes the")
		w("  envelope, logs the request, counts it for /metrics and queues a call record that a background writer")
		w("  inserts into SQLite in batches, in this same process and on the same cores.")
		w("  `go run ./bench -cpuprofile /tmp/sb` writes each max-throughput phase's CPU profile to see where it goes.")
	}
	r.writeFixedRate(w)
	r.writeVerdict(w)
	w("")
}

// writeFixedRate says how loaded the machine was during the fixed-rate
// phases and whether each target kept up with the schedule.
func (r *Report) writeFixedRate(w writer) {
	var parts []string
	for _, res := range r.Results {
		if !res.Measured() {
			continue
		}
		f := res.Fixed
		ours := coresUsed(f.CPU, f.Elapsed)
		other := max(0, coresUsed(f.Busy, f.Elapsed)-ours)
		parts = append(parts, fmt.Sprintf("(%s) %.2f cores, other processes %.2f, at most %d in flight, p99 start delay %s, %.0f GC cycles/s",
			res.Key, ours, other, f.MaxInFlight, millis(f.LateP99), float64(f.GC.Cycles)/f.Elapsed.Seconds()))
	}
	if len(parts) == 0 {
		return
	}
	w("- At %d req/s: %s.", r.Options.Rate, strings.Join(parts, "; "))
	w("  A target that keeps up has a handful of requests in flight; hundreds mean the chain fell behind the")
	w("  schedule (its own cost, or cores taken by other processes) and the queue shows in every later latency.")
	w("  The start delay is how late the generator started requests against the schedule (timer wake-up, a free")
	w("  core for the goroutine): it is inside every latency above, and grows when the servers sharing the")
	w("  process keep both cores busy, in bursts or during a GC cycle (the collector takes a quarter of GOMAXPROCS).")
	a, d := r.Result("a"), r.Result("d")
	if !a.Measured() {
		return
	}
	w("  (a)'s p99 (%s) is the floor set by the generator, the loopback and the upstream in this shared process;", millis(a.Fixed.P99))
	w("  added p99 is what a target's own work, its scheduling and its GC add above it.")
	if d.Measured() {
		rough := (d.Fixed.P99 - d.Fixed.LateP99) - (a.Fixed.P99 - a.Fixed.LateP99)
		w("  Taking each p99 start delay off its p99 (rough: percentiles do not subtract exactly), (d) still adds")
		w("  about %s over (a): that part is Switchboard's own, not the generator's.", millis(rough))
	}
}

// writeVerdict states plainly whether the targets were reached.
func (r *Report) writeVerdict(w writer) {
	a, b, d := r.Result("a"), r.Result("b"), r.Result("d")
	if !a.Measured() || !b.Measured() || !d.Measured() {
		w("- Targets not judged: (a), (b) and (d) must all be measured.")
		return
	}
	tr := d.Max.RPS() / b.Max.RPS()
	added := d.Fixed.P99 - a.Fixed.P99
	w("- Verdict: throughput (d)/(b) = %.2f× against ≥ %.2f× (%s); added p99 = %s against ≤ %s (%s).",
		tr, wantThroughputRatio, metWord(tr >= wantThroughputRatio), millis(added), millis(wantAddedP99), metWord(added <= wantAddedP99))
}

func metWord(ok bool) string {
	if ok {
		return "met"
	}
	return "not met"
}

func gcShare(t Throughput) string {
	if t.CPU <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.0f%%", 100*t.GC.CPU.Seconds()/t.CPU.Seconds())
}

func coresUsed(cpu, elapsed time.Duration) float64 {
	if elapsed <= 0 {
		return 0
	}
	return cpu.Seconds() / elapsed.Seconds()
}
