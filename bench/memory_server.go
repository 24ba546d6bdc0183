package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// serverProcess is the real switchboard binary serving a seeded database
// on loopback, in a process of its own so that its resident set can be
// read from /proc.
type serverProcess struct {
	cmd  *exec.Cmd
	URL  string
	done chan error
}

// buildServer compiles ./cmd/switchboard into dir (the benchmark runs
// from the repository root).
func buildServer(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "switchboard")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/switchboard")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("build ./cmd/switchboard: %w: %s", err, strings.TrimSpace(string(out)))
	}
	return bin, nil
}

// seedMemoryDB creates the database of the memory benchmark in dir: the
// organization, an agent key, and the "bench" integration pointed at
// upstream with its credentials. It returns the key.
func seedMemoryDB(ctx context.Context, dir, upstream string, perPage int) (string, error) {
	a, err := newApp(ctx, "sqlite://"+filepath.Join(dir, "sb.db"), dir, "warn", nil)
	if err != nil {
		return "", err
	}
	defer a.Close()
	orgID, key, err := seedOrganization(ctx, a)
	if err != nil {
		return "", err
	}
	in, err := a.Registry.Create(ctx, orgID, memoryDocument(upstream, perPage), "")
	if err != nil {
		return "", err
	}
	fields := map[string]string{"developer_key": upstreamDeveloperKey, "customer_key": upstreamCustomerKey}
	return key, saveCredentials(ctx, a, orgID, in.ID, fields)
}

// startServer runs `switchboard serve` on the seeded database and waits
// for its "listening" line to learn its address.
func startServer(ctx context.Context, bin, dir string) (*serverProcess, error) {
	cmd := exec.CommandContext(ctx, bin, "serve")
	cmd.Env = append(os.Environ(),
		"DATABASE_URL=sqlite://"+filepath.Join(dir, "sb.db"),
		"SWITCHBOARD_DATA_DIR="+dir,
		"SWITCHBOARD_SECRET_KEY="+benchSecretKey,
		"SWITCHBOARD_ALLOW_DESTINATIONS=127.0.0.0/8",
		"SWITCHBOARD_ADDR=127.0.0.1:0",
		"SWITCHBOARD_LOG_LEVEL=info",
		"SWITCHBOARD_LOG_FORMAT=json",
		"SWITCHBOARD_SYNC_WORKERS=0",
	)
	cmd.Stderr = io.Discard
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start switchboard serve: %w", err)
	}
	p := &serverProcess{cmd: cmd, done: make(chan error, 1)}
	addr := make(chan string, 1)
	go p.readLog(out, addr)
	select {
	case a := <-addr:
		p.URL = "http://" + a
		return p, nil
	case err := <-p.done:
		return nil, fmt.Errorf("switchboard serve stopped before listening: %v", err)
	case <-time.After(30 * time.Second):
		p.Close()
		return nil, errors.New("switchboard serve did not report listening within 30s")
	}
}

// readLog finds the address in the "switchboard listening" record, then
// drains the log until the process ends.
func (p *serverProcess) readLog(r io.Reader, addr chan<- string) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var rec struct {
			Msg  string `json:"msg"`
			Addr string `json:"addr"`
		}
		if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Msg == "switchboard listening" && rec.Addr != "" {
			addr <- rec.Addr
			break
		}
	}
	_, _ = io.Copy(io.Discard, r)
	p.done <- p.cmd.Wait()
}

// Memory reads the process's VmRSS and VmHWM.
func (p *serverProcess) Memory() Memory { return procMemory(strconv.Itoa(p.cmd.Process.Pid)) }

// Close stops the process (SIGINT: a graceful shutdown) and waits for it.
func (p *serverProcess) Close() {
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}
