package executor

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"switchboard/integrations/definition"
)

// passBody is an answer whose text a parse and encode would change: its
// keys out of order, a number past float64, spaces.
const passBody = `{"z": 1, "a": {"big": 12345678901234567890123, "s": "x"}, "list": [3, 2, 1]}`

// TestPassThroughHandsOverTheUpstreamsJSON: asked for (Request.PassThrough),
// an answer no part of the definition reads goes to the caller as the
// upstream's own text, keys in its order and numbers as written; the same
// call without it is parsed as before.
func TestPassThroughHandsOverTheUpstreamsJSON(t *testing.T) {
	h := newHarness(t)
	up := newUpstream(t, jsonAnswer(200, passBody))
	slug := h.add(newDoc(up.URL, get("Get", "/thing")))
	run := func(pass bool) *Result {
		return ok(t)(h.exec.Execute(context.Background(), Request{OrgID: h.org, Provider: slug, Function: "Get", PassThrough: pass}))
	}
	res := run(true)
	raw, isRaw := res.Data.(json.RawMessage)
	if !isRaw || string(raw) != passBody {
		t.Fatalf("data = %T %v, want the upstream's text %s", res.Data, res.Data, passBody)
	}
	if res.Raw != nil || res.UpstreamStatus != 200 || res.Attempts != 1 {
		t.Errorf("result = raw %v, status %d, attempts %d; want no tree, 200, 1", res.Raw, res.UpstreamStatus, res.Attempts)
	}
	if tree, parsed := run(false).Data.(map[string]any); !parsed || tree["z"] == nil {
		t.Errorf("without PassThrough data = %T %v, want the parsed tree", run(false).Data, run(false).Data)
	}
}

// TestPassThroughOnlyWhenNothingReadsTheAnswer: every part of a definition
// that reads or reshapes the answer, a trace asked for, an answer that
// echoes a credential, an answer that is not JSON or not valid, and an
// error status all take the parsed path, with its result.
func TestPassThroughOnlyWhenNothingReadsTheAnswer(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		status int
		edit   func(doc *definition.Document, ep *definition.Endpoint)
		trace  bool
		check  func(t *testing.T, res *Result, err error)
	}{
		{name: "extract", body: passBody, edit: func(_ *definition.Document, ep *definition.Endpoint) { ep.Extract = "a" },
			check: wantTree(func(d any) bool { m, _ := d.(map[string]any); return m["s"] == "x" })},
		{name: "response map", body: passBody, edit: func(doc *definition.Document, _ *definition.Endpoint) {
			doc.ParameterMaps = []definition.ParameterMap{{Internal: "zed", External: "z", Direction: "response"}}
		}, check: wantTree(func(d any) bool { m, _ := d.(map[string]any); return m["zed"] != nil && m["z"] == nil })},
		{name: "list", body: passBody, edit: func(_ *definition.Document, ep *definition.Endpoint) { ep.List = true },
			check: wantTree(func(d any) bool { l, _ := d.([]any); return len(l) == 1 })},
		{name: "id_path", body: passBody, edit: func(_ *definition.Document, ep *definition.Endpoint) { ep.IDPath = "a.s" },
			check: func(t *testing.T, res *Result, err error) {
				wantTree(func(any) bool { return true })(t, res, err)
				if res.ID != "x" {
					t.Errorf("id = %q, want x", res.ID)
				}
			}},
		{name: "success condition", body: passBody, edit: func(doc *definition.Document, _ *definition.Endpoint) {
			doc.Success = &definition.Success{Path: "z", Equals: "2"}
		}, check: func(t *testing.T, _ *Result, err error) { wantCode(t, err, "upstream_error") }},
		{name: "error rule on a path", body: passBody, edit: func(doc *definition.Document, _ *definition.Endpoint) {
			doc.ErrorRules = []definition.ErrorRule{{When: definition.When{Path: "a.s", Equals: "x"}, Action: "fail", Message: "said x"}}
		}, check: func(t *testing.T, _ *Result, err error) {
			if e := wantCode(t, err, "upstream_error"); e.Message != "said x" {
				t.Errorf("message = %q", e.Message)
			}
		}},
		{name: "trace", body: passBody, trace: true, check: wantTree(func(any) bool { return true })},
		{name: "a credential in the answer", body: `{"echo":"key-SECRET-123"}`, edit: func(doc *definition.Document, _ *definition.Endpoint) {
			doc.Auth = definition.Auth{Type: "api_key", QueryParam: "key", Template: "{{api_key}}"}
			doc.CredentialFields = definition.Fields("api_key")
		}, check: wantTree(func(d any) bool { m, _ := d.(map[string]any); return m["echo"] == Redacted })},
		{name: "invalid JSON", body: `{"a":`, check: func(t *testing.T, _ *Result, err error) { wantCode(t, err, "upstream_error") }},
		{name: "an error status", body: `{"message":"nope"}`, status: 404, check: func(t *testing.T, _ *Result, err error) {
			if e := wantCode(t, err, "upstream_error"); !strings.Contains(e.Message, "nope") {
				t.Errorf("message = %q, want the upstream's own", e.Message)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			status := tt.status
			if status == 0 {
				status = 200
			}
			up := newUpstream(t, jsonAnswer(status, tt.body))
			ep := get("Get", "/thing")
			doc := newDoc(up.URL)
			if tt.edit != nil {
				tt.edit(doc, &ep)
			}
			doc.Endpoints = []definition.Endpoint{ep}
			slug := h.add(doc)
			h.creds.set("production", map[string]string{"api_key": "key-SECRET-123"})
			res, err := h.exec.Execute(context.Background(), Request{OrgID: h.org, Provider: slug, Function: "Get", PassThrough: true, Trace: tt.trace})
			tt.check(t, res, err)
		})
	}
}

// wantTree checks that the call succeeded with parsed data that meets ok.
func wantTree(ok func(any) bool) func(t *testing.T, res *Result, err error) {
	return func(t *testing.T, res *Result, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("err = %v", err)
		}
		if _, raw := res.Data.(json.RawMessage); raw || !ok(res.Data) {
			t.Errorf("data = %T %v, want the parsed answer", res.Data, res.Data)
		}
	}
}
