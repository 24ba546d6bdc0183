package reliability

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"switchboard/testsupport"
)

func jsonInto(b []byte, v any) error { return json.Unmarshal(b, v) }

// check asserts what the run must have left behind.
func (r *crashRun) check(t *testing.T, dbURL string) {
	t.Helper()
	ids := r.checkAnswers(t)
	for _, entity := range []string{"patient", "appointment"} {
		r.checkListed(t, entity, ids[entity])
	}
	r.checkReplays(t)
	db := testsupport.OpenDB(t, dbURL)
	r.checkDrained(t, db, len(r.ops))
	r.checkUpstream(t, db, ids)
	if st := r.p.sb.Stats(); st.FaultsInjected == 0 {
		t.Error("the upstream injected no fault: the outage did not happen")
	}
}

// checkAnswers: every key got a 2xx answer, none was ever refused as
// still running, and no two keys got the same record.
func (r *crashRun) checkAnswers(t *testing.T) map[string][]int64 {
	t.Helper()
	ids := map[string][]int64{}
	seen := map[string]string{}
	for _, o := range r.ops {
		if o.conflicts > 0 {
			t.Errorf("key %s was answered 409 %d time(s) on retry (stuck): %s", o.key, o.conflicts, o.conflict)
		}
		if len(o.unexpected) > 0 {
			t.Errorf("key %s was refused: %v", o.key, o.unexpected)
		}
		if o.id == 0 {
			t.Errorf("key %s never got its answer", o.key)
			continue
		}
		ref := o.entity + " " + strconv.FormatInt(o.id, 10)
		if other, dup := seen[ref]; dup {
			t.Errorf("keys %s and %s both got %s", other, o.key, ref)
		}
		seen[ref] = o.key
		ids[o.entity] = append(ids[o.entity], o.id)
	}
	if want := r.clients * (r.perClient + 1); len(r.ops) != want {
		t.Errorf("%d keys sent, want %d", len(r.ops), want)
	}
	return ids
}

// checkListed: the local records are exactly the acknowledged ones.
func (r *crashRun) checkListed(t *testing.T, entity string, want []int64) {
	t.Helper()
	var got []int64
	for cursor := ""; ; {
		var page struct {
			Items      []record `json:"items"`
			NextCursor string   `json:"next_cursor"`
		}
		r.p.agent.must(t, http.StatusOK, "GET", fmt.Sprintf("/api/%ss?limit=200&cursor=%s", entity, cursor), nil).decode(t, &page)
		for _, it := range page.Items {
			got = append(got, it.ID)
		}
		if cursor = page.NextCursor; cursor == "" || len(page.Items) == 0 {
			break
		}
	}
	slices.Sort(got)
	want = slices.Sorted(slices.Values(want))
	if !slices.Equal(got, want) {
		t.Errorf("local %ss: %d listed, %d acknowledged; they differ", entity, len(got), len(want))
	}
}

// checkReplays sends every key once more, from as many clients as the
// run had: each must replay its record.
func (r *crashRun) checkReplays(t *testing.T) {
	t.Helper()
	work := make(chan *op)
	var mu sync.Mutex
	var bad []string
	var wg sync.WaitGroup
	for range r.clients {
		wg.Go(func() {
			for o := range work {
				if msg := r.replayOnce(o); msg != "" {
					mu.Lock()
					bad = append(bad, msg)
					mu.Unlock()
				}
			}
		})
	}
	for _, o := range r.ops {
		if o.id != 0 {
			work <- o
		}
	}
	close(work)
	wg.Wait()
	for _, msg := range bad[:min(len(bad), 10)] {
		t.Error(msg)
	}
	if len(bad) > 10 {
		t.Errorf("… and %d more replays went wrong", len(bad)-10)
	}
}

func (r *crashRun) replayOnce(o *op) string {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rep, err := r.p.agent.send(ctx, "POST", o.path, o.body, o.key)
	if err != nil {
		return fmt.Sprintf("replay of %s: %v", o.key, err)
	}
	var rec record
	_ = json.Unmarshal(rep.body, &rec)
	if rep.status != o.status || !rep.replayed() || rec.ID != o.id {
		return fmt.Sprintf("replay of %s = %d (replayed %v) id %d, want %d replaying %s %d",
			o.key, rep.status, rep.replayed(), rec.ID, o.status, o.entity, o.id)
	}
	return ""
}

// checkDrained waits (two minutes at most) until no sync job is open, then
// wants all n jobs synced: none parked, none lost.
func (r *crashRun) checkDrained(t *testing.T, db *bun.DB, n int) {
	t.Helper()
	var counts map[string]int
	deadline := time.Now().Add(2 * time.Minute)
	for {
		counts = jobCounts(t, db)
		if counts["pending"]+counts["retrying"] == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	// Exactly one job per creation: an appointment waiting for its patient
	// reuses the patient's open create job instead of queuing another.
	if counts["synced"] != n || len(counts) != 1 {
		t.Errorf("sync jobs by status = %v, want exactly %d, all synced", counts, n)
	}
}

func jobCounts(t *testing.T, db *bun.DB) map[string]int {
	t.Helper()
	var rows []struct {
		Status string `bun:"status"`
		N      int    `bun:"n"`
	}
	err := db.NewSelect().TableExpr("sync_jobs").ColumnExpr("status, COUNT(*) AS n").GroupExpr("status").Scan(context.Background(), &rows)
	if err != nil {
		t.Fatalf("reliability: count sync jobs: %v", err)
	}
	counts := map[string]int{}
	for _, row := range rows {
		counts[row.Status] = row.N
	}
	return counts
}

// checkUpstream: each local record has its own external record, and the
// upstream created exactly as many records as there are local ones (a job
// delivered again after a crash was answered from the sandbox's
// idempotency store, not created twice).
func (r *crashRun) checkUpstream(t *testing.T, db *bun.DB, ids map[string][]int64) {
	t.Helper()
	created := r.p.sb.Created()
	upstream := map[string]int{"patient": created.OpenDentalPatients, "appointment": created.OpenDentalAppointments}
	apts := map[string]bool{}
	for _, a := range r.p.sb.OpenDentalAppointments() {
		apts[strconv.FormatInt(a.AptNum, 10)] = true
	}
	for entity, local := range ids {
		var refs []struct {
			LocalID    int64  `bun:"local_id"`
			ExternalID string `bun:"external_id"`
		}
		err := db.NewSelect().TableExpr("external_refs").Column("local_id", "external_id").
			Where("entity = ?", entity).Scan(context.Background(), &refs)
		if err != nil {
			t.Fatalf("reliability: read external refs: %v", err)
		}
		distinct := map[string]bool{}
		for _, ref := range refs {
			distinct[ref.ExternalID] = true
			if entity == "appointment" && !apts[ref.ExternalID] {
				t.Errorf("appointment %d points at AptNum %s, which the upstream does not hold", ref.LocalID, ref.ExternalID)
			}
		}
		if len(refs) != len(local) || len(distinct) != len(local) || upstream[entity] != len(local) {
			t.Errorf("%ss: %d local, %d external refs (%d distinct), %d created upstream; want one each",
				entity, len(local), len(refs), len(distinct), upstream[entity])
		}
	}
}
