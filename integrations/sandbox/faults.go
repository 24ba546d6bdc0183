package sandbox

import (
	"errors"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// Upstream names, as used by Faults.Upstream and in statistics keys.
const (
	UpstreamOpenDental = "opendental"
	UpstreamCloud9     = "cloud9"
)

// Faults are the failure switches of the upstreams. The zero value is a
// healthy sandbox.
type Faults struct {
	// Outage answers 503 to every upstream request.
	Outage bool `json:"outage"`
	// ErrorRate is the fraction (0..1) of requests answered ErrorStatus.
	ErrorRate float64 `json:"error_rate"`
	// ErrorStatus is the status of injected errors; default 500.
	ErrorStatus int `json:"error_status"`
	// LatencyMS delays every upstream request; abandoned if the caller leaves.
	LatencyMS int `json:"latency_ms"`
	// RateLimit answers 429 with Retry-After: 1.
	RateLimit bool `json:"rate_limit"`
	// FailAfterCommitRate is the fraction (0..1) of writes that are carried
	// out but answered ErrorStatus, as when an answer is lost on the way.
	FailAfterCommitRate float64 `json:"fail_after_commit_rate"`
	// Upstream limits the faults to "opendental" or "cloud9"; empty means both.
	Upstream string `json:"upstream"`
}

// Validate reports values out of range.
func (f Faults) Validate() error {
	var errs []error
	if f.ErrorRate < 0 || f.ErrorRate > 1 {
		errs = append(errs, errors.New("error_rate must be between 0 and 1"))
	}
	if f.FailAfterCommitRate < 0 || f.FailAfterCommitRate > 1 {
		errs = append(errs, errors.New("fail_after_commit_rate must be between 0 and 1"))
	}
	if f.ErrorStatus != 0 && (f.ErrorStatus < 400 || f.ErrorStatus > 599) {
		errs = append(errs, errors.New("error_status must be between 400 and 599"))
	}
	if f.LatencyMS < 0 || f.LatencyMS > 120_000 {
		errs = append(errs, errors.New("latency_ms must be between 0 and 120000"))
	}
	switch f.Upstream {
	case "", UpstreamOpenDental, UpstreamCloud9:
	default:
		errs = append(errs, errors.New(`upstream must be "", "opendental" or "cloud9"`))
	}
	return errors.Join(errs...)
}

// normalized clamps values into range and fills the default status.
func (f Faults) normalized() Faults {
	f.ErrorRate = min(max(f.ErrorRate, 0), 1)
	f.FailAfterCommitRate = min(max(f.FailAfterCommitRate, 0), 1)
	f.LatencyMS = min(max(f.LatencyMS, 0), 120_000)
	if f.ErrorStatus < 400 || f.ErrorStatus > 599 {
		f.ErrorStatus = http.StatusInternalServerError
	}
	if f.Upstream != UpstreamOpenDental && f.Upstream != UpstreamCloud9 {
		f.Upstream = ""
	}
	return f
}

func (f Faults) appliesTo(upstream string) bool {
	return f.Upstream == "" || f.Upstream == upstream
}

// faultSwitch holds the faults of every tenant; tenant "" is the sandbox
// served without a tenant prefix.
type faultSwitch struct {
	mu sync.RWMutex
	f  map[string]Faults
}

func (fs *faultSwitch) get(tenant string) Faults {
	fs.mu.RLock()
	defer fs.mu.RUnlock()
	return fs.f[tenant].normalized()
}

func (fs *faultSwitch) set(tenant string, f Faults) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.f == nil {
		fs.f = map[string]Faults{}
	}
	fs.f[tenant] = f.normalized()
}

func (fs *faultSwitch) clear() {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.f = nil
}

// SetFaults replaces the fault switches of the sandbox served without a
// tenant prefix; values out of range are clamped.
func (s *Sandbox) SetFaults(f Faults) { s.faults.set("", f) }

// Faults returns the fault switches in force without a tenant prefix.
func (s *Sandbox) Faults() Faults { return s.faults.get("") }

// SetTenantFaults replaces the fault switches of one tenant: they apply
// only to requests under TenantPrefix(tenant), so one tenant's outage never
// reaches another's upstream calls.
func (s *Sandbox) SetTenantFaults(tenant string, f Faults) { s.faults.set(tenant, f) }

// TenantFaults returns the fault switches in force for one tenant.
func (s *Sandbox) TenantFaults(tenant string) Faults { return s.faults.get(tenant) }

// injectFaults applies the faults to one upstream request and reports
// whether it answered (or gave up on) the request.
func (s *Sandbox) injectFaults(w http.ResponseWriter, r *http.Request, upstream string) bool {
	f := s.faults.get(tenantOf(r))
	if !f.appliesTo(upstream) {
		return false
	}
	if f.LatencyMS > 0 {
		t := time.NewTimer(time.Duration(f.LatencyMS) * time.Millisecond)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			s.stats.fault()
			return true
		}
	}
	switch {
	case f.Outage:
		s.writeFault(w, upstream, http.StatusServiceUnavailable, "Service Unavailable")
	case f.RateLimit:
		w.Header().Set("Retry-After", "1")
		s.writeFault(w, upstream, http.StatusTooManyRequests, "Too many requests. Please try again later.")
	case f.ErrorRate > 0 && rand.Float64() < f.ErrorRate:
		s.writeFault(w, upstream, f.ErrorStatus, http.StatusText(f.ErrorStatus))
	default:
		return false
	}
	return true
}

func (s *Sandbox) writeFault(w http.ResponseWriter, upstream string, status int, msg string) {
	s.stats.fault()
	if upstream == UpstreamOpenDental {
		odError(w, status, msg)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(msg + "\n"))
}
