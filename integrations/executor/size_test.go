package executor

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"switchboard/apperr"
	"switchboard/integrations/definition"
)

// jsonOfSize is a JSON document of exactly n bytes: {"items":["xx…"]}.
func jsonOfSize(n int) string {
	const frame = len(`{"items":[""]}`)
	return `{"items":["` + strings.Repeat("x", n-frame) + `"]}`
}

// xmlOfSize is an XML document of exactly n bytes.
func xmlOfSize(n int) string {
	const frame = len(`<R><Items><Item></Item></Items></R>`)
	return `<R><Items><Item>` + strings.Repeat("x", n-frame) + `</Item></Items></R>`
}

// sized answers body with its type, with a Content-Length or, when
// chunked, without one (so that only reading finds the size).
func sized(ctype, body string, chunked bool) func(http.ResponseWriter, *http.Request, string) {
	return func(w http.ResponseWriter, _ *http.Request, _ string) {
		w.Header().Set("Content-Type", ctype)
		if !chunked {
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			_, _ = w.Write([]byte(body))
			return
		}
		// Flushing before the end sends the answer chunked.
		_, _ = w.Write([]byte(body[:10]))
		w.(http.Flusher).Flush()
		_, _ = w.Write([]byte(body[10:]))
	}
}

// wantTooLarge checks a response_too_large error: status 502, the limit
// and the upstream's status named, no part of the body quoted.
func wantTooLarge(t *testing.T, err error, limit int64) {
	t.Helper()
	e := wantCode(t, err, apperr.CodeResponseTooLarge)
	if e.Extra["max_response_bytes"] != limit || e.Extra["upstream_status"] != 200 {
		t.Errorf("extra = %v, want max_response_bytes %d and upstream_status 200", e.Extra, limit)
	}
	if !strings.Contains(e.Message, byteSize(limit)) || strings.Contains(e.Message, "xxx") {
		t.Errorf("message = %q, want the limit %s and no body", e.Message, byteSize(limit))
	}
}

func TestAnswerOverTheDefaultCap(t *testing.T) {
	h := newHarness(t)
	for _, chunked := range []bool{false, true} {
		t.Run(fmt.Sprintf("chunked=%v", chunked), func(t *testing.T) {
			up := newUpstream(t, sized("application/json", jsonOfSize(DefaultMaxResponseBytes+1), chunked))
			slug := h.add(newDoc(up.URL, get("List", "/list")))
			res, err := h.run(slug, "List", nil)
			wantTooLarge(t, err, DefaultMaxResponseBytes)
			if res.Attempts != 1 || len(res.Response.Body) > MaxTraceBody {
				t.Errorf("attempts %d, trace body %d bytes; want 1 attempt and at most %d bytes", res.Attempts,
					len(res.Response.Body), MaxTraceBody)
			}
		})
	}
}

func TestAnswerAtTheCapSucceeds(t *testing.T) {
	h := newHarness(t)
	for _, chunked := range []bool{false, true} {
		t.Run(fmt.Sprintf("chunked=%v", chunked), func(t *testing.T) {
			up := newUpstream(t, sized("application/json", jsonOfSize(DefaultMaxResponseBytes), chunked))
			slug := h.add(newDoc(up.URL, get("List", "/list")))
			res := ok(t)(h.run(slug, "List", nil))
			items, _ := Lookup(res.Data, "items.0")
			if s, _ := items.(string); len(s) != DefaultMaxResponseBytes-len(`{"items":[""]}`) {
				t.Errorf("items.0 has %d bytes, want the whole answer's string", len(s))
			}
			res.Release()
		})
	}
}

func TestPagesTogetherOverTheCap(t *testing.T) {
	const limit = 64 << 10
	h := newHarness(t, func(c *Config) { c.MaxResponseBytes = limit })
	// Every page is 30 KiB and full (one item of a page size of 1), so
	// the third page takes the call past 64 KiB.
	up := newUpstream(t, sized("application/json", jsonOfSize(30<<10), false))
	ep := get("List", "/list")
	ep.Extract = "items"
	ep.Pagination = &definition.Pagination{Type: definition.PageOffset, LimitParam: "limit", OffsetParam: "offset", PageSize: 1, MaxPages: 5}
	slug := h.add(newDoc(up.URL, ep))
	_, err := h.run(slug, "List", nil)
	wantTooLarge(t, err, limit)
	if e, _ := apperr.As(err); !strings.Contains(e.Message, "all pages together") {
		t.Errorf("message = %q, want it to say the pages are counted together", e.Message)
	}
	if got := up.hits.Load(); got != 3 {
		t.Errorf("pages fetched = %d, want 3 (the third goes over)", got)
	}
	t.Run("PagesUnderTheCap", func(t *testing.T) {
		ep.Pagination.MaxPages = 2
		slug := h.add(newDoc(up.URL, ep))
		res := ok(t)(h.run(slug, "List", nil))
		if items, _ := res.Data.([]any); len(items) != 2 || res.Pages != 2 {
			t.Errorf("%d items in %d pages, want 2 in 2", len(items), res.Pages)
		}
		res.Release()
	})
}

func TestXMLAnswerCap(t *testing.T) {
	const limit = 32 << 10
	h := newHarness(t, func(c *Config) { c.MaxResponseBytes = limit })
	for _, tc := range []struct {
		name    string
		size    int
		chunked bool
		over    bool
	}{
		{"OverTheCap", limit + 1, false, true},
		{"OverTheCapChunked", limit + 1, true, true},
		{"AtTheCap", limit, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			up := newUpstream(t, sized("application/xml", xmlOfSize(tc.size), tc.chunked))
			ep := get("List", "/list")
			ep.Extract = "R.Items.Item"
			slug := h.add(newDoc(up.URL, ep))
			res, err := h.run(slug, "List", nil)
			if tc.over {
				wantTooLarge(t, err, limit)
				return
			}
			ok(t)(res, err)
			if s, _ := res.Data.(string); len(s) != tc.size-len(`<R><Items><Item></Item></Items></R>`) {
				t.Errorf("R.Items.Item has %d bytes, want the whole text", len(s))
			}
			res.Release()
		})
	}
}

func TestResponseBudgetIsShared(t *testing.T) {
	const size, budget = 600 << 10, 1 << 20
	h := newHarness(t, func(c *Config) { c.MaxResponseBytes, c.ResponseBudget = budget, budget })
	up := newUpstream(t, sized("application/json", jsonOfSize(size), false))
	slug := h.add(newDoc(up.URL, get("List", "/list")))
	held := ok(t)(h.run(slug, "List", nil))
	if h.free() >= budget-size+1 {
		t.Fatalf("a released-not-yet answer of %d bytes holds none of the budget", size)
	}
	// A chunked answer of the same size arrives whole (on to a spill
	// file), then waits for room to be parsed: it goes through once the
	// first answer is released, instead of failing at once.
	chunked := newUpstream(t, sized("application/json", jsonOfSize(size), true))
	growing := h.add(newDoc(chunked.URL, get("List", "/list")))
	type outcome struct {
		res *Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := h.run(growing, "List", nil)
		done <- outcome{res, err}
	}()
	h.waitQueued(1)
	held.Release()
	held.Release() // twice is harmless
	got := <-done
	ok(t)(got.res, got.err).Release()
	if h.free() != budget {
		t.Fatal("Release did not give the budget back")
	}
	// A failed call gives its share back at once.
	fail := newUpstream(t, func(w http.ResponseWriter, r *http.Request, _ string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(jsonOfSize(size)))
	})
	failing := h.add(newDoc(fail.URL, get("List", "/list")))
	_, err := h.run(failing, "List", nil)
	wantCode(t, err, apperr.CodeUpstreamError)
	if h.free() != budget {
		t.Fatal("a failed call kept part of the budget")
	}
}
