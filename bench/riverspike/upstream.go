package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
)

// runUpstream serves the loopback upstream in its own process, so that
// its CPU is not the engine's: POST /appointments answers 201 with a new
// AptNum; POST /poll counts a poll (a list_changed call); GET /count and
// GET /polls read the counters.
func runUpstream() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	var created, polls atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("POST /appointments", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		n := created.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"AptNum":%d,"AptStatus":"Scheduled"}`, n)
	})
	mux.HandleFunc("POST /poll", func(w http.ResponseWriter, r *http.Request) {
		polls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"items":[]}`)
	})
	mux.HandleFunc("GET /patients/{PatNum}", patientHandler)
	mux.HandleFunc("GET /count", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, created.Load()) })
	mux.HandleFunc("GET /polls", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, polls.Load()) })
	fmt.Printf("http://%s\n", ln.Addr())
	return http.Serve(ln, mux)
}

// parseAndStart parses a command's flags and starts the upstream child.
func parseAndStart(fs *flag.FlagSet, args []string) (*child, error) {
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return startUpstream()
}

// startUpstream starts the upstream child.
func startUpstream() (*child, error) { return startChild(nil, "upstream") }

// child is a process of this program started by the parent.
type child struct {
	cmd  *exec.Cmd
	line string // its first line of output
}

// startChild runs this program with args (GOMAXPROCS=1 unless env says
// otherwise) and waits for its first line.
func startChild(env []string, args ...string) (*child, error) {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "GOMAXPROCS=1"), env...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		_ = cmd.Process.Kill()
		return nil, fmt.Errorf("child %v: %w", args, err)
	}
	go func() { _, _ = io.Copy(io.Discard, out) }()
	return &child{cmd: cmd, line: strings.TrimSpace(line)}, nil
}

// stop ends the child (SIGKILL when hard) and waits for it.
func (c *child) stop(hard bool) {
	if hard {
		_ = c.cmd.Process.Kill()
	} else {
		_ = c.cmd.Process.Signal(os.Interrupt)
	}
	_ = c.cmd.Wait()
}

// counter reads one of the upstream's counters.
func counter(base, name string) (int64, error) {
	res, err := http.Get(base + "/" + name)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return strconv.ParseInt(string(b), 10, 64)
}
