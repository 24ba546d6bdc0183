package reliability

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchboard/integrations/sandbox"
	"switchboard/testsupport"
)

// TestKeyOfARequestKilledAfterCommitReplaysItsAnswer: a keyed create
// waits for its first sync attempt (?wait=10s) while the upstream hangs;
// the server is killed with SIGKILL once the appointment is committed.
// After a restart the same key and body get the committed answer — the
// same appointment, 201, marked as a replay — instead of 409, and nothing
// is created twice; another body under the key is still refused.
func TestKeyOfARequestKilledAfterCommitReplaysItsAnswer(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, url string) {
		p := newPractice(t, url)
		ctx := context.Background()
		var pat record
		p.agent.must(t, http.StatusCreated, "POST", "/api/patients", map[string]any{"first_name": "Kill", "last_name": "Nine"}).decode(t, &pat)
		// Every upstream call now hangs, so the request below sits in its
		// wait after the commit.
		p.sb.SetFaults(sandbox.Faults{LatencyMS: 120_000})
		body := appointmentBody(pat.ID, 0)
		const key = "booking-after-commit"
		died := make(chan error, 1)
		go func() {
			r, err := p.agent.send(ctx, "POST", "/api/appointments?wait=10s", body, key)
			if err == nil {
				err = fmt.Errorf("the request was answered before the kill: %d %s", r.status, r.body)
			}
			died <- err
		}()
		committed := p.waitForAppointments(pat.ID, 1)
		p.srv.kill()
		if err := <-died; strings.Contains(err.Error(), "answered before the kill") {
			t.Fatal(err)
		}
		p.sb.SetFaults(sandbox.Faults{})
		p.srv.start()

		r, err := p.agent.send(ctx, "POST", "/api/appointments?wait=10s", body, key)
		if err != nil {
			t.Fatal(err)
		}
		var got record
		if r.status == http.StatusCreated {
			r.decode(t, &got)
		}
		if r.status != http.StatusCreated || got.ID != committed[0] || !r.replayed() {
			t.Fatalf("the same key and body after the restart = %d (replayed %v) %s, want 201 replaying appointment %d",
				r.status, r.replayed(), r.body, committed[0])
		}
		if ids := p.waitForAppointments(pat.ID, 1); len(ids) != 1 {
			t.Fatalf("appointments of the patient = %v, want only %d", ids, committed[0])
		}
		other := appointmentBody(pat.ID, 1)
		if r, err := p.agent.send(ctx, "POST", "/api/appointments", other, key); err != nil || r.status != http.StatusConflict || !strings.Contains(string(r.body), `"code":"conflict"`) {
			t.Fatalf("the same key with another body = %v %v, want 409 conflict", r, err)
		}
	})
}

// TestKeyOfARequestKilledBeforeCommitIsFree: with external_only the
// upstream is written before anything local; the server is killed while
// that call hangs, before the commit. After a restart the same key and
// body run afresh (201, not a replay, not 409) and create one patient.
func TestKeyOfARequestKilledBeforeCommitIsFree(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, url string) {
		p := newPractice(t, url)
		ctx := context.Background()
		p.admin.must(t, http.StatusOK, "PUT", fmt.Sprintf("/api/admin/integration-settings/%d", p.syncConfigID), map[string]any{
			"integration": "opendental", "enabled": true, "direction": "external_only",
			"sync_on_create": true, "sync_on_update": true, "sync_on_delete": true,
			"entities": []string{"appointment", "patient"}, "conflict_resolution": "newest_wins"})
		p.sb.SetFaults(sandbox.Faults{LatencyMS: 120_000})
		before := p.sb.Stats().Total[sandbox.UpstreamOpenDental]
		body := map[string]any{"first_name": "Before", "last_name": "Commit"}
		const key = "patient-before-commit"
		died := make(chan error, 1)
		go func() {
			_, err := p.agent.send(ctx, "POST", "/api/patients", body, key)
			died <- err
		}()
		waitUntil(t, "the upstream call to arrive", func() bool {
			return p.sb.Stats().Total[sandbox.UpstreamOpenDental] > before
		})
		p.srv.kill()
		if err := <-died; err == nil {
			t.Fatal("the request was answered before the kill")
		}
		p.sb.SetFaults(sandbox.Faults{})
		p.srv.start()

		r, err := p.agent.send(ctx, "POST", "/api/patients", body, key)
		if err != nil {
			t.Fatal(err)
		}
		if r.status != http.StatusCreated || r.replayed() {
			t.Fatalf("the same key and body after the restart = %d (replayed %v) %s, want a fresh 201", r.status, r.replayed(), r.body)
		}
		if n := p.sb.Created().OpenDentalPatients; n != 1 {
			t.Fatalf("patients created upstream = %d, want 1", n)
		}
		again, err := p.agent.send(ctx, "POST", "/api/patients", body, key)
		if err != nil || again.status != http.StatusCreated || !again.replayed() || string(again.body) != string(r.body) {
			t.Fatalf("the replay = %v %v, want the same 201", again, err)
		}
	})
}

// waitForAppointments polls the patient's appointments until there are n
// (they are listed once committed) and returns their ids.
func (p *practice) waitForAppointments(patientID int64, n int) []int64 {
	p.t.Helper()
	var ids []int64
	waitUntil(p.t, fmt.Sprintf("%d appointment(s) of patient %d", n, patientID), func() bool {
		var l struct {
			Items []record `json:"items"`
		}
		p.agent.must(p.t, http.StatusOK, "GET", fmt.Sprintf("/api/appointments?patient_id=%d", patientID), nil).decode(p.t, &l)
		ids = ids[:0]
		for _, a := range l.Items {
			ids = append(ids, a.ID)
		}
		return len(ids) >= n
	})
	return ids
}

// waitUntil polls cond every 20 ms, failing the test after a minute.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("reliability: gave up waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
