package executor

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// recorder is a loopback Open Dental stand-in: it keeps the last request
// body and answers with an appointment whose AptDateTime is answer.
type recorder struct {
	mu     sync.Mutex
	body   map[string]any
	answer string
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	raw, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	r.body = nil
	_ = json.Unmarshal(raw, &r.body)
	answer := r.answer
	r.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"AptNum": 7, "PatNum": 1, "AptDateTime": answer, "AptStatus": "Scheduled"})
}

// sent is the AptDateTime of the last request.
func (r *recorder) sent() any {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.body["AptDateTime"]
}

// chicagoOpenDental runs the catalog's Open Dental definition against a
// recorder for a practice in America/Chicago.
func chicagoOpenDental(t *testing.T) (func(fn string, params map[string]any) (*Result, error), *recorder) {
	t.Helper()
	h := newHarness(t)
	rec := &recorder{answer: "2026-11-02 09:00:00"}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	slug := h.add(catalogDoc(t, "opendental", srv.URL))
	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	run := func(fn string, params map[string]any) (*Result, error) {
		return h.exec.Execute(context.Background(), Request{OrgID: h.org, Provider: slug, Function: fn, Params: params,
			Zone: chicago, Fields: map[string]string{"developer_key": "dev", "customer_key": "cust"}})
	}
	return run, rec
}

func TestOpenDentalGetsPracticeTimeAcrossDaylightSaving(t *testing.T) {
	run, rec := chicagoOpenDental(t)
	cases := []struct{ start, want string }{
		{"2026-03-07T09:00:00-06:00", "2026-03-07 09:00:00"},
		{"2026-03-08T09:00:00-05:00", "2026-03-08 09:00:00"},
		{"2026-03-09T14:00:00Z", "2026-03-09 09:00:00"},
		{"2026-10-31T09:00:00-05:00", "2026-10-31 09:00:00"},
		{"2026-11-01T15:00:00Z", "2026-11-01 09:00:00"},
		{"2026-11-02T09:00:00-06:00", "2026-11-02 09:00:00"},
		{"2026-12-12T09:00:00-08:00", "2026-12-12 11:00:00"},
		{"2026-11-02T09:00", "2026-11-02 09:00:00"},
	}
	for _, tc := range cases {
		t.Run(tc.start, func(t *testing.T) {
			_, err := run("CreateAppointment", map[string]any{"patient_id": 1, "operatory_ref": 1, "start": tc.start})
			if err != nil {
				t.Fatal(err)
			}
			if got := rec.sent(); got != tc.want {
				t.Errorf("AptDateTime sent for %s: got %v, want %s", tc.start, got, tc.want)
			}
		})
	}
}

func TestOpenDentalAnswersBecomeInstants(t *testing.T) {
	run, rec := chicagoOpenDental(t)
	cases := []struct{ answer, want string }{
		{"2026-11-02 09:00:00", "2026-11-02T09:00:00-06:00"},
		{"2026-10-31 09:00:00", "2026-10-31T09:00:00-05:00"},
		{"2026-03-08 09:00:00", "2026-03-08T09:00:00-05:00"},
		{"2026-03-07 09:00:00", "2026-03-07T09:00:00-06:00"},
	}
	for _, tc := range cases {
		t.Run(tc.answer, func(t *testing.T) {
			rec.mu.Lock()
			rec.answer = tc.answer
			rec.mu.Unlock()
			res, err := run("GetAppointment", map[string]any{"AptNum": 7})
			if err != nil {
				t.Fatal(err)
			}
			apt, _ := res.Data.(map[string]any)
			if got := apt["start"]; got != tc.want {
				t.Errorf("start of an answer %s: got %v, want %s", tc.answer, got, tc.want)
			}
		})
	}
}
