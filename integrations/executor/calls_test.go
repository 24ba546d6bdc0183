package executor

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"switchboard/apperr"
	"switchboard/integrations/definition"
)

// callSink keeps the calls the executor reports.
type callSink struct {
	mu    sync.Mutex
	calls []Call
}

func (s *callSink) RecordCall(_ context.Context, c Call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, c)
}

// TestEveryExecutionIsReported: the call recorder hears of every
// execution, whoever asked: one answered, one refused before anything was
// sent (unknown function), and one served from the response cache, each
// with its caller, the function that ran and the outcome.
func TestEveryExecutionIsReported(t *testing.T) {
	sink := &callSink{}
	h := newHarness(t, func(c *Config) { c.Calls = sink })
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request, body string) { jsonAnswer(200, `{"id":1}`)(w, r, body) })
	cached := get("Cached", "/c")
	ttl := definition.Duration(time.Minute)
	cached.CacheTTL = &ttl
	slug := h.add(newDoc(up.URL, get("Ping", "/ping"), cached))
	run := func(fn, caller string) error {
		res, err := h.exec.Execute(context.Background(), Request{OrgID: h.org, Provider: slug, Function: fn, Caller: caller})
		res.Release()
		return err
	}
	if err := run("Ping", "api key a (sb_1…)"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, run("Nope", "mcp"), apperr.CodeUnknownFunction)
	for range 2 {
		if err := run("Cached", "reference lists"); err != nil {
			t.Fatal(err)
		}
	}
	if len(sink.calls) != 4 {
		t.Fatalf("reported %d calls, want 4: %+v", len(sink.calls), sink.calls)
	}
	first, refused, hit := sink.calls[0], sink.calls[1], sink.calls[3]
	if first.Request.Caller != "api key a (sb_1…)" || first.Function != "Ping" || first.Err != nil || first.Result == nil || first.Result.UpstreamStatus != 200 {
		t.Errorf("answered call = %+v", first)
	}
	if refused.Request.Caller != "mcp" || refused.Function != "Nope" || refused.Result != nil || apperr.Code(refused.Err) != apperr.CodeUnknownFunction {
		t.Errorf("refused call = %+v", refused)
	}
	if hit.Request.Caller != "reference lists" || hit.Result == nil || !hit.Result.Cached || hit.Err != nil {
		t.Errorf("cached call = %+v", hit)
	}
}
