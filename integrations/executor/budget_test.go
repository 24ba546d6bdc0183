package executor

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"switchboard/apperr"
	"switchboard/integrations/definition"
)

// dripping answers a JSON body that declares size bytes and sends 1 KiB
// every 50 ms, until the client goes away.
func dripping(size int) func(http.ResponseWriter, *http.Request, string) {
	return func(w http.ResponseWriter, r *http.Request, _ string) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(size))
		w.WriteHeader(http.StatusOK)
		chunk := make([]byte, 1<<10)
		for i := range chunk {
			chunk[i] = ' '
		}
		for sent := 0; sent+len(chunk) < size; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
}

// outcome is one call's result.
type outcome struct {
	res *Result
	err error
}

// runAll runs fn n times at once and returns the outcomes.
func runAll(n int, fn func() (*Result, error)) []outcome {
	out := make([]outcome, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { out[i].res, out[i].err = fn() })
	}
	wg.Wait()
	return out
}

// TestSlowAnswersOfOneOrganizationLeaveOthersAlone is the red team's
// finding: an integration of organization B whose upstream declares 8 MiB
// and drips 1 KiB at a time, called twice, held the whole 16 MiB budget,
// and organization A's calls failed with 503 after their timeout. A slow
// answer now holds only its first room while it arrives.
func TestSlowAnswersOfOneOrganizationLeaveOthersAlone(t *testing.T) {
	h := newHarness(t)
	orgB := h.addOrg("org-b")
	slow := newUpstream(t, dripping(8<<20))
	slowDoc := newDoc(slow.URL, get("List", "/list"))
	slowDoc.Timeout = definition.Duration(3 * time.Second)
	slowDoc.Retry = &definition.Retry{MaxAttempts: 1}
	slowSlug := h.addTo(orgB, slowDoc)

	// Organization A reads answers of 1 MiB: each needs room past the
	// first 256 KiB, as a large patient list does.
	quick := newUpstream(t, sized("application/json", jsonOfSize(1<<20), false))
	quickDoc := newDoc(quick.URL, get("List", "/list"))
	quickDoc.Timeout = definition.Duration(time.Second)
	quickSlug := h.add(quickDoc)

	slowDone := make(chan []outcome, 1)
	go func() {
		slowDone <- runAll(2, func() (*Result, error) {
			return h.exec.Execute(context.Background(), Request{OrgID: orgB, Provider: slowSlug, Function: "List"})
		})
	}()
	for slow.hits.Load() < 2 {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond) // both answers are dripping
	for i, o := range runAll(4, func() (*Result, error) { return h.run(quickSlug, "List", nil) }) {
		if o.err != nil {
			t.Errorf("organization A's call %d while B's answers drip: %v", i, o.err)
			continue
		}
		o.res.Release()
	}
	if len(slowDone) != 0 {
		t.Fatal("B's slow answers ended before A's calls were made")
	}
	for i, o := range <-slowDone {
		wantCode(t, o.err, apperr.CodeUpstreamTimeout)
		if o.res == nil || o.res.Attempts != 1 {
			t.Errorf("slow call %d: result %+v, want one attempt", i, o.res)
		}
	}
	if h.free() != DefaultResponseBudget {
		t.Errorf("%d bytes of the budget free after every call ended, want all %d", h.free(), DefaultResponseBudget)
	}
}

// TestAnswersOfUnknownLengthWaitForRoom: four chunked 9 MiB answers at
// once used to grow their room as they were read and fail with 503 when
// it could not grow (three of four did); they now arrive whole into spill
// files and are parsed one after the other as room frees up.
func TestAnswersOfUnknownLengthWaitForRoom(t *testing.T) {
	h := newHarness(t)
	up := newUpstream(t, sized("application/json", jsonOfSize(9<<20), true))
	slug := h.add(newDoc(up.URL, get("List", "/list")))
	for i, o := range runAll(4, func() (*Result, error) {
		res, err := h.run(slug, "List", nil)
		res.Release()
		return res, err
	}) {
		if o.err != nil {
			t.Errorf("call %d: %v", i, o.err)
		}
	}
	if h.free() != DefaultResponseBudget {
		t.Errorf("%d bytes of the budget free after the calls, want all", h.free())
	}
}

// TestEachOrganizationAndIntegrationHasItsShare: answers kept unreleased
// fill an integration's share and then an organization's, and the next
// call of that integration or organization waits (here until its timeout:
// 503) while another organization's call goes through.
func TestEachOrganizationAndIntegrationHasItsShare(t *testing.T) {
	const size = 150 << 10
	h := newHarness(t, func(c *Config) {
		c.MaxResponseBytes, c.IntegrationResponseBudget, c.OrgResponseBudget, c.ResponseBudget = 200<<10, 200<<10, 300<<10, 600<<10
	})
	orgB := h.addOrg("org-b")
	up := newUpstream(t, sized("application/json", jsonOfSize(size), false))
	doc := func() *definition.Document {
		d := newDoc(up.URL, get("List", "/list"))
		d.Timeout = definition.Duration(300 * time.Millisecond)
		return d
	}
	b1, b2, a1 := h.addTo(orgB, doc()), h.addTo(orgB, doc()), h.add(doc())
	runB := func(slug string) (*Result, error) {
		return h.exec.Execute(context.Background(), Request{OrgID: orgB, Provider: slug, Function: "List"})
	}
	kept := []*Result{ok(t)(runB(b1))}
	_, err := runB(b1)
	wantCode(t, err, apperr.CodeUnavailable) // b1's share: 150 + 150 > 200 KiB
	kept = append(kept, ok(t)(runB(b2)))
	_, err = runB(b2)
	wantCode(t, err, apperr.CodeUnavailable) // B's share: 300 + 150 > 300 KiB
	kept = append(kept, ok(t)(h.run(a1, "List", nil)))
	for _, r := range kept {
		r.Release()
	}
	ok(t)(runB(b1)).Release()
	if h.free() != 600<<10 {
		t.Errorf("%d bytes free after every answer was released, want all", h.free())
	}
}

// TestACircleOfWaitsIsBroken: two paged calls each keep their first page
// and wait for room for their second, which only the other's first page
// could give. The younger is refused (503) so the older goes on; before,
// a further page that did not fit failed at once, both calls with it.
func TestACircleOfWaitsIsBroken(t *testing.T) {
	const page = 400 << 10
	h := newHarness(t, func(c *Config) { c.MaxResponseBytes, c.ResponseBudget = 1<<20, 1<<20 })
	var mu sync.Mutex
	second := 0
	both := make(chan struct{})
	up := newUpstream(t, func(w http.ResponseWriter, r *http.Request, _ string) {
		if r.URL.Query().Get("offset") != "0" {
			mu.Lock()
			if second++; second == 2 {
				close(both)
			}
			mu.Unlock()
			<-both // answer the second pages only once both calls wait for theirs
		}
		sized("application/json", jsonOfSize(page), false)(w, r, "")
	})
	ep := get("List", "/list")
	ep.Extract = "items"
	ep.Pagination = &definition.Pagination{Type: definition.PageOffset, LimitParam: "limit", OffsetParam: "offset", PageSize: 1, MaxPages: 2}
	slug := h.add(newDoc(up.URL, ep))
	var refused, succeeded int
	for _, o := range runAll(2, func() (*Result, error) { return h.run(slug, "List", nil) }) {
		switch {
		case o.err == nil:
			succeeded++
			if o.res.Pages != 2 {
				t.Errorf("the call that went on read %d pages, want 2", o.res.Pages)
			}
			o.res.Release()
		case apperr.Code(o.err) == apperr.CodeUnavailable:
			refused++
		default:
			t.Errorf("unexpected error: %v", o.err)
		}
	}
	if refused != 1 || succeeded != 1 {
		t.Errorf("%d refused, %d succeeded; want one of each", refused, succeeded)
	}
	if h.free() != 1<<20 {
		t.Errorf("%d bytes free after the calls, want all", h.free())
	}
}

// TestSpillFilesHaveABound: answers that wait on disk are bounded in all
// and per organization (three quarters): past it a call is refused at once
// with 503 and its file is gone; another organization still spills.
func TestSpillFilesHaveABound(t *testing.T) {
	const size = 600 << 10 // past the first 256 KiB room: spilled
	h := newHarness(t, func(c *Config) { c.MaxSpillBytes = 4 * size })
	orgB := h.addOrg("org-b")
	up := newUpstream(t, sized("application/json", jsonOfSize(size), false))
	slugA, slugB := h.add(newDoc(up.URL, get("List", "/list"))), h.addTo(orgB, newDoc(up.URL, get("List", "/list")))
	if !h.exec.spill.take(h.org, 2*size+1) {
		t.Fatal("the spill refused its first bytes")
	}
	_, err := h.run(slugA, "List", nil)
	e := wantCode(t, err, apperr.CodeUnavailable) // A's three quarters are taken
	if _, ok := e.RetryAfter(); !ok {
		t.Errorf("extra %v, want retry_after", e.Extra)
	}
	res, err := h.exec.Execute(context.Background(), Request{OrgID: orgB, Provider: slugB, Function: "List"})
	ok(t)(res, err).Release()
	h.exec.spill.give(h.org, 2*size+1)
	ok(t)(h.run(slugA, "List", nil)).Release()
	if h.exec.spill.bytes != 0 || len(h.exec.spill.orgs) != 0 {
		t.Errorf("spill holds %d bytes (%v) after every call ended", h.exec.spill.bytes, h.exec.spill.orgs)
	}
}
