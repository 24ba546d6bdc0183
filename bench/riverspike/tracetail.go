package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/exp/trace"
)

// The tail of the agent path: a CPU profile shows where a tier spends its
// CPU, not why one answer in a hundred is late. traceTier records a Go
// execution trace of a tier at the fixed rate and tailReport reads it:
// how long the tier's goroutines waited for the one P once runnable, how
// often the garbage collector ran, and — for the long waits — what held
// the P meanwhile.

// traceTier runs the fixed-rate phase on t for d+2 s and saves an
// execution trace of d of it to path.
func traceTier(ctx context.Context, t *tier, fn func(context.Context, int64) error, rate int, d time.Duration, path string) (run, error) {
	var n atomic.Int64
	done := make(chan run)
	go func() { done <- openLoop(ctx, rate, d+2*time.Second, &n, fn) }()
	time.Sleep(time.Second)
	err := savePprof(fmt.Sprintf("%s/debug/pprof/trace?seconds=%d", t.pprof, int(d.Seconds())), path)
	return <-done, err
}

// interval is a span of one goroutine on the P, or of one wait for it.
type interval struct {
	from, to trace.Time
	g        trace.GoID
	syscall  bool // in a system call or a cgo call, holding the P until the runtime takes it back
}

// tailReport is what one trace says about waiting.
type tailReport struct {
	span       time.Duration
	gcCycles   int
	markTime   time.Duration
	stwTime    time.Duration
	assistTime time.Duration
	waits      []time.Duration // runnable → running, every goroutine
	longWaits  int
	longTotal  time.Duration
	heldBy     map[string]time.Duration // what ran during the long waits
	runBy      map[string]time.Duration // what ran (not in calls) over the whole trace
	longest    map[string]time.Duration // the longest single hold of a P by each
}

// readTail reads the trace at path; waits longer than long are the tail.
func readTail(path string, long time.Duration) (*tailReport, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := trace.NewReader(f)
	if err != nil {
		return nil, err
	}
	s := &tailScan{kind: map[trace.GoID]string{},
		occupant: map[trace.ProcID]interval{}, held: map[trace.ProcID][]interval{},
		ready: map[trace.GoID]trace.Time{}, ranges: map[string]trace.Time{}, rep: &tailReport{}}
	for {
		ev, err := r.ReadEvent()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		s.event(ev)
	}
	s.finish(long)
	return s.rep, nil
}

// tailScan is readTail's state while it reads.
type tailScan struct {
	first, last trace.Time
	kind        map[trace.GoID]string     // goroutine → its outermost function
	ready       map[trace.GoID]trace.Time // runnable since
	ranges      map[string]trace.Time     // GC ranges open, by name and goroutine
	waited      []interval
	occupant    map[trace.ProcID]interval   // who holds each P, since when (g -1: nobody)
	held        map[trace.ProcID][]interval // each P's past occupants, in order
	rep         *tailReport
}

// nobody is the occupant of a P that no goroutine is running on or
// holding in a call.
const nobody = trace.GoID(-1)

// occupy records that from at on, P p is held by g (in a call when
// syscall), or by nobody.
func (s *tailScan) occupy(p trace.ProcID, g trace.GoID, syscall bool, at trace.Time) {
	if p == trace.NoProc {
		return
	}
	if o, ok := s.occupant[p]; ok && at > o.from {
		o.to = at
		s.held[p] = append(s.held[p], o)
	}
	s.occupant[p] = interval{from: at, g: g, syscall: syscall}
}

func (s *tailScan) event(ev trace.Event) {
	if s.first == 0 {
		s.first = ev.Time()
	}
	s.last = ev.Time()
	switch ev.Kind() {
	case trace.EventStateTransition:
		st := ev.StateTransition()
		switch st.Resource.Kind {
		case trace.ResourceGoroutine:
			s.goroutine(st.Resource.Goroutine(), st, ev.Proc(), ev.Time())
		case trace.ResourceProc:
			// A P taken from a goroutine in a call (or going idle) is
			// nobody's until a goroutine runs on it.
			if _, to := st.Proc(); to == trace.ProcIdle {
				s.occupy(st.Resource.Proc(), nobody, false, ev.Time())
			}
		}
	case trace.EventRangeBegin:
		key := rangeKey(ev)
		s.ranges[key] = ev.Time()
		if ev.Range().Name == "GC concurrent mark phase" {
			s.rep.gcCycles++
		}
	case trace.EventRangeEnd:
		name := ev.Range().Name
		key := rangeKey(ev)
		from, ok := s.ranges[key]
		if !ok {
			return
		}
		delete(s.ranges, key)
		d := time.Duration(ev.Time() - from)
		switch {
		case name == "GC concurrent mark phase":
			s.rep.markTime += d
		case strings.HasPrefix(name, "stop-the-world"):
			s.rep.stwTime += d
		case name == "GC mark assist":
			s.rep.assistTime += d
		}
	}
}

// rangeKey is a range's name and, for one scoped to a goroutine, the
// goroutine.
func rangeKey(ev trace.Event) string {
	rg := ev.Range()
	if rg.Scope.Kind == trace.ResourceGoroutine {
		return fmt.Sprint(rg.Name, rg.Scope.Goroutine())
	}
	return rg.Name
}

func (s *tailScan) goroutine(g trace.GoID, st trace.StateTransition, p trace.ProcID, at trace.Time) {
	if fn := outermost(st.Stack); fn != "" {
		s.kind[g] = fn
	}
	from, to := st.Goroutine()
	switch {
	case to == trace.GoRunning:
		s.occupy(p, g, false, at)
	case from == trace.GoRunning && to == trace.GoSyscall:
		s.occupy(p, g, true, at) // the P stays with it until taken
	case from == trace.GoRunning:
		s.occupy(p, nobody, false, at)
	}
	switch to {
	case trace.GoRunning:
		if t0, ok := s.ready[g]; ok {
			s.waited = append(s.waited, interval{t0, at, g, false})
			delete(s.ready, g)
		}
	case trace.GoRunnable:
		s.ready[g] = at
	}
}

// outermost is the entry function of a goroutine's stack, the one
// handed to a wrapper such as sync.WaitGroup.Go rather than the wrapper.
func outermost(st trace.Stack) string {
	var fns []string
	for f := range st.Frames() {
		fns = append(fns, f.Func)
	}
	for i := len(fns) - 1; i >= 0; i-- {
		if !wrapper(fns[i]) || i == 0 {
			return fns[i]
		}
	}
	return ""
}

func wrapper(fn string) bool {
	return strings.HasPrefix(fn, "sync.(*WaitGroup).Go") || strings.HasPrefix(fn, "golang.org/x/sync/errgroup.") ||
		fn == "runtime.goexit"
}

// finish measures the waits and what held the P during the long ones.
func (s *tailScan) finish(long time.Duration) {
	rep := s.rep
	rep.span = time.Duration(s.last - s.first)
	rep.heldBy, rep.runBy, rep.longest = map[string]time.Duration{}, map[string]time.Duration{}, map[string]time.Duration{}
	for p, o := range s.occupant { // the occupants at the end of the trace
		s.occupy(p, o.g, o.syscall, s.last+1)
	}
	for _, held := range s.held {
		for _, h := range held {
			d := time.Duration(h.to - h.from)
			rep.longest[s.label(h)] = max(rep.longest[s.label(h)], d)
			if h.g != nobody && !h.syscall {
				rep.runBy[s.label(h)] += d
			}
		}
	}
	for _, w := range s.waited {
		d := time.Duration(w.to - w.from)
		rep.waits = append(rep.waits, d)
		if d < long {
			continue
		}
		rep.longWaits++
		rep.longTotal += d
		for _, held := range s.held { // each P's occupants follow one another
			i := sort.Search(len(held), func(i int) bool { return held[i].to > w.from })
			for ; i < len(held) && held[i].from < w.to; i++ {
				rep.heldBy[s.label(held[i])] += time.Duration(min(held[i].to, w.to) - max(held[i].from, w.from))
			}
		}
	}
	slices.Sort(rep.waits)
}

// label names an interval by its goroutine's entry function.
func (s *tailScan) label(r interval) string {
	if r.g == nobody {
		return "(the P free, no thread taking it: the process's threads not running)"
	}
	fn := s.kind[r.g]
	if fn == "" {
		fn = "(unknown)"
	}
	if r.syscall {
		return fn + " [in a system or cgo call]"
	}
	return fn
}

// print writes the report of one tier.
func (rep *tailReport) print(name string, answers int64, long time.Duration) {
	secs := rep.span.Seconds()
	fmt.Printf("%s: %.1f s traced, %d answers in the phase; GC %.1f cycles/s, mark phase %.1f %% of the time, "+
		"mark assists %s/s, stop-the-world %s/s\n", name, secs, answers, float64(rep.gcCycles)/secs,
		100*rep.markTime.Seconds()/secs, us(time.Duration(float64(rep.assistTime)/secs)), us(time.Duration(float64(rep.stwTime)/secs)))
	fmt.Printf("  waits for the P once runnable: %d; p50 %s, p99 %s, p99.9 %s, max %s; over %s: %d (%s/s in all)\n",
		len(rep.waits), us(pct(rep.waits, 0.5)), us(pct(rep.waits, 0.99)), us(pct(rep.waits, 0.999)),
		us(pct(rep.waits, 1)), ms(long), rep.longWaits, ms(time.Duration(float64(rep.longTotal)/secs)))
	printShares("  on the P during those long waits", rep.heldBy, rep.longest)
	printShares("  running over the whole trace", rep.runBy, rep.longest)
}

func printShares(title string, m, longest map[string]time.Duration) {
	var total time.Duration
	for _, d := range m {
		total += d
	}
	keys := slices.SortedFunc(maps.Keys(m), func(a, b string) int { return int(m[b] - m[a]) })
	fmt.Printf("%s (%s):\n", title, ms(total))
	for i, k := range keys {
		if i == 8 {
			break
		}
		fmt.Printf("    %5.1f %%  %s (longest hold of the P %s)\n", 100*float64(m[k])/float64(max(total, 1)), k, us(longest[k]))
	}
}

// tailCommand reads saved traces: riverspike tail [-long-wait 1ms] FILE...
func tailCommand(args []string) error {
	fs := flag.NewFlagSet("tail", flag.ContinueOnError)
	long := fs.Duration("long-wait", time.Millisecond, "a wait for the P this long is the tail")
	if err := fs.Parse(args); err != nil {
		return err
	}
	for _, path := range fs.Args() {
		rep, err := readTail(path, *long)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		rep.print(path, 0, *long)
	}
	return nil
}
