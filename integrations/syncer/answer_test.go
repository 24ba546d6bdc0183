package syncer

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/integrations/definition"
	"switchboard/integrations/sandbox"
	"switchboard/models"
)

// rewriter passes every request to the sandbox and, for the writes of
// one method, replaces the sandbox's answer by body (the write is still
// carried out upstream).
type rewriter struct {
	next   http.Handler
	mu     sync.Mutex
	method string
	body   *string // nil: the sandbox's own answer
}

func (rw *rewriter) set(method string, body *string) {
	rw.mu.Lock()
	rw.method, rw.body = method, body
	rw.mu.Unlock()
}

func (rw *rewriter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rw.mu.Lock()
	method, body := rw.method, rw.body
	rw.mu.Unlock()
	if body == nil || r.Method != method || !strings.HasPrefix(r.URL.Path, sandbox.OpenDentalPrefix+"/patients") {
		rw.next.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	rw.next.ServeHTTP(rec, r)
	if *body != "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write([]byte(*body))
}

// withRewriter points the integration at a rewriter in front of the
// fixture's sandbox.
func withRewriter(rw *rewriter) fixtureOption {
	return func(f *fixture, doc *definition.Document, _ *models.SyncConfig) {
		rw.next = f.rec
		srv := httptest.NewServer(rw)
		f.t.Cleanup(srv.Close)
		base := srv.URL + sandbox.OpenDentalPrefix
		doc.BaseURL = map[string]string{definition.EnvProduction: base, definition.EnvSandbox: base}
	}
}

// An update's answer names no record: an update answered with {} or with
// an empty body is synced, keeping the id it was sent to. A create whose
// answer carries no id still fails, saying so.
func TestAnUpdateAnswerNeedsNoID(t *testing.T) {
	for _, answer := range []string{"{}", ""} {
		name := "answer " + answer
		if answer == "" {
			name = "empty answer"
		}
		t.Run(name, func(t *testing.T) {
			forEachBackend(t, func(t *testing.T, url string) {
				rw := &rewriter{}
				f := newFixture(t, url, withRewriter(rw))
				m := f.manager()
				p, ext := syncedPatient(t, f, m)
				rw.set(http.MethodPut, &answer)
				p.FirstName = "Renamed"
				if _, err := m.UpdatePatient(f.ctx, f.orgID, p); err != nil {
					t.Fatal(err)
				}
				f.run(m)
				waitFor(t, 10*time.Second, "the update to finish", f.settledOrParked)
				for _, j := range f.jobs("patient", p.ID) {
					if j.Status != models.JobSynced || j.ExternalID != ext {
						t.Errorf("job %d %s = %s (external id %q): %s; want synced with %s", j.ID, j.Operation, j.Status, j.ExternalID, j.LastError, ext)
					}
				}
				var upstream string
				for _, up := range f.sb.OpenDentalPatients() {
					if up.LName == p.LastName {
						upstream = up.FName
					}
				}
				if upstream != "Renamed" {
					t.Errorf("upstream first name = %q, want Renamed", upstream)
				}

				rw.set(http.MethodPost, &answer)
				q := newPatient(1)
				q.LastName = "Noid"
				if _, err := m.CreatePatient(f.ctx, f.orgID, q); err != nil {
					t.Fatal(err)
				}
				waitFor(t, 10*time.Second, "the create to finish", f.settledOrParked)
				js := f.jobs("patient", q.ID)
				if len(js) != 1 || js[0].Status != models.JobFailed || !strings.Contains(js[0].LastError, "carries no id") {
					t.Fatalf("create answered without an id: jobs %+v, want one failed saying the answer carries no id", js)
				}
			})
		})
	}
}
