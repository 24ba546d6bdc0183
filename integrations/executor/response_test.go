package executor

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"switchboard/apperr"
	"switchboard/integrations/definition"
)

func TestErrorRulesAndSuccessCondition(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		name     string
		status   int
		body     string
		rules    []definition.ErrorRule
		success  *definition.Success
		code     string
		message  string
		attempts int
	}{
		{name: "ignore turns a 404 into a success", status: 404, body: `{"gone":true}`,
			rules:    []definition.ErrorRule{{When: definition.When{Status: []int{404}}, Action: "ignore"}},
			attempts: 1},
		{name: "retry retries a 200 that says busy", status: 200, body: `{"state":"busy"}`,
			rules: []definition.ErrorRule{{When: definition.When{Path: "state", Equals: "busy"}, Action: "retry", Message: "upstream busy"}},
			code:  apperr.CodeUpstreamError, message: "upstream busy", attempts: 3},
		{name: "fail takes its message from message_path", status: 200, body: `{"error":{"code":7,"text":"Slot taken"}}`,
			rules: []definition.ErrorRule{{When: definition.When{Path: "error.code"}, Action: "fail", MessagePath: "error.text"}},
			code:  apperr.CodeUpstreamError, message: "Slot taken", attempts: 1},
		{name: "contains matches the raw body", status: 200, body: `{"note":"QUOTA EXCEEDED today"}`,
			rules: []definition.ErrorRule{{When: definition.When{Contains: "QUOTA EXCEEDED"}, Action: "rate_limited"}},
			code:  apperr.CodeRateLimited, attempts: 3},
		{name: "contains matches past the head kept for excerpts", status: 200,
			body:  `{"pad":"` + strings.Repeat("p", 100<<10) + `","note":"QUOTA EXCEEDED today"}`,
			rules: []definition.ErrorRule{{When: definition.When{Contains: "QUOTA EXCEEDED"}, Action: "fail"}},
			code:  apperr.CodeUpstreamError, attempts: 1},
		{name: "a failed success condition is an upstream_error", status: 200, body: `{"status":"ERR","msg":"bad date"}`,
			success: &definition.Success{Path: "status", Equals: "OK"},
			rules:   []definition.ErrorRule{{When: definition.When{Status: []int{418}}, Action: "fail", MessagePath: "msg"}},
			code:    apperr.CodeUpstreamError, message: "bad date", attempts: 1},
		{name: "a met success condition passes", status: 200, body: `{"status":"OK"}`,
			success: &definition.Success{Path: "status", Equals: "OK"}, attempts: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits atomic.Int64
			up := newUpstream(t, func(w http.ResponseWriter, r *http.Request, _ string) {
				hits.Add(1)
				jsonAnswer(tt.status, tt.body)(w, r, "")
			})
			doc := newDoc(up.URL, get("Ping", "/ping"))
			doc.ErrorRules, doc.Success = tt.rules, tt.success
			slug := h.add(doc)
			res, err := h.run(slug, "Ping", nil)
			if tt.code == "" {
				ok(t)(res, err)
			} else {
				e := wantCode(t, err, tt.code)
				if tt.message != "" && e.Message != tt.message {
					t.Errorf("message = %q, want %q", e.Message, tt.message)
				}
			}
			if res.Attempts != tt.attempts || hits.Load() != int64(tt.attempts) {
				t.Errorf("attempts = %d (hits %d), want %d", res.Attempts, hits.Load(), tt.attempts)
			}
		})
	}
}

func TestSubstringsAcrossReads(t *testing.T) {
	stream := "aaQUOTA EXCEEDEDbbERRcc"
	for _, step := range []int{1, 2, 3, 5, len(stream)} {
		s := newSubstrings([]string{"QUOTA EXCEEDED", "ERR", "absent"})
		for i := 0; i < len(stream); i += step {
			s.write([]byte(stream[i:min(i+step, len(stream))]))
		}
		got := s.result()
		if !got["QUOTA EXCEEDED"] || !got["ERR"] || got["absent"] {
			t.Errorf("reads of %d bytes found %v, want QUOTA EXCEEDED and ERR only", step, got)
		}
	}
}
