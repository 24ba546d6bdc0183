package executor

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// FuzzRetryAfter checks the Retry-After parser: a wait it reads is never
// negative, and whole seconds read as exactly that many seconds.
func FuzzRetryAfter(f *testing.F) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	for _, seed := range []string{"3", "0", "0.5", " 120 ", "-1", "1e3", "NaN", "Inf", "1e30", "soon", "",
		now.Add(7 * time.Second).Format(http.TimeFormat), now.Add(-time.Hour).Format(http.TimeFormat), "Wed, 21 Oct 2015 07:28:00 GMT"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := retryAfter(http.Header{"Retry-After": {v}}, "", now)
		if !ok {
			if d != 0 {
				t.Fatalf("Retry-After %q: no wait read but %v", v, d)
			}
			return
		}
		if d < 0 {
			t.Fatalf("Retry-After %q = %v, a negative wait", v, d)
		}
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 0 && n < 1<<30 {
			if want := time.Duration(n) * time.Second; d != want {
				t.Fatalf("Retry-After %q = %v, want %v", v, d, want)
			}
		}
		if ceilSeconds(d) < 1 {
			t.Fatalf("Retry-After %q gives retry_after %d", v, ceilSeconds(d))
		}
	})
}

// FuzzNextLink checks the Link header parser: what it finds is part of the
// header, and a rel="next" link put first is found whatever follows it.
func FuzzNextLink(f *testing.F) {
	for _, seed := range []string{
		`<https://api.example/items?page=2>; rel="next", <https://api.example/items?page=0>; rel="first"`,
		`<https://api.github.com/repositories/1/issues?page=3>; rel="prev next"`,
		`</a,b>; rel=next`, `<a>; rel="next`, `<>; rel="next"`, `<a>`, `"<a>; rel=next"`, `<<a>>; rel=next`, "",
	} {
		f.Add(seed, "/items?page=2&per_page=50")
	}
	f.Fuzz(func(t *testing.T, header, target string) {
		if got := nextLink([]string{header}); !strings.Contains(header, got) {
			t.Fatalf("nextLink(%q) = %q, not part of the header", header, got)
		}
		if target != strings.TrimSpace(target) || strings.ContainsAny(target, `<>",;`) {
			return
		}
		v := "<" + target + `>; rel="next", ` + header
		if got := nextLink([]string{v}); got != target {
			t.Fatalf("nextLink(%q) = %q, want %q", v, got, target)
		}
	})
}

// FuzzParseJSONAnswer checks the JSON answer tree: a body it reads
// re-encodes to a body that reads back to the same tree (numbers exact).
func FuzzParseJSONAnswer(f *testing.F) {
	for _, seed := range []string{`{"items":[{"id":1},{"id":2}],"next":null}`, `"Patient not found."`, `[1.50, -0, 1e400, 12345678901234567890123]`,
		`{"a":"\u00e9\ud83d\ude00","b":"\ud800"}`, `{"a":1} trailing`, ``, `{`, `nul`, "\xff"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		tree, err := ParseJSON(bytes.NewReader(body))
		if err != nil || tree == nil {
			return
		}
		again, err := json.Marshal(tree)
		if err != nil {
			t.Fatalf("tree of %q does not re-encode: %v", body, err)
		}
		back, err := ParseJSON(bytes.NewReader(again))
		if err != nil || !reflect.DeepEqual(back, tree) {
			t.Fatalf("tree of %q re-encoded as %s reads back as %#v (%v)", body, again, back, err)
		}
	})
}

// FuzzLookup checks dot paths over parsed answers (JSON or XML): following
// a.b is following a, then b from there.
func FuzzLookup(f *testing.F) {
	f.Add([]byte(`{"items":[{"id":1,"tags":["x"]},{"id":2}],"next":{"cursor":"c2"}}`), "items", "1.id")
	f.Add([]byte(`{"items":[{"id":1}]}`), "items.0", "id")
	f.Add([]byte(`<GetDataResponse><ResponseStatus>Success</ResponseStatus><Records><Record><patGUID>a</patGUID></Record></Records></GetDataResponse>`),
		"GetDataResponse.Records", "Record.0.patGUID")
	f.Add([]byte(`<R><Records><Record id="1">t<x/></Record><Record/></Records></R>`), "R.Records.Record", "0.@id")
	f.Fuzz(func(t *testing.T, body []byte, a, b string) {
		if a == "" || b == "" {
			return // the empty path is the whole tree, not a segment
		}
		var tree any
		var err error
		if bytes.HasPrefix(bytes.TrimSpace(body), []byte("<")) {
			tree, err = ParseXML(bytes.NewReader(body))
		} else {
			tree, err = ParseJSON(bytes.NewReader(body))
		}
		if err != nil {
			return
		}
		whole, okWhole := Lookup(tree, a+"."+b)
		mid, okMid := Lookup(tree, a)
		var step any
		okStep := false
		if okMid {
			step, okStep = Lookup(mid, b)
		}
		if okWhole != okStep || !reflect.DeepEqual(whole, step) {
			t.Fatalf("Lookup %q = %#v (%v), but %q then %q = %#v (%v)", a+"."+b, whole, okWhole, a, b, step, okStep)
		}
	})
}
