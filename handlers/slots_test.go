package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"switchboard/testsupport"
)

// slotsOrg is an organization with a patient, an agent key, an admin key
// and an enabled dual-write integration to a loopback upstream. No sync
// worker runs, so every job a booking queues stays in the outbox to count.
type slotsOrg struct {
	srv          *testsupport.Server
	agent, admin *testsupport.Client
	agentKey     string
	orgID        int64
	patientID    int64
}

func startSlots(t *testing.T, dbURL string) *slotsOrg {
	t.Helper()
	return startSlotsWith(t, dbURL, "dual_write", new(atomic.Int64))
}

// startSlotsWith is startSlots with the integration's direction, counting
// the upstream's requests in calls.
func startSlotsWith(t *testing.T, dbURL, direction string, calls *atomic.Int64) *slotsOrg {
	t.Helper()
	cfg := testsupport.Config(t, dbURL)
	cfg.SyncWorkers = 0
	srv := testsupport.StartServer(t, cfg)
	org, _ := testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", "owner")
	o := &slotsOrg{srv: srv, orgID: org.ID}
	o.agentKey, _ = testsupport.SeedKey(t, srv.App.Store, org.ID, "agent")
	o.admin, o.agent = srv.KeyClient(t, org.ID, "admin"), srv.ClientWithKey(t, o.agentKey)

	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"ext-1"}`))
	}))
	t.Cleanup(up.Close)
	saveIntegration(t, o.admin, map[string]any{"slug": "pms", "name": "PMS", "base_url": map[string]string{"production": up.URL},
		"endpoints": []map[string]any{
			{"function": "CreateAppointment", "method": "POST", "path": "/appointments", "writes": true, "id_path": "id"},
			{"function": "UpdateAppointment", "method": "PUT", "path": "/appointments/{id}", "writes": true,
				"params": []map[string]any{{"name": "id", "in": "path", "required": true}}},
			{"function": "CreatePatient", "method": "POST", "path": "/patients", "writes": true, "id_path": "id"},
		},
		"sync": map[string]any{"appointment": map[string]any{"create": "CreateAppointment", "update": "UpdateAppointment", "id_path": "id"},
			"patient": map[string]any{"create": "CreatePatient", "id_path": "id"}},
	}, nil)
	if r := o.admin.SendJSON("POST", "/api/admin/integration-settings", map[string]any{"integration": "pms", "enabled": true,
		"direction": direction, "entities": []string{"appointment", "patient"}}); r.StatusCode != http.StatusCreated {
		t.Fatalf("sync settings = %d %s", r.StatusCode, r.Body)
	}
	var p recordOut
	r := o.agent.SendJSON("POST", "/api/patients", map[string]any{"first_name": "Ada", "last_name": "Lovelace"})
	r.JSON(t, &p)
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("create patient = %d %s", r.StatusCode, r.Body)
	}
	o.patientID = p.ID
	return o
}

// count is the number of the organization's rows in table.
func (o *slotsOrg) count(t *testing.T, table string) int {
	t.Helper()
	n, err := o.srv.App.Store.DB().NewSelect().Table(table).Where("organization_id = ?", o.orgID).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

// booking is the body of POST /api/appointments.
func (o *slotsOrg) booking(start string, minutes int, provider, operatory string) map[string]any {
	return map[string]any{"patient_id": o.patientID, "start": start, "duration_minutes": minutes,
		"provider_ref": provider, "operatory_ref": operatory}
}

// book creates an appointment and fails unless it is booked.
func (o *slotsOrg) book(t *testing.T, start string, minutes int, provider, operatory string) int64 {
	t.Helper()
	r := o.agent.SendJSON("POST", "/api/appointments", o.booking(start, minutes, provider, operatory))
	var a recordOut
	r.JSON(t, &a)
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("book %s %dmin %q/%q = %d %s", start, minutes, provider, operatory, r.StatusCode, r.Body)
	}
	return a.ID
}

type slotProblem struct {
	Status                   int    `json:"status"`
	Code                     string `json:"code"`
	Detail                   string `json:"detail"`
	ConflictingAppointmentID int64  `json:"conflicting_appointment_id"`
}

// wantTaken checks that r is 409 slot_taken naming appointment holder.
func wantTaken(t *testing.T, what string, r *testsupport.Response, holder int64) {
	t.Helper()
	if r.StatusCode != http.StatusConflict {
		t.Fatalf("%s = %d %s, want 409 slot_taken naming appointment %d", what, r.StatusCode, r.Body, holder)
	}
	var p slotProblem
	r.JSON(t, &p)
	if r.StatusCode != http.StatusConflict || p.Code != "slot_taken" || p.ConflictingAppointmentID != holder || p.Status != 409 {
		t.Fatalf("%s = %d %s, want 409 slot_taken naming appointment %d", what, r.StatusCode, r.Body, holder)
	}
	if !strings.Contains(p.Detail, fmt.Sprintf("appointment %d", holder)) {
		t.Errorf("%s: the detail %q does not name appointment %d", what, p.Detail, holder)
	}
}

func TestSlotTakenOnCreate(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		o := startSlots(t, dbURL)
		a := o.book(t, "2030-03-04T15:00:00Z", 30, "P1", "O1")
		rows, jobs := o.count(t, "appointments"), o.count(t, "sync_jobs")
		if rows != 1 || jobs != 2 {
			t.Fatalf("after a patient and one booking: %d appointments, %d jobs; want 1, 2", rows, jobs)
		}

		wantTaken(t, "same provider, partial overlap", o.agent.SendJSON("POST", "/api/appointments", o.booking("2030-03-04T15:15:00Z", 30, "P1", "O2")), a)
		wantTaken(t, "same operatory, partial overlap", o.agent.SendJSON("POST", "/api/appointments", o.booking("2030-03-04T14:45:00Z", 30, "P2", "O1")), a)
		wantTaken(t, "inside", o.agent.SendJSON("POST", "/api/appointments", o.booking("2030-03-04T15:10:00Z", 5, "P1", "")), a)
		wantTaken(t, "around", o.agent.SendJSON("POST", "/api/appointments", o.booking("2030-03-04T14:00:00Z", 120, "", "O1")), a)
		wantTaken(t, "an offset naming the same instant", o.agent.SendJSON("POST", "/api/appointments", o.booking("2030-03-04T09:00:00-06:00", 30, "P1", "O1")), a)
		if r, j := o.count(t, "appointments"), o.count(t, "sync_jobs"); r != rows || j != jobs {
			t.Fatalf("refused bookings saved something: %d appointments, %d jobs; want %d, %d", r, j, rows, jobs)
		}

		// Adjacent intervals share no minute; other providers and
		// operatories, and appointments without either, are free.
		o.book(t, "2030-03-04T15:30:00Z", 30, "P1", "O1")
		o.book(t, "2030-03-04T14:30:00Z", 30, "P1", "O1")
		o.book(t, "2030-03-04T15:00:00Z", 30, "P2", "O2")
		o.book(t, "2030-03-04T15:00:00Z", 30, "", "")
		o.book(t, "2030-03-04T15:00:00Z", 30, "", "")
		if r, j := o.count(t, "appointments"), o.count(t, "sync_jobs"); r != 6 || j != 7 {
			t.Fatalf("after six bookings: %d appointments, %d jobs", r, j)
		}
	})
}

func TestSlotTakenKeepsNoIdempotentAnswer(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		o := startSlots(t, dbURL)
		a := o.book(t, "2030-03-04T15:00:00Z", 30, "P1", "O1")
		body, _ := json.Marshal(o.booking("2030-03-04T15:00:00Z", 30, "P1", "O9"))
		send := func() *testsupport.Response {
			return o.agent.Do("POST", "/api/appointments", bytes.NewReader(body), http.Header{"Content-Type": {"application/json"},
				"Accept": {"application/json"}, "Idempotency-Key": {"slot-key-1"}})
		}
		wantTaken(t, "keyed booking of a taken slot", send(), a)
		if n := o.count(t, "idempotency_keys"); n != 0 {
			t.Fatalf("%d idempotency answers stored for a refused booking", n)
		}
		if r := o.agent.SendJSON("DELETE", fmt.Sprintf("/api/appointments/%d", a), nil); r.StatusCode != http.StatusOK {
			t.Fatalf("cancel = %d %s", r.StatusCode, r.Body)
		}
		// The key is free: the same request now books the freed slot.
		if r := send(); r.StatusCode != http.StatusCreated {
			t.Fatalf("the same keyed request after the slot was freed = %d %s", r.StatusCode, r.Body)
		}
	})
}

// TestSlotTakenBeforeADirectWrite books a taken slot with an
// external_only integration, written before anything local: the
// practice system is not asked.
func TestSlotTakenBeforeADirectWrite(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		calls := new(atomic.Int64)
		o := startSlotsWith(t, dbURL, "external_only", calls)
		a := o.book(t, "2030-03-04T15:00:00Z", 30, "P1", "O1")
		if n := calls.Load(); n != 2 {
			t.Fatalf("the upstream got %d requests for a patient and a booking, want 2", n)
		}
		wantTaken(t, "booking the held slot", o.agent.SendJSON("POST", "/api/appointments", o.booking("2030-03-04T15:00:00Z", 30, "P1", "O2")), a)
		if n := calls.Load(); n != 2 {
			t.Fatalf("a refused booking reached the upstream (%d requests)", n)
		}
		if r := o.count(t, "appointments"); r != 1 {
			t.Fatalf("%d appointments", r)
		}
	})
}

func TestSlotTakenOnMove(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		o := startSlots(t, dbURL)
		a := o.book(t, "2030-03-04T15:00:00Z", 30, "P1", "O1")
		b := o.book(t, "2030-03-04T16:00:00Z", 30, "P1", "O1")
		jobs := o.count(t, "sync_jobs")
		path := fmt.Sprintf("/api/appointments/%d", b)

		wantTaken(t, "moving onto the provider's booked time", o.agent.SendJSON("PATCH", path, map[string]any{"start": "2030-03-04T15:20:00Z"}), a)
		wantTaken(t, "lengthening into the next appointment", o.agent.SendJSON("PATCH", fmt.Sprintf("/api/appointments/%d", a), map[string]any{"duration_minutes": 90}), b)
		wantTaken(t, "changing to the operatory in use", o.agent.SendJSON("PATCH", path, map[string]any{"start": "2030-03-04T15:00:00Z", "provider_ref": "P2", "operatory_ref": "O1"}), a)
		var got struct {
			Start    string `json:"start"`
			Provider string `json:"provider_ref"`
			Version  int64  `json:"version"`
		}
		o.agent.Get(path).JSON(t, &got)
		if !strings.HasPrefix(got.Start, "2030-03-04T16:00:00") || got.Provider != "P1" || got.Version != 1 {
			t.Fatalf("a refused move changed the appointment: %+v", got)
		}
		if j := o.count(t, "sync_jobs"); j != jobs {
			t.Fatalf("refused moves queued %d jobs", j-jobs)
		}

		// An appointment never conflicts with itself: saving it in its own
		// slot, or moving it within it, is fine.
		for _, patch := range []map[string]any{{"notes": "bring x-rays"}, {"start": "2030-03-04T16:10:00Z", "duration_minutes": 20}} {
			if r := o.agent.SendJSON("PATCH", path, patch); r.StatusCode != http.StatusOK {
				t.Fatalf("PATCH %v = %d %s", patch, r.StatusCode, r.Body)
			}
		}
		if r := o.agent.SendJSON("PATCH", path, map[string]any{"start": "2030-03-04T15:30:00Z"}); r.StatusCode != http.StatusOK {
			t.Fatalf("moving right after the other appointment = %d %s", r.StatusCode, r.Body)
		}
	})
}

func TestCancelledAppointmentFreesItsSlot(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		o := startSlots(t, dbURL)
		a := o.book(t, "2030-03-04T15:00:00Z", 30, "P1", "O1")
		wantTaken(t, "booking the held slot", o.agent.SendJSON("POST", "/api/appointments", o.booking("2030-03-04T15:00:00Z", 30, "P1", "O1")), a)
		if r := o.agent.SendJSON("DELETE", fmt.Sprintf("/api/appointments/%d", a), nil); r.StatusCode != http.StatusOK {
			t.Fatalf("cancel = %d %s", r.StatusCode, r.Body)
		}
		b := o.book(t, "2030-03-04T15:00:00Z", 30, "P1", "O1")
		// Cancelling is always allowed, even of an appointment whose slot
		// another one holds now; a cancelled one that is edited holds nothing.
		if r := o.agent.SendJSON("PATCH", fmt.Sprintf("/api/appointments/%d", a), map[string]any{"notes": "cancelled by phone"}); r.StatusCode != http.StatusOK {
			t.Fatalf("editing the cancelled appointment = %d %s", r.StatusCode, r.Body)
		}
		if r := o.agent.SendJSON("DELETE", fmt.Sprintf("/api/appointments/%d", a), nil); r.StatusCode != http.StatusOK {
			t.Fatalf("cancelling again = %d %s", r.StatusCode, r.Body)
		}
		wantTaken(t, "booking the slot taken again", o.agent.SendJSON("POST", "/api/appointments", o.booking("2030-03-04T15:10:00Z", 10, "", "O1")), b)
	})
}

func TestAllowOverlapsTurnsTheSlotCheckOff(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		o := startSlots(t, dbURL)
		a := o.book(t, "2030-03-04T15:00:00Z", 30, "P1", "O1")
		if r := o.admin.SendJSON("PUT", "/api/admin/organization", map[string]any{"allow_overlaps": true}); r.StatusCode != http.StatusOK {
			t.Fatalf("allow overlaps = %d %s", r.StatusCode, r.Body)
		}
		b := o.book(t, "2030-03-04T15:00:00Z", 30, "P1", "O1")
		if r := o.agent.SendJSON("PATCH", fmt.Sprintf("/api/appointments/%d", b), map[string]any{"start": "2030-03-04T15:10:00Z"}); r.StatusCode != http.StatusOK {
			t.Fatalf("moving within an overlap allowed = %d %s", r.StatusCode, r.Body)
		}
		if r := o.admin.SendJSON("PUT", "/api/admin/organization", map[string]any{"allow_overlaps": false}); r.StatusCode != http.StatusOK {
			t.Fatalf("forbid overlaps = %d %s", r.StatusCode, r.Body)
		}
		wantTaken(t, "a third booking once overlaps are off", o.agent.SendJSON("POST", "/api/appointments", o.booking("2030-03-04T15:00:00Z", 30, "P1", "O1")), a)
	})
}

// TestSlotRace fires 20 bookings of one slot at once over real HTTP, each
// on a connection of its own: exactly one is booked, the others are told
// the slot is taken by it, and one row exists.
func TestSlotRace(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		o := startSlots(t, dbURL)
		const n = 20
		body, _ := json.Marshal(o.booking("2030-03-04T15:00:00Z", 30, "P1", "O1"))
		start := make(chan struct{})
		type result struct {
			status int
			body   string
			err    error
		}
		results := make([]result, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, _ := http.NewRequest("POST", o.srv.URL+"/api/appointments", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+o.agentKey)
				req.Header.Set("Content-Type", "application/json")
				client := &http.Client{Transport: &http.Transport{}}
				<-start
				resp, err := client.Do(req)
				if err != nil {
					results[i].err = err
					return
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				results[i] = result{status: resp.StatusCode, body: string(b)}
			}()
		}
		close(start)
		wg.Wait()
		var created []int64
		taken := 0
		for _, r := range results {
			switch {
			case r.err != nil:
				t.Errorf("request failed: %v", r.err)
			case r.status == http.StatusCreated:
				var a recordOut
				if err := json.Unmarshal([]byte(r.body), &a); err != nil {
					t.Fatal(err)
				}
				created = append(created, a.ID)
			case r.status == http.StatusConflict && strings.Contains(r.body, `"code":"slot_taken"`):
				taken++
			default:
				t.Errorf("answer %d %s", r.status, r.body)
			}
		}
		if len(created) != 1 || taken != n-1 {
			t.Fatalf("%d booked, %d slot_taken; want 1 and %d", len(created), taken, n-1)
		}
		for _, r := range results {
			if r.status == http.StatusConflict && !strings.Contains(r.body, fmt.Sprintf(`"conflicting_appointment_id":%d`, created[0])) {
				t.Errorf("a refusal does not name the booked appointment %d: %s", created[0], r.body)
			}
		}
		if rows, jobs := o.count(t, "appointments"), o.count(t, "sync_jobs"); rows != 1 || jobs != 2 {
			t.Fatalf("%d appointments and %d jobs saved; want 1 and 2 (the patient's, the booking's)", rows, jobs)
		}
	})
}

// TestBookingFormSaysTheSlotIsTaken books a taken slot on the page: the
// form comes back with the values entered, a message, and a link to the
// appointment that holds the slot.
func TestBookingFormSaysTheSlotIsTaken(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		o := startSlots(t, dbURL)
		a := o.book(t, "2030-03-04T15:00:00Z", 30, "P1", "O1")
		staff := o.srv.NewClient(t)
		testsupport.Seed(t, o.srv.App.Store, "acme", "frontdesk@acme.test", "staff")
		staff.Login("frontdesk@acme.test", testsupport.Password)
		tok := staff.CSRF("/appointments")
		form := url.Values{"_csrf": {tok}, "patient_id": {fmt.Sprint(o.patientID)}, "start": {"2030-03-04T15:15"},
			"duration_minutes": {"45"}, "provider_ref": {"P1"}, "operatory_ref": {"O7"}, "notes": {"wisdom tooth"}}
		r := staff.PostForm("/appointments", form)
		if r.StatusCode != http.StatusConflict {
			t.Fatalf("booking a taken slot on the page = %d\n%.2000s", r.StatusCode, r.Body)
		}
		for _, want := range []string{`data-testid="slot-taken"`, "This slot is taken", "P1 already has Ada Lovelace from 15:00 to 15:30",
			fmt.Sprintf(`href="/appointments/%d" data-testid="slot-taken-link"`, a),
			`value="2030-03-04T15:15"`, `value="45"`, `value="P1"`, `value="O7"`, `value="wisdom tooth"`} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		if n := o.count(t, "appointments"); n != 1 {
			t.Fatalf("%d appointments after a refused booking", n)
		}
		form.Set("start", "2030-03-04T15:30")
		if r := staff.PostForm("/appointments", form); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("booking the free slot after = %d\n%.2000s", r.StatusCode, r.Body)
		}
	})
}
