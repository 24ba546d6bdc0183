package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"time"
)

// tier is one process under measurement, reached with req.
type tier struct {
	name  string
	kid   *child // nil for the direct call (the upstream itself)
	pid   int
	pprof string
	req   func(ctx context.Context, n int64) (*http.Request, error)
	want  int
	mark  []byte
}

// call sends one request and checks the answer.
func (t *tier) call(c *http.Client) func(ctx context.Context, n int64) error {
	return func(ctx context.Context, n int64) error {
		req, err := t.req(ctx, n)
		if err != nil {
			return err
		}
		res, err := c.Do(req)
		if err != nil {
			return err
		}
		b, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			return err
		}
		if res.StatusCode != t.want || !bytes.Contains(b, t.mark) {
			return fmt.Errorf("%s: status %d: %.200s", t.name, res.StatusCode, b)
		}
		return nil
	}
}

func loadClient(conns int) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = conns*2, conns*2
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// startTier starts a tier child and reads its ready line.
func startTier(name string, args ...string) (*tier, []string, error) {
	k, err := startChild(nil, args...)
	if err != nil {
		return nil, nil, err
	}
	f := strings.Fields(k.line)
	return &tier{name: name, kid: k, pid: k.cmd.Process.Pid, pprof: f[2]}, f, nil
}

// measured is one tier's figures in one round.
type measured struct {
	fixed, max run
	tierCPU    time.Duration
}

// measure runs the fixed-rate phase then the closed-loop phase of t.
func measure(ctx context.Context, t *tier, c *http.Client, rate, conc int, d time.Duration) measured {
	var n atomic.Int64
	var m measured
	m.fixed = openLoop(ctx, rate, d, &n, t.call(c))
	cpu0 := tierCPU(t)
	m.max = closedLoop(ctx, conc, d, &n, t.call(c))
	m.tierCPU = tierCPU(t) - cpu0
	return m
}

func tierCPU(t *tier) time.Duration {
	if t.pid == 0 {
		return 0
	}
	return procCPU(t.pid)
}

// profileTier takes a CPU profile of t's process under closed-loop load.
func profileTier(ctx context.Context, t *tier, c *http.Client, conc int, d time.Duration, path string) error {
	var n atomic.Int64
	done := make(chan run)
	go func() { done <- closedLoop(ctx, conc, d+2*time.Second, &n, t.call(c)) }()
	time.Sleep(time.Second)
	allocs := make(chan error, 1)
	go func() { // the allocations of the same seconds, beside the CPU profile
		allocs <- savePprof(fmt.Sprintf("%s/debug/pprof/allocs?seconds=%d", t.pprof, int(d.Seconds())),
			strings.TrimSuffix(path, ".prof")+"-allocs.prof")
	}()
	err := savePprof(fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", t.pprof, int(d.Seconds())), path)
	r := <-done
	fmt.Printf("profiled %s: %d answers in %s (the profiles cover %s of them)\n", t.name, r.OK, d+2*time.Second, d)
	return errors.Join(err, <-allocs)
}

// savePprof writes what url answers to path.
func savePprof(url, path string) error {
	res, err := http.Get(url)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	_, err = io.Copy(f, res.Body)
	return errors.Join(err, f.Close())
}

// rss reads VmRSS and VmHWM (KiB) of pid.
func rss(pid int) string {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmRSS") || strings.HasPrefix(l, "VmHWM") {
			out = append(out, strings.Join(strings.Fields(l), " "))
		}
	}
	return strings.Join(out, ", ")
}

// agentCommand measures the agent path against a bare ReverseProxy, each
// in its own GOMAXPROCS=1 process, in turns.
func agentCommand(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("agent", flag.ContinueOnError)
	rounds := fs.Int("rounds", 3, "rounds")
	d := fs.Duration("duration", 5*time.Second, "length of each phase")
	rate := fs.Int("rate", 1000, "requests per second of the fixed-rate phase")
	conc := fs.Int("concurrency", 64, "closed-loop workers")
	prof := fs.String("cpuprofile", "", "profile prefix (a last phase per tier)")
	tracePrefix := fs.String("trace", "", "execution trace prefix (a last fixed-rate phase per tier, read for the tail)")
	long := fs.Duration("long-wait", time.Millisecond, "with -trace: a wait for the P this long is the tail")
	up, err := parseAndStart(fs, args)
	if err != nil {
		return err
	}
	defer up.stop(true)
	proxy, _, err := startTier("bare ReverseProxy", "tier-proxy", up.line)
	if err != nil {
		return err
	}
	defer proxy.kid.stop(true)
	sb, f, err := startTier("Switchboard", "tier-app", "agent", up.line)
	if err != nil {
		return err
	}
	defer sb.kid.stop(true)
	direct := &tier{name: "direct", pid: up.cmd.Process.Pid}
	get := func(base string) func(ctx context.Context, n int64) (*http.Request, error) {
		return func(ctx context.Context, n int64) (*http.Request, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/patients/42", nil)
			if err == nil {
				req.Header.Set("Authorization", upstreamAuth)
			}
			return req, err
		}
	}
	direct.req, direct.want, direct.mark = get(up.line), 200, []byte(`"PatNum":42`)
	proxy.req, proxy.want, proxy.mark = get(f0(proxy)), 200, []byte(`"PatNum":42`)
	body := []byte(`{"function":"GetPatient","params":{"patient_id":42}}`)
	sbURL, key := f[0]+"/api/integrations/bench", f[1]
	sb.req = func(ctx context.Context, n int64) (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, sbURL, bytes.NewReader(body))
		if err == nil {
			req.Header.Set("Authorization", "Bearer "+key)
			req.Header.Set("Content-Type", "application/json")
		}
		return req, err
	}
	sb.want, sb.mark = 200, []byte(`"ok":true`)
	c := loadClient(*conc)
	idle := rss(sb.pid)
	tiers := []*tier{direct, proxy, sb}
	for _, t := range tiers { // warm-up
		var n atomic.Int64
		if r := closedLoop(ctx, 8, time.Second, &n, t.call(c)); r.Errors > 0 {
			return fmt.Errorf("warm-up %s: %s", t.name, r.FirstErr)
		}
	}
	fmt.Println("| round | target | p50 at rate | p99 at rate | max req/s | tier CPU per 1k | errors |")
	fmt.Println("| --: | --- | --: | --: | --: | --: | --: |")
	all := map[string][]measured{}
	for r := 1; r <= *rounds; r++ {
		for _, t := range tiers {
			m := measure(ctx, t, c, *rate, *conc, *d)
			all[t.name] = append(all[t.name], m)
			fmt.Printf("| %d | %s | %s | %s | %.0f | %s | %d/%d |\n", r, t.name, ms(pct(m.fixed.Lat, 0.5)), ms(pct(m.fixed.Lat, 0.99)),
				m.max.PerSec(), ms(m.tierCPU*1000/time.Duration(max(m.max.OK, 1))), m.fixed.Errors, m.max.Errors)
		}
	}
	summarizeAgent(all)
	fmt.Printf("Switchboard RSS idle: %s; after the rounds: %s\n", idle, rss(sb.pid))
	if *tracePrefix != "" {
		for _, t := range []*tier{proxy, sb} {
			path := *tracePrefix + "-" + strings.ReplaceAll(strings.ToLower(t.name), " ", "-") + ".trace"
			r, err := traceTier(ctx, t, t.call(c), *rate, *d, path)
			if err != nil {
				return err
			}
			rep, err := readTail(path, *long)
			if err != nil {
				return err
			}
			fmt.Printf("trace %s: p50 %s, p99 %s at %d/s\n", path, ms(pct(r.Lat, 0.5)), ms(pct(r.Lat, 0.99)), *rate)
			rep.print(t.name, r.OK, *long)
		}
	}
	if *prof != "" {
		for _, t := range []*tier{proxy, sb} {
			path := *prof + "-" + strings.ReplaceAll(strings.ToLower(t.name), " ", "-") + ".prof"
			if err := profileTier(ctx, t, c, *conc, 8*time.Second, path); err != nil {
				return err
			}
			fmt.Println("profile:", path)
		}
	}
	return nil
}

func f0(t *tier) string { return strings.Fields(t.kid.line)[0] }

// summarizeAgent prints the ratios per round and their range.
func summarizeAgent(all map[string][]measured) {
	var ratios, added, addedProxy []float64
	for i := range all["direct"] {
		p, s, d := all["bare ReverseProxy"][i], all["Switchboard"][i], all["direct"][i]
		cpuP := float64(p.tierCPU) / float64(max(p.max.OK, 1))
		cpuS := float64(s.tierCPU) / float64(max(s.max.OK, 1))
		ratios = append(ratios, cpuS/cpuP)
		d99 := float64(pct(d.fixed.Lat, 0.99)) / 1e6
		added = append(added, float64(pct(s.fixed.Lat, 0.99))/1e6-d99)
		addedProxy = append(addedProxy, float64(pct(p.fixed.Lat, 0.99))/1e6-d99)
	}
	slices.Sort(ratios)
	fmt.Printf("tier CPU Switchboard / bare proxy per round: %.2f", ratios)
	fmt.Printf("; added p99 over direct (ms): Switchboard %.2f, bare proxy %.2f\n", added, addedProxy)
}

// dualWriteCommand measures POST /api/appointments (dual_write, no sync
// workers) with writers closed-loop clients against the app in its own
// GOMAXPROCS=1 process: creates per second and the app's CPU per 1k.
func dualWriteCommand(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("dualwrite", flag.ContinueOnError)
	rounds := fs.Int("rounds", 2, "rounds (each on a fresh app and database)")
	d := fs.Duration("duration", 10*time.Second, "length of the phase")
	writers := fs.Int("writers", 16, "closed-loop writers")
	idem := fs.Bool("idempotency-key", false, "send an Idempotency-Key with every create")
	prof := fs.String("cpuprofile", "", "profile prefix (the last round is profiled)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	fmt.Println("| round | creates/s | app CPU per 1k | app RSS after | errors |")
	fmt.Println("| --: | --: | --: | --- | --: |")
	for r := 1; r <= *rounds; r++ {
		sb, f, err := startTier("Switchboard", "tier-app", "dualwrite")
		if err != nil {
			return err
		}
		url, key := f[0]+"/api/appointments", f[1]
		sb.want, sb.mark = 201, []byte(`"status":"pending"`)
		sb.req = func(ctx context.Context, n int64) (*http.Request, error) {
			start := day0.Add(time.Duration(n) * 30 * time.Minute)
			body := fmt.Appendf(nil, `{"patient_id":1,"start":%q,"duration_minutes":30,"operatory_ref":"1","provider_ref":"1","appointment_type":"Cleaning"}`,
				start.Format(time.RFC3339))
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
			if err == nil {
				req.Header.Set("Authorization", "Bearer "+key)
				req.Header.Set("Content-Type", "application/json")
				if *idem {
					req.Header.Set("Idempotency-Key", fmt.Sprintf("k-%d", n))
				}
			}
			return req, err
		}
		c := loadClient(*writers)
		var n atomic.Int64
		if *prof != "" && r == *rounds {
			if err := profileTier(ctx, sb, c, *writers, *d, *prof+"-dualwrite.prof"); err != nil {
				return err
			}
			fmt.Println("profile:", *prof+"-dualwrite.prof")
			sb.kid.stop(true)
			continue
		}
		cpu0 := procCPU(sb.pid)
		m := closedLoop(ctx, *writers, *d, &n, sb.call(c))
		cpu := procCPU(sb.pid) - cpu0
		fmt.Printf("| %d | %.0f | %s | %s | %d (%s) |\n", r, m.PerSec(), ms(cpu*1000/time.Duration(max(m.OK, 1))), rss(sb.pid), m.Errors, m.FirstErr)
		sb.kid.stop(true)
	}
	return nil
}
