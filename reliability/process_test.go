package reliability

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// testSecretKey is the SWITCHBOARD_SECRET_KEY of every server started here.
const testSecretKey = "c3dpdGNoYm9hcmQtdGVzdC1rZXktMzItYnl0ZXMhISE="

// build holds the switchboard binary, built once per test run.
var build struct {
	once sync.Once
	dir  string
	bin  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if build.dir != "" {
		os.RemoveAll(build.dir)
	}
	os.Exit(code)
}

// binary builds ./cmd/switchboard into a temporary folder the first time
// it is called. The binary is built without the race detector (and without
// cgo, as CI builds it) so that it runs at production speed on a busy
// machine.
func binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("reliability: starts the server as a subprocess")
	}
	build.once.Do(func() {
		build.dir, build.err = os.MkdirTemp("", "switchboard-reliability-")
		if build.err != nil {
			return
		}
		build.bin = filepath.Join(build.dir, "switchboard")
		cmd := exec.Command("go", "build", "-o", build.bin, "switchboard/cmd/switchboard")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			build.err = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if build.err != nil {
		t.Fatalf("reliability: %v", build.err)
	}
	return build.bin
}

// server is the switchboard binary serving one database on a fixed
// loopback port, which it keeps across restarts.
type server struct {
	t    *testing.T
	bin  string
	env  []string
	addr string
	// URL is the base URL of the API.
	URL  string
	logs string

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{}
	starts int
}

// newServer prepares a server on dbURL; start runs it.
func newServer(t *testing.T, dbURL string) *server {
	t.Helper()
	s := &server{t: t, bin: binary(t), addr: freeAddr(t), logs: filepath.Join(t.TempDir(), "server.log")}
	s.URL = "http://" + s.addr
	s.env = append(os.Environ(),
		"DATABASE_URL="+dbURL,
		"SWITCHBOARD_DATA_DIR="+t.TempDir(),
		"SWITCHBOARD_SECRET_KEY="+testSecretKey,
		"SWITCHBOARD_ALLOW_DESTINATIONS=127.0.0.0/8,::1/128",
		"SWITCHBOARD_ADDR="+s.addr,
		"SWITCHBOARD_LOG_FORMAT=text",
		"SWITCHBOARD_LOG_LEVEL=warn",
		"SWITCHBOARD_SHUTDOWN_TIMEOUT=5s",
	)
	t.Cleanup(func() {
		s.stop()
		if t.Failed() {
			s.dumpLogs()
		}
	})
	return s
}

// freeAddr returns a loopback address with a port nobody listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("reliability: pick a port: %v", err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// cli runs a subcommand on the server's database and returns its output.
func (s *server) cli(args ...string) string {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, s.bin, args...)
	cmd.Env = s.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		s.t.Fatalf("reliability: switchboard %s: %v\n%s", args[0], err, stderr.String())
	}
	return stdout.String()
}

// start runs `switchboard serve` and waits until /healthz answers.
func (s *server) start() {
	s.t.Helper()
	logs, err := os.OpenFile(s.logs, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		s.t.Fatalf("reliability: %v", err)
	}
	defer logs.Close()
	cmd := exec.Command(s.bin, "serve")
	cmd.Env = s.env
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("reliability: start the server: %v", err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	s.mu.Lock()
	s.cmd, s.exited = cmd, exited
	s.starts++
	s.mu.Unlock()
	s.waitHealthy(exited)
}

// waitHealthy polls /healthz until it answers 200; the server exiting or
// a minute passing fails the test.
func (s *server) waitHealthy(exited chan struct{}) {
	s.t.Helper()
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(time.Minute)
	for {
		resp, err := client.Get(s.URL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-exited:
			s.t.Fatalf("reliability: the server exited while starting (see its log)")
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("reliability: the server did not answer /healthz within a minute: %v", err)
		}
	}
}

// kill ends the server with SIGKILL, as a crash or the OOM killer would,
// and waits for it to be gone.
func (s *server) kill() {
	s.t.Helper()
	s.mu.Lock()
	cmd, exited := s.cmd, s.exited
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		s.t.Fatalf("reliability: kill the server: %v", err)
	}
	<-exited
}

// stop ends the server gracefully (SIGTERM), killing it if it takes too
// long.
func (s *server) stop() {
	s.mu.Lock()
	cmd, exited := s.cmd, s.exited
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(20 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
	}
}

// dumpLogs prints the end of the server's log into the test output.
func (s *server) dumpLogs() {
	b, err := os.ReadFile(s.logs)
	if err != nil {
		return
	}
	if len(b) > 8000 {
		b = b[len(b)-8000:]
	}
	s.t.Logf("server log (end):\n%s", b)
}

// lastLine is the last non-empty line of out.
func lastLine(out string) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
