package handlers_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"switchboard/testsupport"
)

// TestIdempotencyAcrossProcesses: two app instances (two HTTP servers, two
// store handles) share one PostgreSQL schema behind a load balancer; 40
// keys are each sent 4 times at once, alternating between the instances.
// Exactly 40 appointments are made, and every answer is 201 with the same
// body per key (the first answer or its replay): none is a 409 for the
// caller's own booking or for a request still running elsewhere.
func TestIdempotencyAcrossProcesses(t *testing.T) {
	dbURL := testsupport.PostgresURL(t)
	o := startSlots(t, dbURL)
	cfg := testsupport.Config(t, dbURL)
	cfg.SyncWorkers = 0
	second := testsupport.StartServer(t, cfg)
	clients := []*testsupport.Client{o.agent, second.ClientWithKey(t, o.agentKey)}

	const keys, copies = 40, 4
	type answer struct {
		status   int
		body     string
		replayed bool
	}
	answers := make([][copies]answer, keys)
	var wg sync.WaitGroup
	for k := range keys {
		body, _ := json.Marshal(o.booking("2030-03-04T15:00:00Z", 30, fmt.Sprintf("P%d", k), fmt.Sprintf("O%d", k)))
		for i := range copies {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := clients[(k+i)%2].Do("POST", "/api/appointments", bytes.NewReader(body), http.Header{
					"Content-Type": {"application/json"}, "Idempotency-Key": {fmt.Sprintf("lb-key-%d", k)}})
				answers[k][i] = answer{r.StatusCode, r.Body, r.Header.Get("Idempotent-Replayed") == "true"}
			}()
		}
	}
	wg.Wait()
	var replays int
	for k, as := range answers {
		for i, a := range as {
			if a.status != http.StatusCreated || a.body != as[0].body {
				t.Errorf("key %d, copy %d = %d %s (first: %d %s)", k, i, a.status, a.body, as[0].status, as[0].body)
			}
			if a.replayed {
				replays++
			}
		}
	}
	if n := o.count(t, "appointments"); n != keys {
		t.Fatalf("%d appointments for %d keys", n, keys)
	}
	if n := o.count(t, "idempotency_keys"); n != keys {
		t.Fatalf("%d idempotency answers for %d keys", n, keys)
	}
	t.Logf("%d requests, %d answered as replays", keys*copies, replays)
}
