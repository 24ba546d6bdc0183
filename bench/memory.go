package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
)

// memoryAnchor starts the memory section, at the end of the report; the
// other modes keep what follows it.
const memoryAnchor = "<!-- memory table goes below -->"

// memoryConcurrency is how many calls of a large answer run at once.
const memoryConcurrency = 16

// MemoryScenario is one measured load on a fresh server process.
type MemoryScenario struct {
	Name     string
	Function string
	Calls    int
	// Statuses counts the answers by status; Codes by problem code.
	Statuses map[int]int
	Codes    map[string]int
	// AnswerBytes is the largest answer body a caller received.
	AnswerBytes int64
	// Idle is the process's memory 7 s after its start and one small call,
	// before the load; Peak its VmHWM after the load and After its VmRSS then.
	Idle, Peak Memory
	Elapsed    time.Duration
	Err        error
}

// MemoryReport is the outcome of `go run ./bench -memory`.
type MemoryReport struct {
	Date      time.Time
	Machine   Machine
	JSONBytes int
	XMLBytes  int
	PerPage   int
	Scenarios []*MemoryScenario
}

// RunMemory measures the peak resident set of the real server process for
// 16 concurrent calls of a 10 MB JSON answer, of an 8.4 MB XML answer, and
// for one call of 20 pages of 10 MB; each load gets a process of its own.
func RunMemory(ctx context.Context, progress io.Writer) (*MemoryReport, error) {
	big := newBigAnswers()
	up, err := serve(big.handler())
	if err != nil {
		return nil, err
	}
	defer up.Close()
	dir, err := os.MkdirTemp("", "switchboard-memory-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	bin, err := buildServer(ctx, dir)
	if err != nil {
		return nil, err
	}
	key, err := seedMemoryDB(ctx, dir, up.URL, big.perPage)
	if err != nil {
		return nil, fmt.Errorf("seed the database: %w", err)
	}
	rep := &MemoryReport{Date: time.Now().UTC(), Machine: machine(), JSONBytes: len(big.json), XMLBytes: len(big.xml),
		PerPage: big.perPage}
	for _, s := range []*MemoryScenario{
		{Name: fmt.Sprintf("%d concurrent calls, %.1f MB JSON each", memoryConcurrency, mb(len(big.json))), Function: "BigJSON", Calls: memoryConcurrency},
		{Name: fmt.Sprintf("%d concurrent calls, %.1f MB XML each", memoryConcurrency, mb(len(big.xml))), Function: "BigXML", Calls: memoryConcurrency},
		{Name: fmt.Sprintf("1 call of %d pages × %.1f MB JSON", memPages, mb(len(big.json))), Function: "BigPages", Calls: 1},
	} {
		s.Err = runMemoryScenario(ctx, bin, dir, key, s)
		fmt.Fprintf(progress, "memory: %s: peak %s, statuses %v, codes %v (%s)\n", s.Name, mib(s.Peak.HWM), s.Statuses, s.Codes,
			s.Elapsed.Round(time.Millisecond))
		rep.Scenarios = append(rep.Scenarios, s)
	}
	return rep, ctx.Err()
}

// idleAfter is how long after its start a server counts as idle.
const idleAfter = 7 * time.Second

// runMemoryScenario starts a server process, warms it with one call of
// the small JSON function answered too large or not, then sends the
// scenario's calls at once and reads the process's memory.
func runMemoryScenario(ctx context.Context, bin, dir, key string, s *MemoryScenario) error {
	p, err := startServer(ctx, bin, dir)
	if err != nil {
		return err
	}
	defer p.Close()
	client := &http.Client{Timeout: 5 * time.Minute}
	defer client.CloseIdleConnections()
	started := time.Now()
	if _, _, _, err := callFunction(ctx, client, p.URL, key, "NoSuchFunction"); err != nil {
		return err
	}
	// Idle is read once the start-up work is over (the server gives its
	// start-up heap back to the OS 5 s after it starts serving).
	select {
	case <-time.After(time.Until(started.Add(idleAfter))):
	case <-ctx.Done():
		return ctx.Err()
	}
	s.Idle = p.Memory()
	s.Statuses, s.Codes = map[int]int{}, map[string]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	var firstErr error
	start := time.Now()
	for range s.Calls {
		wg.Go(func() {
			status, code, n, err := callFunction(ctx, client, p.URL, key, s.Function)
			mu.Lock()
			defer mu.Unlock()
			if err != nil && firstErr == nil {
				firstErr = err
			}
			s.Statuses[status]++
			if code != "" {
				s.Codes[code]++
			}
			s.AnswerBytes = max(s.AnswerBytes, n)
		})
	}
	wg.Wait()
	s.Elapsed = time.Since(start)
	s.Peak = p.Memory()
	return firstErr
}

// callFunction executes function as an agent and reads the whole answer;
// it returns the status, the problem code of an error answer and the size
// of the body.
func callFunction(ctx context.Context, c *http.Client, base, key, function string) (int, string, int64, error) {
	body := fmt.Sprintf(`{"function":%q,"params":{}}`, function)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/integrations/bench", strings.NewReader(body))
	if err != nil {
		return 0, "", 0, err
	}
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", 0, err
	}
	defer resp.Body.Close()
	head := make([]byte, 4096)
	k, _ := io.ReadFull(resp.Body, head)
	rest, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		return resp.StatusCode, "", 0, err
	}
	code := ""
	if resp.StatusCode != http.StatusOK {
		code = problemCode(head[:k])
	}
	return resp.StatusCode, code, int64(k) + rest, nil
}

// problemCode finds the "code" member of a problem document's head.
func problemCode(b []byte) string {
	_, after, ok := bytes.Cut(b, []byte(`"code":"`))
	if !ok {
		return "?"
	}
	code, _, _ := bytes.Cut(after, []byte(`"`))
	return string(code)
}

// mb is a byte count in decimal megabytes.
func mb(n int) float64 { return float64(n) / 1e6 }
