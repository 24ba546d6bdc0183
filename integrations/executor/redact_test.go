package executor

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"switchboard/apperr"
	"switchboard/integrations/definition"
)

func TestRedactorHidesEveryFormOfASecret(t *testing.T) {
	secret := `p&ss <w> "q" é`
	rd := newRedactor([]string{secret, "ab"}, "X-Custom")
	tests := []struct{ name, in string }{
		{"as written", "pw=" + secret},
		{"query-escaped", "pw=" + url.QueryEscape(secret)},
		{"path-escaped", "/x/" + url.PathEscape(secret)},
		{"XML-escaped", "<P>" + xmlEscape(secret) + "</P>"},
		{"JSON-escaped", `{"p":"` + jsonEscape(secret, false) + `"}`},
		{"JSON-escaped with HTML escapes", `{"p":"` + jsonEscape(secret, true) + `"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rd.text(tt.in)
			if !strings.Contains(got, Redacted) || strings.Contains(got, "ss <w>") || strings.Contains(got, "ss &lt;w") || strings.Contains(got, "ss+%3Cw") {
				t.Errorf("redacted %q to %q", tt.in, got)
			}
		})
	}
	if got := rd.text("ab cab"); got != "ab cab" {
		t.Errorf("a two-character value was redacted: %q", got)
	}
	h := rd.headerMap(http.Header{"X-Custom": {"anything"}, "Authorization": {"Basic x"}, "X-Api-Key": {"k"}, "Accept": {"text/plain"}})
	if h["X-Custom"] != Redacted || h["Authorization"] != Redacted || h["X-Api-Key"] != Redacted || h["Accept"] != "text/plain" {
		t.Errorf("headers = %v", h)
	}
	long := rd.body([]byte(strings.Repeat("é", 3000)))
	if len(long) > MaxTraceBody || !strings.HasSuffix(long, "…") {
		t.Errorf("a long body was cut to %d bytes, want at most %d with a mark", len(long), MaxTraceBody)
	}
}

func TestTracesAreRedacted(t *testing.T) {
	h := newHarness(t)
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request, body string) {
		w.Header().Set("Content-Type", "text/xml")
		w.Header().Set("Set-Cookie", "session=abc")
		_, _ = w.Write([]byte("<Echo><Key>" + r.URL.Query().Get("key") + "</Key><Body><![CDATA[" + body + "]]></Body></Echo>"))
	})
	doc := newDoc(up.URL, definition.Endpoint{Function: "Do", Method: "POST", Path: "/do", Params: []definition.Param{{Name: "Note", In: "body"}}})
	doc.Auth = definition.Auth{Type: "api_key", QueryParam: "key", Template: "{{api_key}}"}
	doc.CredentialFields = definition.Fields("api_key", "password")
	doc.RequestFormat = "xml"
	doc.BodyTemplate = "<Req><Password>{{password}}</Password>{{params_xml}}</Req>"
	slug := h.add(doc)
	h.creds.set("production", map[string]string{"api_key": "key-AAA-111", "password": "hunter2&<x>"})
	res := ok(t)(h.run(slug, "Do", map[string]any{"Note": "visible note"}))

	all := res.Request.URL + res.Request.Body + res.Response.Body + strings.Join(values(res.Request.Headers), " ") + strings.Join(values(res.Response.Headers), " ")
	for _, secret := range []string{"key-AAA-111", "hunter2", "session=abc"} {
		if strings.Contains(all, secret) {
			t.Errorf("a trace shows %q:\nrequest %+v\nresponse %+v", secret, res.Request, res.Response)
		}
	}
	if !strings.Contains(res.Request.URL, "key="+Redacted) && !strings.Contains(res.Request.URL, "key="+url.QueryEscape(Redacted)) {
		t.Errorf("request URL = %q, want the key redacted", res.Request.URL)
	}
	if !strings.Contains(res.Request.Body, "visible note") || !strings.Contains(res.Request.Body, "<Password>"+Redacted+"</Password>") {
		t.Errorf("request body = %q, want the note kept and the password redacted", res.Request.Body)
	}
	if up.seen().Body == res.Request.Body {
		t.Error("the upstream received the redacted body")
	}
}

// TestTracesOnlyWhenAsked: without Request.Trace the call works the same
// and carries no traces (the agents' API does not redact a copy of every
// exchange); with it both sides are there.
func TestTracesOnlyWhenAsked(t *testing.T) {
	h := newHarness(t)
	up := newUpstream(t, jsonAnswer(200, `{"id":7}`))
	slug := h.add(newDoc(up.URL, get("Get", "/thing")))
	for _, trace := range []bool{false, true} {
		res, err := h.exec.Execute(context.Background(), Request{OrgID: h.org, Provider: slug, Function: "Get", Trace: trace})
		if err != nil {
			t.Fatalf("trace=%v: %v", trace, err)
		}
		if res.UpstreamStatus != 200 || res.Data == nil {
			t.Errorf("trace=%v: status %d, data %v", trace, res.UpstreamStatus, res.Data)
		}
		traced := res.Request.URL != "" && res.Response.Body != ""
		if traced != trace {
			t.Errorf("trace=%v: request %+v, response %+v", trace, res.Request, res.Response)
		}
	}
}

func TestRedactorHidesFragmentsOfASecret(t *testing.T) {
	const secret = "sk-live-4f9a8b7c6d5e"
	rd := newRedactor([]string{secret, "pin"})
	tests := []struct{ name, in, want string }{
		{"whole", "key " + secret + " refused", "key " + Redacted + " refused"},
		{"its start, cut", "invalid key sk-live-4f9a…", "invalid key " + Redacted + "…"},
		{"8 characters from its middle", "ends in 9a8b7c6d.", "ends in " + Redacted + "."},
		{"7 characters stay", "ends in a8b7c6d.", "ends in a8b7c6d."},
		{"two runs", "4f9a8b7c and 7c6d5e-x and 8b7c6d5e?", Redacted + " and 7c6d5e-x and " + Redacted + "?"},
		{"a short secret, whole only", "pin: pin, pint", "[redacted]: [redacted], [redacted]t"},
		{"nothing", "nothing to hide", "nothing to hide"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rd.text(tt.in); got != tt.want {
				t.Errorf("text(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	t.Run("numbers only whole", func(t *testing.T) {
		rd := newRedactor([]string{"40012345"})
		got := rd.tree(map[string]any{"pin": json.Number("40012345"), "id": json.Number("9400123456"), "note": "pin 40012345"})
		want := map[string]any{"pin": Redacted, "id": json.Number("9400123456"), "note": "pin " + Redacted}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("tree = %v, want %v", got, want)
		}
	})
	t.Run("whole characters", func(t *testing.T) {
		rd := newRedactor([]string{"ñandú-clave-9"})
		got := rd.text("xñandú-claveX")
		if got != "x"+Redacted+"X" || !utf8.ValidString(got) {
			t.Errorf("got %q", got)
		}
	})
}

// TestAnswersAreRedactedOfTheCredentials: an upstream that echoes the
// credentials (whole or in part) in its body, its headers and its error
// messages gives the caller none of them, with or without a trace: the
// data, the raw answer, the headers and the error text are all redacted,
// which is what the agent API, MCP tools and sync attempts show.
func TestAnswersAreRedactedOfTheCredentials(t *testing.T) {
	const key = "od-7Hq2xLp9Vw4Zt8Nc"
	h := newHarness(t)
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request, _ string) {
		got := r.Header.Get("X-Key")
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Echo", "your key is "+got)
		if r.URL.Path == "/fail" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"message": "key ` + got[:12] + `… is not valid"}`))
			return
		}
		_, _ = w.Write([]byte(`{"id": 7, "echo": "` + got + `", "hint": "starts ` + got[:10] + `", "` + got + `": true, "list": ["` + got + `"]}`))
	})
	doc := newDoc(up.URL, get("Get", "/get"), get("Fail", "/fail"))
	doc.Auth = definition.Auth{Type: "api_key", Header: "X-Key", Template: "{{api_key}}"}
	doc.CredentialFields = definition.Fields("api_key")
	slug := h.add(doc)
	h.creds.set("production", map[string]string{"api_key": key})
	leaks := func(where string, v any) {
		t.Helper()
		b, _ := json.Marshal(v)
		if s := string(b); strings.Contains(s, key[:8]) || strings.Contains(s, key[4:12]) || strings.Contains(s, key[10:]) {
			t.Errorf("%s shows the key or part of it: %s", where, s)
		}
	}
	for _, trace := range []bool{false, true} {
		res, err := h.exec.Execute(context.Background(), Request{OrgID: h.org, Provider: slug, Function: "Get", Trace: trace})
		if err != nil {
			t.Fatal(err)
		}
		leaks("data", res.Data)
		leaks("raw", res.Raw)
		leaks("header", res.Header)
		leaks("data trace", res.DataTrace)
		if m, _ := res.Data.(map[string]any); m["echo"] != Redacted || m[Redacted] != true || m["id"] == nil {
			t.Errorf("data = %v, want the echoed key redacted and the rest kept", res.Data)
		}
		res.Release()
		_, err = h.exec.Execute(context.Background(), Request{OrgID: h.org, Provider: slug, Function: "Fail", Trace: trace})
		e := wantCode(t, err, apperr.CodeUpstreamError)
		leaks("error", map[string]any{"message": e.Message, "extra": e.Extra})
		if !strings.Contains(e.Message, "is not valid") {
			t.Errorf("message = %q, want the upstream's words kept", e.Message)
		}
	}
}
