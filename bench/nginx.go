package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// nginxConfig proxies a loopback port to the upstream over kept-alive
// HTTP/1.1 connections, as a production nginx in front of an API would.
const nginxConfig = `daemon off;
master_process on;
worker_processes auto;
pid {{dir}}/nginx.pid;
error_log {{dir}}/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path {{dir}}/client_body;
    proxy_temp_path {{dir}}/proxy;
    fastcgi_temp_path {{dir}}/fastcgi;
    uwsgi_temp_path {{dir}}/uwsgi;
    scgi_temp_path {{dir}}/scgi;
    upstream bench_upstream {
        server {{upstream}};
        keepalive 64;
    }
    server {
        listen {{listen}};
        location / {
            proxy_pass http://bench_upstream;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }
    }
}
`

// findNginx returns the nginx binary, or "" when it is not installed.
func findNginx() string {
	if p, err := exec.LookPath("nginx"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/sbin/nginx"); err == nil {
		return "/usr/sbin/nginx"
	}
	return ""
}

// nginx is a running nginx started by the harness.
type nginx struct {
	cmd     *exec.Cmd
	dir     string
	URL     string
	Version string
	exited  chan error
}

// startNginx writes a config into a temporary folder and starts nginx in
// front of upstream (host:port) on a free loopback port.
func startNginx(ctx context.Context, bin, upstream string) (*nginx, error) {
	dir, err := os.MkdirTemp("", "switchboard-bench-nginx-")
	if err != nil {
		return nil, err
	}
	// nginx's workers drop root for nobody/www-data and must reach the
	// temp folders below dir.
	if err := os.Chmod(dir, 0o755); err != nil {
		return nil, err
	}
	listen, err := freeLoopbackAddr()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	conf := strings.NewReplacer("{{dir}}", dir, "{{upstream}}", upstream, "{{listen}}", listen).Replace(nginxConfig)
	confPath := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o644); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	cmd := exec.Command(bin, "-p", dir, "-e", filepath.Join(dir, "error.log"), "-c", confPath)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start nginx: %w", err)
	}
	n := &nginx{cmd: cmd, dir: dir, URL: "http://" + listen, Version: commandVersion(bin, "-v"), exited: make(chan error, 1)}
	go func() { n.exited <- cmd.Wait() }()
	if err := n.waitReady(ctx, 10*time.Second); err != nil {
		n.Close()
		return nil, err
	}
	return n, nil
}

// freeLoopbackAddr asks the kernel for a free loopback port. Another
// process could take it before nginx binds it; nginx then fails to start
// and the harness says so.
func freeLoopbackAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := ln.Addr().String()
	return addr, ln.Close()
}

// waitReady polls until nginx answers a proxied request.
func (n *nginx) waitReady(ctx context.Context, limit time.Duration) error {
	client := &http.Client{Timeout: time.Second}
	defer client.CloseIdleConnections()
	t := getPatient("c", "nginx", n.URL)
	deadline := time.Now().Add(limit)
	var last error
	for time.Now().Before(deadline) {
		select {
		case err := <-n.exited:
			n.exited <- err
			return fmt.Errorf("nginx exited at start (%v): %s", err, n.errorLog())
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
		if last = probe(ctx, client, t); last == nil {
			return nil
		}
	}
	return fmt.Errorf("nginx did not answer within %s: %v; %s", limit, last, n.errorLog())
}

func (n *nginx) errorLog() string {
	b, _ := os.ReadFile(filepath.Join(n.dir, "error.log"))
	return strings.TrimSpace(excerpt(b))
}

// pids are the master and its workers.
func (n *nginx) pids() []int {
	master := n.cmd.Process.Pid
	return append([]int{master}, children(master)...)
}

// CPU is the CPU time used by the master and its live workers.
func (n *nginx) CPU() time.Duration {
	var d time.Duration
	for _, pid := range n.pids() {
		d += procCPU(pid)
	}
	return d
}

// Memory adds up the resident sets of the master and its workers.
func (n *nginx) Memory() Memory {
	var m Memory
	for _, pid := range n.pids() {
		pm := procMemory(strconv.Itoa(pid))
		m.RSS += pm.RSS
		m.HWM += pm.HWM
	}
	return m
}

// Close stops nginx gracefully (SIGQUIT), then kills it after a grace
// period, and removes its folder.
func (n *nginx) Close() error {
	defer os.RemoveAll(n.dir)
	_ = n.cmd.Process.Signal(syscall.SIGQUIT)
	select {
	case err := <-n.exited:
		return quitStatus(err)
	case <-time.After(5 * time.Second):
	}
	_ = n.cmd.Process.Kill()
	<-n.exited
	return errors.New("nginx did not stop within 5s of SIGQUIT and was killed")
}

// quitStatus ignores the exit status a graceful quit may report.
func quitStatus(err error) error {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return nil
	}
	return err
}
