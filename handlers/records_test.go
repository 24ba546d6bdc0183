package handlers_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"switchboard/integrations/syncer"
	"switchboard/testsupport"
)

// demoAdmin starts the demo and returns clients with an agent key and an
// admin key of the demo organization.
func demoAdmin(t *testing.T) (*testsupport.Server, *testsupport.Client, *testsupport.Client) {
	t.Helper()
	srv, agent := demoAgent(t)
	org := srv.DemoOrg(t)
	// These tests set sync up themselves: let the demo's own patients
	// finish syncing, then drop the demo's dual-write.
	settleSync(t, srv)
	tn := srv.App.Store.Tenant(org.ID)
	cfgs, err := tn.SyncConfigs(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, cfg := range cfgs {
		if err := tn.DeleteSyncConfig(t.Context(), cfg.ID); err != nil {
			t.Fatal(err)
		}
	}
	admin := srv.KeyClient(t, org.ID, "admin")
	return srv, agent, admin
}

// demoStaff signs a front-desk user of the demo organization in.
func demoStaff(t *testing.T, srv *testsupport.Server) *testsupport.Client {
	t.Helper()
	testsupport.Seed(t, srv.App.Store, "demo", "frontdesk@demo.test", "staff")
	c := srv.NewClient(t)
	c.Login("frontdesk@demo.test", testsupport.Password)
	return c
}

type stateOut struct {
	Integration string `json:"integration"`
	Mode        string `json:"mode"`
	Status      string `json:"status"`
	ExternalID  string `json:"external_id"`
	Error       string `json:"error"`
	JobID       int64  `json:"job_id"`
}

type recordOut struct {
	ID     int64      `json:"id"`
	Status string     `json:"status"`
	Sync   []stateOut `json:"sync"`
}

func TestRecordsAPIWithDualWrite(t *testing.T) {
	srv, agent, admin := demoAdmin(t)
	r := admin.SendJSON("POST", "/api/admin/integration-settings", map[string]any{"integration": "opendental", "enabled": true,
		"direction": "dual_write", "entities": []string{"appointment", "patient"}, "conflict_resolution": "newest_wins"})
	if r.StatusCode != 201 || !strings.Contains(r.Body, `"webhook_secret":"whsec_`) {
		t.Fatalf("create settings = %d %s", r.StatusCode, r.Body)
	}
	var cfg struct {
		ID int64 `json:"id"`
	}
	r.JSON(t, &cfg)
	if got := admin.Get(fmt.Sprintf("/api/admin/integration-settings/%d", cfg.ID)); strings.Contains(got.Body, "whsec_") {
		t.Fatal("the webhook secret is shown again")
	}

	// Validation names each bad field.
	bad := agent.SendJSON("POST", "/api/patients", map[string]any{"first_name": "", "birthdate": "1990-13-45", "email": "nope"})
	if bad.StatusCode != 422 || !strings.Contains(bad.Body, `"field":"first_name"`) || !strings.Contains(bad.Body, `"field":"last_name"`) ||
		!strings.Contains(bad.Body, `"field":"birthdate"`) || !strings.Contains(bad.Body, `"field":"email"`) {
		t.Fatalf("bad patient = %d %s", bad.StatusCode, bad.Body)
	}
	if r := agent.SendJSON("POST", "/api/patients", map[string]any{"first_name": "A", "last_name": "B", "nickname": "x"}); r.StatusCode != 400 || !strings.Contains(r.Body, "nickname") {
		t.Fatalf("unknown field = %d %s", r.StatusCode, r.Body)
	}

	var p recordOut
	r = agent.SendJSON("POST", "/api/patients?wait=5s", map[string]any{"first_name": "Grace", "last_name": "Hopper", "phone": "(503) 555-0100"})
	r.JSON(t, &p)
	if r.StatusCode != 201 || len(p.Sync) != 1 || p.Sync[0].Status != "synced" || p.Sync[0].ExternalID == "" || p.Sync[0].Mode != "dual_write" {
		t.Fatalf("create patient = %d %s", r.StatusCode, r.Body)
	}
	var a recordOut
	r = agent.SendJSON("POST", "/api/appointments?wait=5s", map[string]any{"patient_id": p.ID, "start": "2030-01-02T21:00:00Z",
		"duration_minutes": 45, "operatory_ref": "1", "provider_ref": "1"})
	r.JSON(t, &a)
	if r.StatusCode != 201 || len(a.Sync) != 1 || a.Sync[0].Status != "synced" {
		t.Fatalf("create appointment = %d %s", r.StatusCode, r.Body)
	}
	apts := srv.DemoSandbox(t).OpenDentalAppointments()
	if last := apts[len(apts)-1]; !strings.HasPrefix(last.AptDateTime, "2030-01-02 15:00") || fmt.Sprint(last.PatNum) != p.Sync[0].ExternalID {
		t.Fatalf("the sandbox got %+v for patient %s", last, p.Sync[0].ExternalID)
	}
	// The appointment's page shows its details and, per integration, the
	// external id it got.
	staff := demoStaff(t, srv)
	page := staff.Get(fmt.Sprintf("/appointments/%d", a.ID))
	for _, want := range []string{fmt.Sprintf(`href="/patients/%d"`, p.ID), "Grace Hopper", "Operatory", "Provider",
		`data-testid="sync-panel"`, "External id", a.Sync[0].ExternalID} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the appointment page lacks %q", want)
		}
	}
	if r := agent.SendJSON("POST", "/api/appointments", map[string]any{"patient_id": p.ID, "start": "2030-01-02T15:00:00Z"}); r.StatusCode != 422 || !strings.Contains(r.Body, `"field":"end"`) {
		t.Fatalf("no end or duration = %d %s", r.StatusCode, r.Body)
	}

	// PATCH, GET, list, DELETE (cancels).
	r = agent.SendJSON("PATCH", fmt.Sprintf("/api/appointments/%d?wait=5s", a.ID), map[string]any{"notes": "bring x-rays"})
	if r.StatusCode != 200 || !strings.Contains(r.Body, "bring x-rays") {
		t.Fatalf("patch = %d %s", r.StatusCode, r.Body)
	}
	if r := agent.Get(fmt.Sprintf("/api/appointments/%d", a.ID)); r.StatusCode != 200 || !strings.Contains(r.Body, `"external_id"`) {
		t.Fatalf("get = %d %s", r.StatusCode, r.Body)
	}
	var l struct {
		Items []recordOut `json:"items"`
	}
	agent.Get(fmt.Sprintf("/api/appointments?from=2030-01-01&to=2030-01-03&patient_id=%d", p.ID)).JSON(t, &l)
	if len(l.Items) != 1 {
		t.Fatalf("list = %+v", l.Items)
	}
	if r := agent.Get("/api/appointments?from=yesterday"); r.StatusCode != 422 {
		t.Fatalf("bad from = %d", r.StatusCode)
	}
	r = agent.Do("DELETE", fmt.Sprintf("/api/appointments/%d?wait=5s", a.ID), nil, nil)
	r.JSON(t, &a)
	if r.StatusCode != 200 || a.Status != "cancelled" {
		t.Fatalf("cancel = %d %s", r.StatusCode, r.Body)
	}
	apts = srv.DemoSandbox(t).OpenDentalAppointments()
	if last := apts[len(apts)-1]; last.AptStatus != "Broken" {
		t.Fatalf("the cancellation did not reach the sandbox: %+v", last)
	}
}

func TestDualWriteSurvivesAnOutageAndShowsInTheErrorLog(t *testing.T) {
	srv, agent, admin := demoAdmin(t)
	admin.SendJSON("POST", "/api/admin/integration-settings", map[string]any{"integration": "opendental", "enabled": true, "direction": "dual_write", "entities": []string{"patient"}})
	setDemoFaults(t, srv, sandboxOutage())
	var p recordOut
	r := agent.SendJSON("POST", "/api/patients?wait=3s", map[string]any{"first_name": "Down", "last_name": "Time"})
	r.JSON(t, &p)
	if r.StatusCode != 201 || len(p.Sync) != 1 || (p.Sync[0].Status != "retrying" && p.Sync[0].Status != "pending") {
		t.Fatalf("local write during an outage = %d %s", r.StatusCode, r.Body)
	}
	var errs struct {
		Items []struct {
			ID     int64  `json:"id"`
			Status string `json:"status"`
		} `json:"items"`
	}
	admin.Get("/api/admin/sync-errors").JSON(t, &errs)
	if len(errs.Items) != 1 {
		t.Fatalf("sync errors = %+v", errs.Items)
	}
	// Staff see the failure on the patient's page, with the way to the job.
	staff := demoStaff(t, srv)
	page := staff.Get(fmt.Sprintf("/patients/%d", p.ID))
	for _, want := range []string{`data-testid="sync-panel"`, "503", fmt.Sprintf(`href="/sync-errors/%d"`, errs.Items[0].ID)} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the patient page lacks %s:\n%.3000s", want, page.Body)
		}
	}
	setDemoFaults(t, srv, sandboxOK())
	if r := admin.Do("POST", fmt.Sprintf("/api/admin/sync-errors/%d/retry", errs.Items[0].ID), nil, nil); r.StatusCode != 200 {
		t.Fatalf("retry = %d %s", r.StatusCode, r.Body)
	}
	r = agent.Get(fmt.Sprintf("/api/patients/%d", p.ID))
	for i := 0; i < 50 && !strings.Contains(r.Body, `"status":"synced"`); i++ {
		waitABit()
		r = agent.Get(fmt.Sprintf("/api/patients/%d", p.ID))
	}
	if !strings.Contains(r.Body, `"status":"synced"`) {
		t.Fatalf("after the retry = %s", r.Body)
	}
}

func TestIdempotencyKeys(t *testing.T) {
	_, agent, _ := demoAdmin(t)
	body := map[string]any{"first_name": "Idem", "last_name": "Potent"}
	send := func(key string, b any) *testsupport.Response {
		return agent.Do("POST", "/api/patients", strings.NewReader(mustJSON(b)), http.Header{"Content-Type": {"application/json"}, "Idempotency-Key": {key}})
	}
	first := send("key-1", body)
	again := send("key-1", body)
	if first.StatusCode != 201 || again.StatusCode != 201 || first.Body != again.Body || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay: %d %q / %d %q", first.StatusCode, first.Body, again.StatusCode, again.Body)
	}
	other := send("key-1", map[string]any{"first_name": "Other", "last_name": "Body"})
	if other.StatusCode != 409 || !strings.Contains(other.Body, "different request") {
		t.Fatalf("same key, other body = %d %s", other.StatusCode, other.Body)
	}
	var l struct {
		Items []recordOut `json:"items"`
	}
	agent.Get("/api/patients?q=potent").JSON(t, &l)
	if len(l.Items) != 1 {
		t.Fatalf("the replay created %d patients", len(l.Items))
	}
	// Concurrent requests under one key: one runs, the others wait for it
	// and get its answer replayed; never a second patient, never a 409.
	var wg sync.WaitGroup
	codes := make([]int, 8)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = send("key-2", map[string]any{"first_name": "Race", "last_name": "Condition"}).StatusCode
		}()
	}
	wg.Wait()
	agent.Get("/api/patients?q=condition").JSON(t, &l)
	if len(l.Items) != 1 {
		t.Fatalf("concurrent same-key requests created %d patients (codes %v)", len(l.Items), codes)
	}
	for _, c := range codes {
		if c != 201 {
			t.Fatalf("codes %v", codes)
		}
	}
}

func TestWebhookSignatures(t *testing.T) {
	srv, _, admin := demoAdmin(t)
	r := admin.SendJSON("POST", "/api/admin/integration-settings", map[string]any{"integration": "opendental", "enabled": true, "direction": "from_external", "entities": []string{"patient"}})
	var cfg struct {
		Secret string `json:"webhook_secret"`
	}
	r.JSON(t, &cfg)
	body := `{"entity":"patient","external_id":"9001","data":{"first_name":"Web","last_name":"Hook"},"updated_at":"2030-01-01T00:00:00Z"}`
	c := srv.NewClient(t)
	post := func(sig string) *testsupport.Response {
		h := http.Header{"Content-Type": {"application/json"}}
		if sig != "" {
			h.Set("X-Switchboard-Signature", sig)
		}
		return c.Do("POST", "/webhooks/demo/opendental", strings.NewReader(body), h)
	}
	if r := post(""); r.StatusCode != 401 {
		t.Fatalf("missing signature = %d %s", r.StatusCode, r.Body)
	}
	if r := post(syncer.Sign("wrong-secret", []byte(body))); r.StatusCode != 401 {
		t.Fatalf("bad signature = %d %s", r.StatusCode, r.Body)
	}
	if r := post(syncer.Sign(cfg.Secret, []byte(body))); r.StatusCode != 202 {
		t.Fatalf("good signature = %d %s", r.StatusCode, r.Body)
	}
	var l struct {
		Items []recordOut `json:"items"`
	}
	admin.Get("/api/patients?q=hook").JSON(t, &l)
	if len(l.Items) != 1 {
		t.Fatalf("the webhook did not create the patient: %+v", l.Items)
	}
}

func TestRecordsAreTenantScoped(t *testing.T) {
	srv, agent, _ := demoAdmin(t)
	var p recordOut
	agent.SendJSON("POST", "/api/patients", map[string]any{"first_name": "Only", "last_name": "Demo"}).JSON(t, &p)
	globex, _ := testsupport.Seed(t, srv.App.Store, "globex", "owner@globex.test", "owner")
	g := srv.KeyClient(t, globex.ID, "agent")
	for _, r := range []*testsupport.Response{
		g.Get(fmt.Sprintf("/api/patients/%d", p.ID)),
		g.SendJSON("PATCH", fmt.Sprintf("/api/patients/%d", p.ID), map[string]any{"first_name": "Stolen"}),
		g.Do("DELETE", fmt.Sprintf("/api/patients/%d", p.ID), nil, nil),
		g.SendJSON("POST", "/api/appointments", map[string]any{"patient_id": p.ID, "start": "2030-01-01T10:00:00Z", "duration_minutes": 30}),
	} {
		if r.StatusCode != 404 && r.StatusCode != 422 {
			t.Errorf("globex reached demo's patient: %d %s", r.StatusCode, r.Body)
		}
	}
	if r := agent.Get(fmt.Sprintf("/api/patients/%d", p.ID)); !strings.Contains(r.Body, `"Only"`) {
		t.Fatal("demo's patient changed")
	}
}

// settleSync waits until no sync job is waiting or running.
func settleSync(t *testing.T, srv *testsupport.Server) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var n int
		if err := srv.App.DB.NewRaw("SELECT count(*) FROM sync_jobs WHERE status NOT IN ('synced', 'dismissed')").Scan(t.Context(), &n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d sync jobs still open", n)
		}
		time.Sleep(25 * time.Millisecond)
	}
}
