package handlers_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/testsupport"
)

// bookingUpstream is a fake target: POST /events answers an id; POST
// /patients answers without one (a delivery that can never succeed).
type bookingUpstream struct {
	mu     sync.Mutex
	bodies map[string][]map[string]any
	srv    *httptest.Server
}

func newBookingUpstream(t *testing.T) *bookingUpstream {
	u := &bookingUpstream{bodies: map[string][]map[string]any{}}
	u.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var body map[string]any
		json.Unmarshal(b, &body)
		u.mu.Lock()
		u.bodies[r.URL.Path] = append(u.bodies[r.URL.Path], body)
		n := len(u.bodies[r.URL.Path])
		u.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/events" {
			json.NewEncoder(w).Encode(map[string]any{"id": "evt-" + string(rune('0'+n))})
			return
		}
		w.Write([]byte(`{}`))
	}))
	t.Cleanup(u.srv.Close)
	return u
}

func (u *bookingUpstream) got(path string) []map[string]any {
	u.mu.Lock()
	defer u.mu.Unlock()
	return append([]map[string]any(nil), u.bodies[path]...)
}

// bookingDoc is a target whose appointment function takes the local
// patient's name, phone and email (a calendar) and that can also create
// patients (POST /patients).
func bookingDoc(base string) map[string]any {
	str := func(name string) map[string]any { return map[string]any{"name": name, "in": "body", "type": "string"} }
	return map[string]any{
		"slug": "booker", "name": "Booker", "base_url": map[string]string{"production": base},
		"endpoints": []map[string]any{
			{"function": "CreateEvent", "method": "POST", "path": "/events", "writes": true, "id_path": "id",
				"params": []map[string]any{str("patient_id"), str("patient_name"), str("patient_phone"), str("patient_email"), str("start")}},
			{"function": "CreatePatient", "method": "POST", "path": "/patients", "writes": true, "id_path": "id",
				"params": []map[string]any{str("first_name"), str("last_name")}},
		},
		"sync": map[string]any{"appointment": map[string]string{"create": "CreateEvent"}, "patient": map[string]string{"create": "CreatePatient"}},
	}
}

// TestAppointmentOnlyTarget: a configuration without patient creates no
// patient job and sends the local patient's name, phone and email; with
// patient in it, an appointment whose patient can never arrive is parked
// with the reason (in the sync error log's default view) instead of
// waiting forever, and retrying it queues no new patient job.
func TestAppointmentOnlyTarget(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv, c, _ := adminAPI(t, dbURL)
		up := newBookingUpstream(t)
		if r := c.SendJSON("POST", "/api/admin/integrations", bookingDoc(up.srv.URL)); r.StatusCode != http.StatusCreated {
			t.Fatalf("create = %d %s", r.StatusCode, r.Body)
		}
		var cfg struct{ ID int64 }
		r := c.SendJSON("POST", "/api/admin/integration-settings", map[string]any{"integration": "booker", "enabled": true, "entities": []string{"appointment"}})
		if r.StatusCode != http.StatusCreated {
			t.Fatalf("settings = %d %s", r.StatusCode, r.Body)
		}
		r.JSON(t, &cfg)
		var pat struct{ ID int64 }
		c.SendJSON("POST", "/api/patients", map[string]any{"first_name": "Ada", "last_name": "Lovelace", "phone": "+13125550100", "email": "ada@example.com"}).JSON(t, &pat)
		start := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Hour).Format(time.RFC3339)
		a := c.SendJSON("POST", "/api/appointments?wait=3s", map[string]any{"patient_id": pat.ID, "start": start, "duration_minutes": 30})
		if a.StatusCode != http.StatusCreated || !strings.Contains(a.Body, `"status":"synced"`) || !strings.Contains(a.Body, `"external_id":"evt-1"`) {
			t.Fatalf("appointment = %d %s", a.StatusCode, a.Body)
		}
		events := up.got("/events")
		if len(events) != 1 || events[0]["patient_name"] != "Ada Lovelace" || events[0]["patient_phone"] != "+13125550100" ||
			events[0]["patient_email"] != "ada@example.com" || events[0]["patient_id"] != nil {
			t.Fatalf("event bodies = %v, want the patient's name, phone and email and no patient id", events)
		}
		var patientJobs int
		srv.App.DB.NewRaw("SELECT count(*) FROM sync_jobs WHERE entity = 'patient'").Scan(t.Context(), &patientJobs)
		if patientJobs != 0 || len(up.got("/patients")) != 0 {
			t.Fatalf("patient jobs = %d, patient calls = %d; want none for an appointment-only target", patientJobs, len(up.got("/patients")))
		}

		// With patient in the entities, a patient that can never arrive
		// parks the appointment with the reason.
		if r := c.SendJSON("PUT", "/api/admin/integration-settings/"+itoa(cfg.ID), map[string]any{"entities": []string{"appointment", "patient"}}); r.StatusCode != 200 {
			t.Fatalf("settings = %d %s", r.StatusCode, r.Body)
		}
		var bob struct{ ID int64 }
		c.SendJSON("POST", "/api/patients?wait=3s", map[string]any{"first_name": "Bob", "last_name": "Stuck"}).JSON(t, &bob)
		later := time.Now().Add(72 * time.Hour).UTC().Truncate(time.Hour).Format(time.RFC3339)
		var appt struct{ ID int64 }
		c.SendJSON("POST", "/api/appointments", map[string]any{"patient_id": bob.ID, "start": later, "duration_minutes": 30}).JSON(t, &appt)
		job := waitForJob(t, c, "appointment", appt.ID, "failed")
		if !strings.Contains(job.LastError, "the patient's sync job") || !strings.Contains(job.LastError, "is failed") {
			t.Fatalf("parked appointment's reason = %q", job.LastError)
		}
		patient := waitForJob(t, c, "patient", bob.ID, "failed")
		if r := c.SendJSON("POST", "/api/admin/sync-errors/"+itoa(patient.ID)+"/dismiss", nil); r.StatusCode >= 300 {
			t.Fatalf("dismiss = %d %s", r.StatusCode, r.Body)
		}
		c.SendJSON("POST", "/api/admin/sync-errors/"+itoa(job.ID)+"/retry", nil)
		job = waitForJob(t, c, "appointment", appt.ID, "failed")
		if !strings.Contains(job.LastError, "was dismissed") {
			t.Fatalf("after the patient's dismissal the appointment says %q", job.LastError)
		}
		var open int
		srv.App.DB.NewRaw("SELECT count(*) FROM sync_jobs WHERE entity = 'patient' AND local_id = ? AND status <> 'dismissed'", bob.ID).Scan(t.Context(), &open)
		if open != 0 {
			t.Fatalf("%d patient jobs were queued again after the dismissal", open)
		}
	})
}

type logJob struct {
	ID        int64  `json:"id"`
	Entity    string `json:"entity"`
	LocalID   int64  `json:"local_id"`
	Status    string `json:"status"`
	LastError string `json:"last_error"`
}

// waitForJob polls the sync error log's default view until the record's
// job has status.
func waitForJob(t *testing.T, c *testsupport.Client, entity string, localID int64, status string) logJob {
	t.Helper()
	var last []logJob
	// A retried job goes through the background engine (River's fetch on
	// PostgreSQL): on a loaded machine under the race detector that has
	// taken more than 5 s, so wait up to 30.
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
		var list struct {
			Items []logJob `json:"items"`
		}
		c.Get("/api/admin/sync-errors").JSON(t, &list)
		last = list.Items
		for _, j := range list.Items {
			if j.Entity == entity && j.LocalID == localID && j.Status == status {
				return j
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no %s job of %s %d in the default view of the sync error log: %+v", status, entity, localID, last)
	return logJob{}
}
