package executor

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/apperr"
	"switchboard/integrations/definition"
)

func TestRetryMatrix(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name      string
		status    int
		writes    bool
		retrySafe bool
		key       string
		code      string
		attempts  int
	}{
		{name: "429 is retried", status: 429, code: apperr.CodeRateLimited, attempts: 3},
		{name: "502 is retried", status: 502, code: apperr.CodeUpstreamError, attempts: 3},
		{name: "503 is retried", status: 503, code: apperr.CodeUpstreamError, attempts: 3},
		{name: "504 is retried", status: 504, code: apperr.CodeUpstreamError, attempts: 3},
		{name: "a retry_on status is retried", status: 409, code: apperr.CodeUpstreamError, attempts: 3},
		{name: "500 is not retried", status: 500, code: apperr.CodeUpstreamError, attempts: 1},
		{name: "400 is not retried", status: 400, code: apperr.CodeUpstreamError, attempts: 1},
		{name: "a write is not retried", status: 503, writes: true, code: apperr.CodeUpstreamError, attempts: 1},
		{name: "a write safe to retry is retried", status: 503, writes: true, retrySafe: true, code: apperr.CodeUpstreamError, attempts: 3},
		{name: "a write with an idempotency key is retried", status: 503, writes: true, key: "job-42", code: apperr.CodeUpstreamError, attempts: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up := newUpstream(t, jsonAnswer(tt.status, `"nope"`))
			doc := newDoc(up.URL, definition.Endpoint{Function: "Do", Method: "POST", Path: "/do", Writes: tt.writes, RetrySafe: tt.retrySafe})
			doc.Retry = &definition.Retry{MaxAttempts: 3, InitialDelay: definition.Duration(100 * time.Millisecond),
				MaxDelay: definition.Duration(time.Second), RetryOn: []int{409}}
			slug := h.add(doc)
			h.sleeps.reset()
			res, err := h.exec.Execute(context.Background(), Request{OrgID: h.org, Provider: slug, Function: "Do", IdempotencyKey: tt.key})
			e := wantCode(t, err, tt.code)
			if res == nil {
				t.Fatal("no Result with the error although requests were sent")
			}
			if res.Attempts != tt.attempts || up.hits.Load() != int64(tt.attempts) {
				t.Errorf("attempts = %d, upstream hits = %d, want %d", res.Attempts, up.hits.Load(), tt.attempts)
			}
			if got := len(h.sleeps.all()); got != tt.attempts-1 {
				t.Errorf("waits = %d, want %d", got, tt.attempts-1)
			}
			for _, w := range h.sleeps.all() {
				if w < 0 || w > time.Second {
					t.Errorf("backoff wait %s outside [0, max_delay 1s]", w)
				}
			}
			if e.Extra["upstream_status"] != tt.status || res.UpstreamStatus != tt.status {
				t.Errorf("upstream_status = %v / %d, want %d", e.Extra["upstream_status"], res.UpstreamStatus, tt.status)
			}
			if tt.key != "" && up.seen().Header.Get("Idempotency-Key") != tt.key {
				t.Errorf("Idempotency-Key = %q, want %q", up.seen().Header.Get("Idempotency-Key"), tt.key)
			}
		})
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	h := newHarness(t)
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	h.clock.Set(now)
	tests := []struct {
		name   string
		header string
		value  string
		rule   *definition.ErrorRule
		want   time.Duration
	}{
		{name: "delta seconds", header: "Retry-After", value: "2", want: 2 * time.Second},
		{name: "an HTTP date", header: "Retry-After", value: now.Add(3 * time.Second).Format(http.TimeFormat), want: 3 * time.Second},
		{name: "the wait_header of a rate_limited rule", header: "X-Wait", value: "4",
			rule: &definition.ErrorRule{When: definition.When{Status: []int{400}, Contains: "slow down"}, Action: "rate_limited", WaitHeader: "X-Wait"},
			want: 4 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls atomic.Int32
			up := newUpstream(t, func(w http.ResponseWriter, r *http.Request, _ string) {
				if calls.Add(1) == 1 {
					w.Header().Set(tt.header, tt.value)
					status := http.StatusTooManyRequests
					if tt.rule != nil {
						status = http.StatusBadRequest
					}
					jsonAnswer(status, `"slow down"`)(w, r, "")
					return
				}
				jsonAnswer(200, `{"ok":true}`)(w, r, "")
			})
			doc := newDoc(up.URL, get("Ping", "/ping"))
			if tt.rule != nil {
				doc.ErrorRules = []definition.ErrorRule{*tt.rule}
			}
			slug := h.add(doc)
			h.sleeps.reset()
			res := ok(t)(h.run(slug, "Ping", nil))
			if got := h.sleeps.all(); len(got) != 1 || got[0] != tt.want {
				t.Errorf("waits = %v, want [%s]", got, tt.want)
			}
			if res.Attempts != 2 {
				t.Errorf("attempts = %d, want 2", res.Attempts)
			}
		})
	}
	t.Run("a wait longer than the policy allows fails at once with retry_after", func(t *testing.T) {
		up := newUpstream(t, func(w http.ResponseWriter, r *http.Request, _ string) {
			w.Header().Set("Retry-After", "3600")
			jsonAnswer(http.StatusServiceUnavailable, `"maintenance"`)(w, r, "")
		})
		slug := h.add(newDoc(up.URL, get("Ping", "/ping")))
		h.sleeps.reset()
		_, err := h.run(slug, "Ping", nil)
		e := wantCode(t, err, apperr.CodeUpstreamError)
		if e.Extra["retry_after"] != 3600 || up.hits.Load() != 1 || len(h.sleeps.all()) != 0 {
			t.Errorf("retry_after = %v, hits = %d, waits = %v; want 3600, 1, none", e.Extra["retry_after"], up.hits.Load(), h.sleeps.all())
		}
	})
	t.Run("a wait too long to count fails at once too", func(t *testing.T) {
		for _, value := range []string{"1e30", "Inf"} {
			up := newUpstream(t, func(w http.ResponseWriter, r *http.Request, _ string) {
				w.Header().Set("Retry-After", value)
				jsonAnswer(http.StatusServiceUnavailable, `"maintenance"`)(w, r, "")
			})
			slug := h.add(newDoc(up.URL, get("Ping", "/ping")))
			h.sleeps.reset()
			_, err := h.run(slug, "Ping", nil)
			e := wantCode(t, err, apperr.CodeUpstreamError)
			if ra, _ := e.Extra["retry_after"].(int); ra < 3600 || up.hits.Load() != 1 || len(h.sleeps.all()) != 0 {
				t.Errorf("Retry-After %s: retry_after = %v, hits = %d, waits = %v; want a long wait, 1, none", value, e.Extra["retry_after"], up.hits.Load(), h.sleeps.all())
			}
		}
	})
}

func TestBreakerOpensAfterRepeatedFailures(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.BreakerThreshold, c.BreakerCooldown = 3, 30*time.Second })
	h.clock.Set(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	var healthy atomic.Bool
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request, _ string) {
		if healthy.Load() {
			jsonAnswer(200, `{}`)(w, r, "")
			return
		}
		jsonAnswer(500, `"down"`)(w, r, "")
	})
	slug := h.add(newDoc(up.URL, get("Ping", "/ping")))
	for i := range 3 {
		_, err := h.run(slug, "Ping", nil)
		wantCode(t, err, apperr.CodeUpstreamError)
		if i < 2 && h.exec.BreakerState(h.org, slug, "") != BreakerClosed {
			t.Fatalf("breaker %s after %d failures, want closed", h.exec.BreakerState(h.org, slug, ""), i+1)
		}
	}
	if got := h.exec.BreakerState(h.org, slug, "production"); got != BreakerOpen {
		t.Fatalf("breaker = %s after 3 failures, want open", got)
	}
	res, err := h.run(slug, "Ping", nil)
	e := wantCode(t, err, apperr.CodeCircuitOpen)
	if up.hits.Load() != 3 || res != nil {
		t.Errorf("upstream hits = %d (result %v), want 3: an open circuit must not call upstream", up.hits.Load(), res)
	}
	if e.Extra["retry_after"] != 30 {
		t.Errorf("retry_after = %v, want 30", e.Extra["retry_after"])
	}

	t.Run("after the cooldown one trial call closes it", func(t *testing.T) {
		h.clock.Advance(31 * time.Second)
		if got := h.exec.BreakerState(h.org, slug, ""); got != BreakerHalfOpen {
			t.Fatalf("breaker = %s after the cooldown, want half-open", got)
		}
		healthy.Store(true)
		ok(t)(h.run(slug, "Ping", nil))
		if got := h.exec.BreakerState(h.org, slug, ""); got != BreakerClosed {
			t.Errorf("breaker = %s after a success, want closed", got)
		}
	})
}

func TestTransportFailures(t *testing.T) {
	h := newHarness(t)
	t.Run("a dial failure is upstream_unreachable after the retries", func(t *testing.T) {
		up := newUpstream(t, jsonAnswer(200, `{}`))
		base := up.URL
		up.Close()
		slug := h.add(newDoc(base, get("Ping", "/ping")))
		res, err := h.run(slug, "Ping", nil)
		wantCode(t, err, apperr.CodeUpstreamUnreachable)
		if res == nil || res.Attempts != 3 {
			t.Errorf("result %+v; want 3 attempts", res)
		}
	})
	t.Run("a slow upstream is upstream_timeout", func(t *testing.T) {
		release := make(chan struct{})
		up := newUpstream(t, func(w http.ResponseWriter, r *http.Request, _ string) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		})
		defer close(release)
		doc := newDoc(up.URL, get("Ping", "/ping"))
		doc.Timeout = definition.Duration(50 * time.Millisecond)
		doc.Retry = &definition.Retry{MaxAttempts: 2}
		slug := h.add(doc)
		res, err := h.run(slug, "Ping", nil)
		wantCode(t, err, apperr.CodeUpstreamTimeout)
		if res.Attempts != 2 {
			t.Errorf("%d attempts, want 2", res.Attempts)
		}
	})
	t.Run("a body that stops coming is upstream_timeout, not unreachable", func(t *testing.T) {
		up := newUpstream(t, dripping(64<<10))
		doc := newDoc(up.URL, get("Ping", "/ping"))
		doc.Timeout = definition.Duration(200 * time.Millisecond)
		doc.Retry = &definition.Retry{MaxAttempts: 1}
		slug := h.add(doc)
		_, err := h.run(slug, "Ping", nil)
		e := wantCode(t, err, apperr.CodeUpstreamTimeout)
		if !strings.Contains(e.Message, "did not finish its answer within 200 milliseconds") {
			t.Errorf("message = %q", e.Message)
		}
	})
	t.Run("a redirect loop says so", func(t *testing.T) {
		var up *upstream
		up = newUpstream(t, func(w http.ResponseWriter, r *http.Request, _ string) {
			http.Redirect(w, r, up.URL+"/again", http.StatusFound)
		})
		slug := h.add(newDoc(up.URL, get("Ping", "/ping")))
		res, err := h.run(slug, "Ping", nil)
		e := wantCode(t, err, apperr.CodeUpstreamError)
		if !strings.Contains(e.Message, "redirected more than 5 times") || strings.Contains(e.Message, "cannot be reached") {
			t.Errorf("message = %q", e.Message)
		}
		if res.Attempts != 1 {
			t.Errorf("%d attempts, want 1: a redirect loop is not retried", res.Attempts)
		}
	})
}

func TestRateLimitRefusesWaitsBeyondTheDeadline(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Sleep = sleepContext })
	h.clock.Set(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)) // a frozen clock: the bucket never refills
	up := newUpstream(t, jsonAnswer(200, `{}`))
	doc := newDoc(up.URL, get("Ping", "/ping"))
	doc.RateLimit = &definition.RateLimit{PerSecond: 0.5, Burst: 1}
	slug := h.add(doc)
	ok(t)(h.run(slug, "Ping", nil))
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	_, err := h.exec.Execute(ctx, Request{OrgID: h.org, Provider: slug, Function: "Ping"})
	e := wantCode(t, err, apperr.CodeRateLimited)
	if e.Extra["retry_after"] != 2 || up.hits.Load() != 1 {
		t.Errorf("retry_after = %v, hits = %d; want 2 and 1", e.Extra["retry_after"], up.hits.Load())
	}
}

func TestResponseSizeCap(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.MaxResponseBytes = 1000 })
	up := newUpstream(t, jsonAnswer(200, `"`+strings.Repeat("x", 5000)+`"`))
	slug := h.add(newDoc(up.URL, get("Ping", "/ping")))
	res, err := h.run(slug, "Ping", nil)
	e := wantCode(t, err, apperr.CodeResponseTooLarge)
	if !strings.Contains(e.Message, "over the limit of 1000 bytes") || res.Attempts != 1 {
		t.Errorf("message %q after %d attempts, want \"over the limit of 1000 bytes\" after 1", e.Message, res.Attempts)
	}
	if len(res.Response.Body) > MaxTraceBody {
		t.Errorf("response trace body is %d bytes, want at most %d", len(res.Response.Body), MaxTraceBody)
	}
}

func TestUpstreamErrorCarriesStatusAndRedactedExcerpt(t *testing.T) {
	h := newHarness(t)
	up := newUpstream(t, jsonAnswer(404, `"Patient not found for key sekrit-key-1. `+strings.Repeat("z", 900)+`"`))
	doc := newDoc(up.URL, get("GetPatient", "/patients/{PatNum}", definition.Param{Name: "PatNum", Type: "integer"}))
	doc.Auth = definition.Auth{Type: "api_key", Header: "X-Key", Template: "{{key}}"}
	doc.CredentialFields = definition.Fields("key")
	slug := h.add(doc)
	h.creds.set("production", map[string]string{"key": "sekrit-key-1"})
	_, err := h.run(slug, "GetPatient", map[string]any{"PatNum": "7"})
	e := wantCode(t, err, apperr.CodeUpstreamError)
	excerpt, _ := e.Extra["upstream_excerpt"].(string)
	if e.Extra["upstream_status"] != 404 || len([]rune(excerpt)) > MaxExcerpt || excerpt == "" {
		t.Errorf("extra = %v, want status 404 and an excerpt of at most %d characters", e.Extra, MaxExcerpt)
	}
	if strings.Contains(excerpt+e.Message, "sekrit-key-1") || !strings.Contains(excerpt, Redacted) {
		t.Errorf("the error shows the API key: %q / %q", e.Message, excerpt)
	}
	if !strings.HasPrefix(e.Message, slug+" answered 404: Patient not found") {
		t.Errorf("message = %q, want the upstream's own words", e.Message)
	}
	if got := up.hits.Load(); got != 1 {
		t.Errorf("hits = %d, want 1 (404 is not retried)", got)
	}
}
