package executor

import (
	"encoding/json"
	"net/http"
	"net/netip"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/integrations/outbound"
)

func TestValidationNamesEveryBadParameter(t *testing.T) {
	h := newHarness(t)
	up := newUpstream(t, jsonAnswer(200, `{}`))
	doc := newDoc(up.URL, definition.Endpoint{Function: "Book", Method: "POST", Path: "/appointments", Params: []definition.Param{
		{Name: "PatNum", Type: "integer", Required: true},
		{Name: "Op", Type: "integer", Required: true},
		{Name: "Minutes", Type: "number"},
		{Name: "Confirmed", Type: "boolean"},
		{Name: "Status", Type: "string", Enum: []any{"Scheduled", "Broken"}},
		{Name: "Tags", Type: "array"},
		{Name: "Extra", Type: "object"},
	}})
	doc.ParameterMaps = []definition.ParameterMap{
		{Internal: "patient_id", External: "PatNum"},
		{Internal: "start", External: "AptDateTime", Transform: "format_date:2006-01-02 15:04:05"},
	}
	slug := h.add(doc)

	t.Run("every problem is listed under the caller's name", func(t *testing.T) {
		_, err := h.run(slug, "Book", map[string]any{
			"patient_id": "twelve",
			"Minutes":    "ten",
			"Confirmed":  "maybe",
			"Status":     "Gone",
			"Tags":       "a,b",
			"Extra":      []any{1},
			"Colour":     "red",
		})
		e := wantCode(t, err, apperr.CodeValidationFailed)
		got := map[string]string{}
		for _, f := range e.Fields {
			got[f.Field] = f.Message
		}
		want := map[string]string{
			"patient_id": "must be an integer",
			"Op":         "is required",
			"Minutes":    "must be a number",
			"Confirmed":  "must be true or false",
			"Status":     "must be one of Scheduled, Broken",
			"Tags":       "must be an array",
			"Extra":      "must be an object",
			"Colour":     "is not a parameter of Book",
		}
		for field, msg := range want {
			if got[field] != msg {
				t.Errorf("%s: %q, want %q", field, got[field], msg)
			}
		}
		if len(got) != len(want) {
			t.Errorf("fields = %v, want exactly %v", got, keysOf(want))
		}
		if up.hits.Load() != 0 {
			t.Errorf("%d upstream hits, want none", up.hits.Load())
		}
	})
	t.Run("numeric and boolean strings are converted", func(t *testing.T) {
		ok(t)(h.run(slug, "Book", map[string]any{"patient_id": "12", "Op": 3.0, "Minutes": "7.5", "Confirmed": "true"}))
		var body map[string]any
		if err := json.Unmarshal([]byte(up.seen().Body), &body); err != nil {
			t.Fatal(err)
		}
		want := map[string]any{"PatNum": 12.0, "Op": 3.0, "Minutes": 7.5, "Confirmed": true}
		for k, v := range want {
			if body[k] != v {
				t.Errorf("body %s = %#v, want %#v (body %s)", k, body[k], v, up.seen().Body)
			}
		}
	})
	t.Run("internal and external names of one parameter conflict", func(t *testing.T) {
		_, err := h.run(slug, "Book", map[string]any{"patient_id": 1, "PatNum": 2, "Op": 1})
		e := wantCode(t, err, apperr.CodeValidationFailed)
		if len(e.Fields) != 1 || !strings.Contains(e.Fields[0].Message, "second time") {
			t.Errorf("fields = %v, want one conflict", e.Fields)
		}
	})
}

func TestPathValuesAreEscaped(t *testing.T) {
	h := newHarness(t)
	up := newUpstream(t, jsonAnswer(200, `{}`))
	slug := h.add(newDoc(up.URL+"/api/v1/", get("Get", "/files/{name}/meta",
		definition.Param{Name: "name", Required: true}, definition.Param{Name: "q"})))
	res := ok(t)(h.run(slug, "Get", map[string]any{"name": "a/b c?d#e", "q": "x&y=z"}))
	seen := up.seen()
	if want := "/api/v1/files/a%2Fb%20c%3Fd%23e/meta"; seen.RawPath != want {
		t.Errorf("path = %q, want %q", seen.RawPath, want)
	}
	if q, _ := url.ParseQuery(seen.RawQuery); q.Get("q") != "x&y=z" {
		t.Errorf("query q = %q, want x&y=z", q.Get("q"))
	}
	if !strings.Contains(res.Request.URL, "a%2Fb%20c%3Fd%23e") {
		t.Errorf("trace URL = %q", res.Request.URL)
	}
	t.Run("an empty path value is refused", func(t *testing.T) {
		_, err := h.run(slug, "Get", map[string]any{"name": ""})
		e := wantCode(t, err, apperr.CodeValidationFailed)
		if len(e.Fields) != 1 || e.Fields[0].Field != "name" {
			t.Errorf("fields = %v, want name", e.Fields)
		}
	})
}

func TestBodyFormats(t *testing.T) {
	h := newHarness(t)
	up := newUpstream(t, jsonAnswer(200, `{}`))
	post := definition.Endpoint{Function: "Send", Method: "POST", Path: "/send", Params: []definition.Param{
		{Name: "To", Required: true}, {Name: "Body"}, {Name: "Count", Type: "integer"}}}
	tests := []struct {
		name, format, template, contentType string
		check                               func(t *testing.T, body string)
	}{
		{name: "json object of the body parameters", format: "json", contentType: "application/json",
			check: func(t *testing.T, body string) {
				if body != `{"Body":"<hi> & \"bye\"","Count":2,"To":"+1555"}` {
					t.Errorf("body = %s", body)
				}
			}},
		{name: "json body template with escaped values", format: "json", contentType: "application/json",
			template: `{"message": {"to": "{{To}}", "text": "{{Body}}", "n": {{Count}}}}`,
			check: func(t *testing.T, body string) {
				var v map[string]map[string]any
				if err := json.Unmarshal([]byte(body), &v); err != nil {
					t.Fatalf("body %s is not JSON: %v", body, err)
				}
				if v["message"]["text"] != `<hi> & "bye"` || v["message"]["n"] != 2.0 {
					t.Errorf("body = %s", body)
				}
			}},
		{name: "form", format: "form", contentType: "application/x-www-form-urlencoded",
			check: func(t *testing.T, body string) {
				v, _ := url.ParseQuery(body)
				if v.Get("To") != "+1555" || v.Get("Body") != `<hi> & "bye"` || v.Get("Count") != "2" {
					t.Errorf("form = %v", v)
				}
			}},
		{name: "xml with params_xml", format: "xml", contentType: "application/xml; charset=utf-8",
			template: "<Req><Fn>{{function}}</Fn><P>{{params_xml}}</P></Req>",
			check: func(t *testing.T, body string) {
				tree, err := ParseXML(strings.NewReader(body))
				if err != nil {
					t.Fatalf("body %s: %v", body, err)
				}
				if v, _ := Lookup(tree, "Req.P.Body"); v != `<hi> & "bye"` {
					t.Errorf("Req.P.Body = %v (body %s)", v, body)
				}
				if strings.Index(body, "<To>") > strings.Index(body, "<Body>") {
					t.Errorf("params_xml is not in declared order: %s", body)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := newDoc(up.URL, post)
			doc.RequestFormat, doc.BodyTemplate = tt.format, tt.template
			slug := h.add(doc)
			ok(t)(h.run(slug, "Send", map[string]any{"To": "+1555", "Body": `<hi> & "bye"`, "Count": 2}))
			if got := up.seen().Header.Get("Content-Type"); got != tt.contentType {
				t.Errorf("Content-Type = %q, want %q", got, tt.contentType)
			}
			tt.check(t, up.seen().Body)
		})
	}
	t.Run("xml refuses control characters, naming the parameter", func(t *testing.T) {
		doc := newDoc(up.URL, post)
		doc.RequestFormat, doc.BodyTemplate = "xml", "<Req>{{params_xml}}<B>{{Body}}</B></Req>"
		slug := h.add(doc)
		hits := up.hits.Load()
		_, err := h.run(slug, "Send", map[string]any{"To": "a\x01b", "Body": "x\x1by"})
		e := wantCode(t, err, apperr.CodeValidationFailed)
		fields := map[string]bool{}
		for _, f := range e.Fields {
			fields[f.Field] = true
		}
		if !fields["To"] || !fields["Body"] || up.hits.Load() != hits {
			t.Errorf("fields = %v, hits %d→%d; want To and Body refused before sending", e.Fields, hits, up.hits.Load())
		}
	})
}

func TestAccessWindows(t *testing.T) {
	h := newHarness(t)
	up := newUpstream(t, jsonAnswer(200, `{}`))
	doc := newDoc(up.URL, get("Ping", "/ping"))
	doc.BaseURL["sandbox"] = up.URL
	doc.AccessWindows = map[string][]definition.AccessWindow{"production": {{Start: "00:00", End: "11:00"}}}
	slug := h.add(doc)
	tests := []struct {
		name       string
		now        time.Time
		env        string
		open       bool
		retryAfter int
	}{
		{name: "inside the window", now: time.Date(2026, 3, 2, 5, 0, 0, 0, time.UTC), open: true},
		{name: "after it closes waits for midnight", now: time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC), retryAfter: 12 * 3600},
		{name: "just before it closes", now: time.Date(2026, 3, 2, 10, 59, 30, 0, time.UTC), open: true},
		{name: "an environment without windows is always open", now: time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC), env: "sandbox", open: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.clock.Set(tt.now)
			hits := up.hits.Load()
			res, err := h.exec.Execute(t.Context(), Request{OrgID: h.org, Provider: slug, Function: "Ping", Environment: tt.env})
			if tt.open {
				ok(t)(res, err)
				return
			}
			e := wantCode(t, err, apperr.CodeOutsideWindow)
			if e.Extra["retry_after"] != tt.retryAfter || up.hits.Load() != hits {
				t.Errorf("retry_after = %v, hits %d→%d; want %d, no call", e.Extra["retry_after"], hits, up.hits.Load(), tt.retryAfter)
			}
		})
	}
}

func TestDestinationGuard(t *testing.T) {
	t.Run("a client that allows nothing refuses a loopback upstream", func(t *testing.T) {
		policy, err := outbound.NewPolicy(nil)
		if err != nil {
			t.Fatal(err)
		}
		h := newHarness(t, func(c *Config) { c.Client = outbound.NewClient(policy) })
		up := newUpstream(t, jsonAnswer(200, `{}`))
		slug := h.add(newDoc(up.URL, get("Ping", "/ping")))
		res, err := h.run(slug, "Ping", nil)
		wantCode(t, err, apperr.CodeDestinationBlocked)
		if up.hits.Load() != 0 || res == nil || res.Attempts != 1 {
			t.Errorf("hits %d, result %+v; want no hit, one attempt (not retried)", up.hits.Load(), res)
		}
	})
	t.Run("a redirect to a blocked address is refused", func(t *testing.T) {
		hidden := newUpstream(t, jsonAnswer(200, `{"secret":"metadata"}`))
		front := newUpstream(t, func(w http.ResponseWriter, r *http.Request, _ string) {
			http.Redirect(w, r, hidden.URL+"/latest/meta-data", http.StatusFound)
		})
		policy, err := outbound.NewPolicy(nil)
		if err != nil {
			t.Fatal(err)
		}
		policy.AllowAddrPort(netip.MustParseAddrPort(strings.TrimPrefix(front.URL, "http://")))
		h := newHarness(t, func(c *Config) { c.Client = outbound.NewClient(policy) })
		slug := h.add(newDoc(front.URL, get("Ping", "/ping")))
		_, err = h.run(slug, "Ping", nil)
		wantCode(t, err, apperr.CodeDestinationBlocked)
		if front.hits.Load() != 1 || hidden.hits.Load() != 0 {
			t.Errorf("front hits %d, hidden hits %d; want 1 and 0", front.hits.Load(), hidden.hits.Load())
		}
	})
}

func TestLookupErrors(t *testing.T) {
	h := newHarness(t)
	up := newUpstream(t, jsonAnswer(200, `{}`))
	off := false
	doc := newDoc(up.URL, get("Ping", "/ping"), definition.Endpoint{Function: "Old", Method: "GET", Path: "/old", Enabled: &off})
	slug := h.add(doc)
	disabled := newDoc(up.URL, get("Ping", "/ping"))
	disabled.Enabled = &off
	disabledSlug := h.add(disabled)
	tests := []struct {
		name, provider, function, env, code string
	}{
		{"an unknown provider", "nope", "Ping", "", apperr.CodeUnknownProvider},
		{"an unknown function", slug, "Pong", "", apperr.CodeUnknownFunction},
		{"a disabled endpoint", slug, "Old", "", apperr.CodeIntegrationDisabled},
		{"a disabled integration", disabledSlug, "Ping", "", apperr.CodeIntegrationDisabled},
		{"an environment without a base URL", slug, "Ping", "sandbox", apperr.CodeInvalidRequest},
		{"an unknown environment", slug, "Ping", "staging", apperr.CodeInvalidRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := h.exec.Execute(t.Context(), Request{OrgID: h.org, Provider: tt.provider, Function: tt.function, Environment: tt.env})
			e := wantCode(t, err, tt.code)
			if res != nil {
				t.Errorf("result %+v for a call never sent", res)
			}
			if tt.env == "sandbox" && (len(e.Fields) != 1 || e.Fields[0].Field != "base_url.sandbox") {
				t.Errorf("fields = %v, want base_url.sandbox", e.Fields)
			}
		})
	}
	if up.hits.Load() != 0 {
		t.Errorf("upstream hits = %d, want 0", up.hits.Load())
	}
}

// keysOf returns a map's keys, sorted.
func keysOf(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
