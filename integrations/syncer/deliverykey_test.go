package syncer

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/integrations/definition"
	"switchboard/models"
)

// TestEveryRetryOfADeliveryCarriesTheSameKey is the delivery guarantee
// docs/operations.md states: a delivery is sent at least once, and every
// request of it carries the same Idempotency-Key (sync-job-<job id>): the
// executor's own retries, the job's later attempts, and the attempts after
// a save put the parked create back in the queue with new values. An
// upstream that keeps the keys it has seen does the write exactly once.
func TestEveryRetryOfADeliveryCarriesTheSameKey(t *testing.T) {
	forEachBackend(t, func(t *testing.T, url string) {
		f := newFixture(t, url, withIdempotency())
		var mu sync.Mutex
		var keys []string
		var failing atomic.Bool
		failing.Store(true)
		f.rec.setIntercept(func(w http.ResponseWriter, req *http.Request) bool {
			if req.Method != http.MethodPost || !strings.HasSuffix(req.URL.Path, "/patients") {
				return false
			}
			mu.Lock()
			keys = append(keys, req.Header.Get("Idempotency-Key"))
			mu.Unlock()
			if !failing.Load() {
				return false
			}
			w.WriteHeader(http.StatusServiceUnavailable) // retried by the executor, then by the job
			return true
		})
		m := f.manager()
		f.run(m)
		p := newPatient(0)
		if _, err := m.CreatePatient(f.ctx, f.orgID, p); err != nil {
			t.Fatal(err)
		}
		var job models.SyncJob
		waitFor(t, 10*time.Second, "the patient's create to be parked", func() bool {
			if js := f.jobs(definition.EntityPatient, p.ID); len(js) == 1 {
				job = js[0]
			}
			return job.Status == models.JobFailed
		})
		p.LastName = "Fixed"
		failing.Store(false)
		if _, err := m.UpdatePatient(f.ctx, f.orgID, p); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 10*time.Second, "every job synced", f.allSettled)
		mu.Lock()
		defer mu.Unlock()
		want := "sync-job-" + strconv.FormatInt(job.ID, 10)
		if len(keys) <= job.Attempts {
			t.Fatalf("%d requests for %d attempts, want the executor's retries too", len(keys), job.Attempts)
		}
		for i, k := range keys {
			if k != want {
				t.Errorf("request %d carried Idempotency-Key %q, want %q on every one", i+1, k, want)
			}
		}
		if created := f.sb.Created().OpenDentalPatients; created != 1 {
			t.Errorf("%d patients created upstream, want 1", created)
		}
	})
}
