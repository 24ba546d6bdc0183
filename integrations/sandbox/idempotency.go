package sandbox

import (
	"bytes"
	"math/rand/v2"
	"net/http"
	"sync"
)

// idemStore remembers the first successful answer per idempotency key. A
// second request with a key in flight waits for the first instead of
// running alongside it, so "exactly once" holds under concurrency too.
type idemStore struct {
	mu sync.Mutex
	m  map[string]*idemEntry
}

type idemEntry struct {
	done chan struct{}
	ok   bool // the answer was kept; false means the key is free again
	resp *bufferedResponse
}

func newIdemStore() *idemStore { return &idemStore{m: map[string]*idemEntry{}} }

func (st *idemStore) clear() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.m = map[string]*idemEntry{}
}

// begin returns the entry for key and whether the caller owns it (must run
// the request and call finish).
func (st *idemStore) begin(key string) (*idemEntry, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if e, ok := st.m[key]; ok {
		return e, false
	}
	e := &idemEntry{done: make(chan struct{})}
	st.m[key] = e
	return e, true
}

// finish publishes the owner's answer; failed answers free the key.
func (st *idemStore) finish(key string, e *idemEntry, resp *bufferedResponse) {
	st.mu.Lock()
	defer st.mu.Unlock()
	e.resp = resp
	e.ok = resp != nil && resp.succeeded()
	if !e.ok && st.m[key] == e {
		delete(st.m, key)
	}
	close(e.done)
}

// serveWrite runs a write once per idempotency key (when the request has
// one) and applies the fail-after-commit fault. scope separates keys of
// different operations.
func (s *Sandbox) serveWrite(w http.ResponseWriter, r *http.Request, upstream, scope string, h http.Handler) {
	key := r.Header.Get(s.cfg.IdempotencyHeader)
	if key == "" {
		s.commit(w, r, upstream, h)
		return
	}
	key = tenantOf(r) + "\x00" + upstream + "\x00" + scope + "\x00" + key
	for {
		e, owner := s.idem.begin(key)
		if owner {
			resp := &bufferedResponse{header: http.Header{}}
			defer func() { s.idem.finish(key, e, resp) }()
			h.ServeHTTP(resp, r)
			s.deliver(w, r, upstream, resp)
			return
		}
		select {
		case <-e.done:
		case <-r.Context().Done():
			return
		}
		if e.ok {
			s.stats.replay()
			w.Header().Set("Idempotent-Replayed", "true")
			e.resp.writeTo(w)
			return
		}
	}
}

// commit runs a write without a key.
func (s *Sandbox) commit(w http.ResponseWriter, r *http.Request, upstream string, h http.Handler) {
	resp := &bufferedResponse{header: http.Header{}}
	h.ServeHTTP(resp, r)
	s.deliver(w, r, upstream, resp)
}

// deliver sends a carried-out write's answer, or loses it on purpose when
// the fail-after-commit fault says so.
func (s *Sandbox) deliver(w http.ResponseWriter, r *http.Request, upstream string, resp *bufferedResponse) {
	f := s.faults.get(tenantOf(r))
	if f.appliesTo(upstream) && f.FailAfterCommitRate > 0 && resp.succeeded() &&
		rand.Float64() < f.FailAfterCommitRate {
		s.writeFault(w, upstream, f.ErrorStatus, http.StatusText(f.ErrorStatus))
		return
	}
	resp.writeTo(w)
}

// bufferedResponse holds an answer until it is known whether to keep it.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
	failed bool // set by handlers whose errors travel inside a 200 (Cloud9)
}

func (b *bufferedResponse) Header() http.Header { return b.header }

func (b *bufferedResponse) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

func (b *bufferedResponse) markFailed() { b.failed = true }

func (b *bufferedResponse) succeeded() bool {
	return !b.failed && b.status >= 200 && b.status < 300
}

func (b *bufferedResponse) writeTo(w http.ResponseWriter) {
	h := w.Header()
	for k, v := range b.header {
		h[k] = append([]string(nil), v...)
	}
	status := b.status
	if status == 0 {
		status = http.StatusOK
	}
	w.WriteHeader(status)
	_, _ = w.Write(b.body.Bytes())
}

// failureMarker is implemented by writers that want to know when an answer
// reports an error inside a 2xx status.
type failureMarker interface{ markFailed() }

func markFailed(w http.ResponseWriter) {
	if m, ok := w.(failureMarker); ok {
		m.markFailed()
	}
}
