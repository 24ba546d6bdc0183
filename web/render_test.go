package web_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/api"
	"switchboard/web"
)

// answers writes v once through web.JSON and once through echo's c.JSON
// (encoding/json) and returns both recorders.
func answers(t testing.TB, target string, v any) (fast, std *httptest.ResponseRecorder) {
	t.Helper()
	e := echo.New()
	fast, std = httptest.NewRecorder(), httptest.NewRecorder()
	if err := web.JSON(e.NewContext(httptest.NewRequest(http.MethodGet, target, nil), fast), http.StatusCreated, v); err != nil {
		t.Fatalf("web.JSON: %v", err)
	}
	if err := e.NewContext(httptest.NewRequest(http.MethodGet, target, nil), std).JSON(http.StatusCreated, v); err != nil {
		t.Fatalf("c.JSON: %v", err)
	}
	return fast, std
}

func sameAnswer(t testing.TB, target string, v any) {
	t.Helper()
	fast, std := answers(t, target, v)
	if fast.Code != std.Code || fast.Header().Get("Content-Type") != std.Header().Get("Content-Type") {
		t.Fatalf("status/type: %d %q, want %d %q", fast.Code, fast.Header().Get("Content-Type"), std.Code, std.Header().Get("Content-Type"))
	}
	if !bytes.Equal(fast.Body.Bytes(), std.Body.Bytes()) {
		t.Fatalf("web.JSON wrote\n%s\nencoding/json writes\n%s", fast.Body.Bytes(), std.Body.Bytes())
	}
}

// TestJSONWritesWhatEncodingJSONWrites: the execute answer's encoder gives
// the same bytes as echo's encoding/json one: sorted map keys, HTML and
// line-separator escapes, invalid UTF-8, numbers kept as given, nested
// lists, ?pretty.
func TestJSONWritesWhatEncodingJSONWrites(t *testing.T) {
	ok := true
	data := map[string]any{"zeta": "<b>&amp;</b>", "alpha": json.Number("12345678901234567890.5"), "Mid": []any{nil, true, 1.5, "\u2028\u2029", "bad \xff utf8"},
		"nested": map[string]any{"b": map[string]any{}, "a": []any{}}, "when": time.Date(2026, 12, 6, 5, 0, 0, 123, time.UTC), "int": 42, "empty": ""}
	answer := api.ExecuteAnswer{OK: true, Function: "GetPatient", Data: data, Meta: api.ExecuteMeta{UpstreamStatus: 200, Attempts: 1,
		DurationMS: 3, RequestID: "abc", Pages: 1}, Success: &ok, Provider: "od", ExecutedAt: "2026-12-06T05:00:00Z"}
	for _, v := range []any{answer, api.ExecuteAnswer{Data: nil}, data, []any{"x", json.RawMessage(`{"b":1, "a" : [ 2 ]}`)}, "plain"} {
		sameAnswer(t, "/api/x", v)
		sameAnswer(t, "/api/x?pretty", v)
	}
	fast, _ := answers(t, "/api/x", map[string]any{"a": 1})
	if got := fast.Body.String(); got != "{\"a\":1}\n" {
		t.Fatalf("answer %q", got)
	}
}

// TestJSONRefusesWhatEncodingJSONRefuses: a value encoding/json cannot
// write (a function) fails the same way through web.JSON.
func TestJSONRefusesWhatEncodingJSONRefuses(t *testing.T) {
	e := echo.New()
	rec := httptest.NewRecorder()
	err := web.JSON(e.NewContext(httptest.NewRequest(http.MethodGet, "/api/x", nil), rec), http.StatusOK, map[string]any{"x": func() {}})
	var unsupported *json.UnsupportedTypeError
	if err == nil || !errors.As(err, &unsupported) {
		t.Fatalf("err = %v, want encoding/json's UnsupportedTypeError", err)
	}
}

// FuzzJSON: any JSON value an upstream may send, parsed as the executor
// parses it (numbers kept as json.Number), is written by web.JSON exactly
// as encoding/json writes it.
func FuzzJSON(f *testing.F) {
	for _, s := range []string{`{"PatNum":42,"LName":"<Ada>","x":[1,2.5e10,null,true]}`, `"\u2028 \ud800 \u00e9"`, `[{"b":{},"a":[]}]`,
		`{"a":"\u0000\u001f\"\\\/"}`, `-0.0`, `{"":"","\u00e9":1}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		var v any
		if dec.Decode(&v) != nil {
			return
		}
		sameAnswer(t, "/api/x", map[string]any{"data": v})
	})
}
