package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"

	"switchboard/app"
	"switchboard/config"
	"switchboard/logging"
)

// allocsCommand measures what one agent call costs the app itself, in
// process and one call at a time: heap allocations (objects and bytes) and
// CPU time per POST /api/integrations/bench, the upstream on loopback in
// the same process (its share is the same for every build). Allocation
// counts do not move with the load of a shared machine, unlike latencies.
func allocsCommand(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("allocs", flag.ContinueOnError)
	n := fs.Int("n", 20000, "calls measured (after 2000 of warm-up)")
	memProf := fs.String("memprofile", "", "write the measured calls' allocation profile here")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go func() { _ = http.Serve(ln, http.HandlerFunc(patientHandler)) }()
	dir, err := os.MkdirTemp("", "riverspike-allocs-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	env := map[string]string{"DATABASE_URL": "sqlite://" + filepath.Join(dir, "sb.db"), "SWITCHBOARD_DATA_DIR": dir,
		"SWITCHBOARD_SECRET_KEY": "c3dpdGNoYm9hcmQtYmVuY2htYXJrLWtleS0zMi1ieXQ=", "SWITCHBOARD_ALLOW_DESTINATIONS": "127.0.0.0/8",
		"SWITCHBOARD_ADDR": "127.0.0.1:0", "SWITCHBOARD_LOG_LEVEL": "info", "SWITCHBOARD_LOG_FORMAT": "json", "SWITCHBOARD_SYNC_WORKERS": "4"}
	cfg, _, err := config.Load("riverspike", nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		return err
	}
	a, err := app.New(ctx, cfg, logging.New(io.Discard, cfg.LogFormat, cfg.LogLevel))
	if err != nil {
		return err
	}
	defer a.Close()
	orgID, key, err := seedOrg(ctx, a)
	if err != nil {
		return err
	}
	if err := seedAgent(ctx, a, orgID, "http://"+ln.Addr().String()); err != nil {
		return err
	}
	body := []byte(`{"function":"GetPatient","params":{"patient_id":42}}`)
	call := func() error {
		req := httptest.NewRequest(http.MethodPost, "/api/integrations/bench", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		a.Router.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || !bytes.Contains(rec.Body.Bytes(), []byte(`"ok":true`)) {
			return fmt.Errorf("status %d: %.200s", rec.Code, rec.Body.Bytes())
		}
		return nil
	}
	for range 2000 {
		if err := call(); err != nil {
			return err
		}
	}
	var m0, m1 runtime.MemStats
	if *memProf != "" {
		runtime.MemProfileRate = 4096
	}
	runtime.GC()
	runtime.ReadMemStats(&m0)
	cpu0, t0 := selfCPU(), time.Now()
	for range *n {
		if err := call(); err != nil {
			return err
		}
	}
	cpu, wall := selfCPU()-cpu0, time.Since(t0)
	runtime.ReadMemStats(&m1)
	if *memProf != "" {
		if err := writeAllocs(*memProf); err != nil {
			return err
		}
	}
	fmt.Printf("per call (%d calls, the in-process upstream and the call-log writer included): %.0f allocations, %.0f bytes allocated, %.1f µs CPU, %.1f µs wall; GC cycles %d\n",
		*n, float64(m1.Mallocs-m0.Mallocs)/float64(*n), float64(m1.TotalAlloc-m0.TotalAlloc)/float64(*n),
		float64(cpu.Microseconds())/float64(*n), float64(wall.Microseconds())/float64(*n), m1.NumGC-m0.NumGC)
	return nil
}

// writeAllocs writes the heap profile (its alloc_space and alloc_objects
// views are what the measured calls allocated) to path.
func writeAllocs(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	runtime.GC()
	return pprof.Lookup("allocs").WriteTo(f, 0)
}
