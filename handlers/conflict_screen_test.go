package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchboard/integrations/syncer"
	"switchboard/models"
	"switchboard/testsupport"
)

// conflictRig is the demo with its Open Dental configuration turned
// bidirectional with manual conflict resolution.
type conflictRig struct {
	srv    *testsupport.Server
	agent  *testsupport.Client
	staff  *testsupport.Client
	orgID  int64
	secret string
}

func newConflictRig(t *testing.T, dbURL string) *conflictRig {
	t.Helper()
	srv, agent, admin := demoOn(t, dbURL)
	settleSync(t, srv)
	org := srv.DemoOrg(t)
	var list struct {
		Items []struct {
			ID          int64  `json:"id"`
			Integration string `json:"integration"`
		} `json:"items"`
	}
	admin.Get("/api/admin/integration-settings").JSON(t, &list)
	var cfgID int64
	for _, it := range list.Items {
		if it.Integration == "opendental" {
			cfgID = it.ID
		}
	}
	if cfgID == 0 {
		t.Fatalf("the demo has no Open Dental sync configuration: %+v", list)
	}
	path := fmt.Sprintf("/api/admin/integration-settings/%d", cfgID)
	// A day between polls: the first poll runs at once, the next not
	// during the test, so that only the webhooks below bring changes in.
	if r := admin.SendJSON("PUT", path, map[string]any{"direction": "bidirectional", "conflict_resolution": "manual",
		"poll_interval_seconds": 86400}); r.StatusCode != http.StatusOK {
		t.Fatalf("PUT %s = %d %s", path, r.StatusCode, r.Body)
	}
	var sec struct {
		Secret string `json:"webhook_secret"`
	}
	admin.SendJSON("POST", path+"/webhook-secret", map[string]any{}).JSON(t, &sec)
	if sec.Secret == "" {
		t.Fatal("no webhook secret")
	}
	rig := &conflictRig{srv: srv, agent: agent, staff: demoStaff(t, srv), orgID: org.ID, secret: sec.Secret}
	rig.waitFirstPoll(t, cfgID)
	return rig
}

// waitFirstPoll waits until the configuration's first poll stored its
// bookmarks.
func (r *conflictRig) waitFirstPoll(t *testing.T, cfgID int64) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		cfgs, err := r.srv.App.Store.Tenant(r.orgID).SyncConfigs(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cfgs {
			if c.ID == cfgID && c.Bookmarks != "" && c.Bookmarks != "{}" {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("the first poll never ran")
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// syncedPatient creates a patient through the API and waits until it is
// in Open Dental; it returns the local and external ids.
func (r *conflictRig) syncedPatient(t *testing.T, last string) (int64, string) {
	t.Helper()
	var p recordOut
	resp := r.agent.SendJSON("POST", "/api/patients?wait=5s", map[string]any{"first_name": "Orig", "last_name": last, "phone": "5551110000"})
	resp.JSON(t, &p)
	if resp.StatusCode != http.StatusCreated || len(p.Sync) != 1 || p.Sync[0].Status != models.JobSynced || p.Sync[0].ExternalID == "" {
		t.Fatalf("create patient = %d %s", resp.StatusCode, resp.Body)
	}
	return p.ID, p.Sync[0].ExternalID
}

// conflict changes the patient here (its push held back by an outage) and
// in Open Dental (a webhook), and returns the conflict job's id.
func (r *conflictRig) conflict(t *testing.T, id int64, ext string, local, external map[string]any) int64 {
	t.Helper()
	setDemoFaults(t, r.srv, sandboxOutage())
	if resp := r.agent.SendJSON("PATCH", fmt.Sprintf("/api/patients/%d", id), local); resp.StatusCode != http.StatusOK {
		t.Fatalf("PATCH = %d %s", resp.StatusCode, resp.Body)
	}
	r.waitRetrying(t, id)
	body := webhookBytes(t, syncer.Change{Entity: "patient", ExternalID: ext, Data: external})
	c := r.srv.NewClient(t)
	resp := c.Do("POST", "/webhooks/demo/opendental", strings.NewReader(string(body)),
		http.Header{"Content-Type": {"application/json"}, "X-Switchboard-Signature": {syncer.Sign(r.secret, body)}})
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("webhook = %d %s", resp.StatusCode, resp.Body)
	}
	setDemoFaults(t, r.srv, sandboxOK())
	jobs, err := r.srv.App.Store.Tenant(r.orgID).SyncJobs(t.Context(), models.SyncJobFilter{Entity: "patient", LocalID: id,
		Status: []string{models.JobConflict}})
	if err != nil || len(jobs) != 1 {
		t.Fatalf("conflict jobs = %+v (%v), want one", jobs, err)
	}
	return jobs[0].ID
}

// waitRetrying waits until the patient's push has failed an attempt and
// waits for its next one (no worker holds it).
func (r *conflictRig) waitRetrying(t *testing.T, id int64) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		states, err := r.srv.App.Sync.States(t.Context(), r.orgID, "patient", id)
		if err != nil {
			t.Fatal(err)
		}
		if len(states) == 1 && states[0].Status == models.JobRetrying {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the push never failed during the outage: %+v", states)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func webhookBytes(t *testing.T, c syncer.Change) []byte {
	t.Helper()
	b := mustJSON(c)
	return []byte(b)
}

var conflictRow = regexp.MustCompile(`(?s)<tr data-testid="conflict-([a-z_]+)">.*?<td class="([^"]*)" data-testid="local">([^<]*)</td>\s*<td class="[^"]*" data-testid="external">([^<]*)</td>`)

// conflictPage reads the job page's field rows: name → [local, external],
// and the names of the rows marked as differing.
func (r *conflictRig) conflictPage(t *testing.T, job int64) (map[string][2]string, []string) {
	t.Helper()
	page := r.staff.Get(fmt.Sprintf("/sync-errors/%d", job))
	if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `data-testid="conflict-fields"`) {
		t.Fatalf("job page = %d %.2000s", page.StatusCode, page.Body)
	}
	rows := map[string][2]string{}
	var differing []string
	for _, m := range conflictRow.FindAllStringSubmatch(page.Body, -1) {
		rows[m[1]] = [2]string{m[3], m[4]}
		if strings.Contains(m[2], "text-red-700") {
			differing = append(differing, m[1])
		}
	}
	return rows, differing
}

// resolve presses Keep local or Keep external on the job page.
func (r *conflictRig) resolve(t *testing.T, job int64, keep string) {
	t.Helper()
	page := fmt.Sprintf("/sync-errors/%d", job)
	tok := r.staff.CSRF(page)
	resp := r.staff.PostForm(page+"/resolve", url.Values{"_csrf": {tok}, "keep": {keep}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("resolve %s = %d %.300s", keep, resp.StatusCode, resp.Body)
	}
	if loc := resp.Header.Get("Location"); strings.Contains(loc, strconv.FormatInt(job, 10)) {
		t.Fatalf("resolve %s sent back to the job page (refused): %s", keep, loc)
	}
}

func (r *conflictRig) upstreamPatient(t *testing.T, ext string) (first, phone string) {
	t.Helper()
	for _, p := range r.srv.DemoSandbox(t).OpenDentalPatients() {
		if strconv.FormatInt(p.PatNum, 10) == ext {
			return p.FName, p.WirelessPhone
		}
	}
	t.Fatalf("patient %s is not in Open Dental", ext)
	return "", ""
}

// TestConflictScreenShowsBothVersionsAndResolves: a patient changed here
// and differently in Open Dental raises a manual conflict; its page shows
// each differing field with both values; keeping the local version sends
// it to Open Dental and the job ends synced; in a second conflict,
// keeping the external version writes it to the local record.
func TestConflictScreenShowsBothVersionsAndResolves(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		r := newConflictRig(t, dbURL)
		id, ext := r.syncedPatient(t, "Conflicted")

		job := r.conflict(t, id, ext, map[string]any{"first_name": "Local", "phone": "5552220000"},
			map[string]any{"first_name": "External", "phone": "5553330000"})
		rows, differing := r.conflictPage(t, job)
		want := map[string][2]string{"first_name": {"Local", "External"}, "phone": {"5552220000", "5553330000"},
			"last_name": {"Conflicted", "Conflicted"}}
		for name, w := range want {
			if rows[name] != w {
				t.Errorf("row %s = %q, want local %q and external %q", name, rows[name], w[0], w[1])
			}
		}
		if strings.Join(differing, ",") != "first_name,phone" {
			t.Errorf("rows marked as differing = %v, want first_name and phone", differing)
		}

		r.resolve(t, job, "local")
		settleSync(t, r.srv)
		if j, _, err := r.srv.App.Sync.Job(t.Context(), r.orgID, job); err != nil || j.Status != models.JobSynced {
			t.Fatalf("job after keeping local = %+v (%v), want synced", j, err)
		}
		if first, phone := r.upstreamPatient(t, ext); first != "Local" || phone != "5552220000" {
			t.Errorf("Open Dental after keeping local = %s %s, want Local 5552220000", first, phone)
		}

		job = r.conflict(t, id, ext, map[string]any{"first_name": "Local2"}, map[string]any{"first_name": "External2"})
		if rows, _ := r.conflictPage(t, job); rows["first_name"] != [2]string{"Local2", "External2"} {
			t.Errorf("second conflict's first name row = %q", rows["first_name"])
		}
		r.resolve(t, job, "external")
		settleSync(t, r.srv)
		if j, _, err := r.srv.App.Sync.Job(t.Context(), r.orgID, job); err != nil || j.Status != models.JobSynced {
			t.Fatalf("job after keeping external = %+v (%v), want synced", j, err)
		}
		p, err := r.srv.App.Store.Tenant(r.orgID).Patient(t.Context(), id)
		if err != nil || p.FirstName != "External2" || p.Phone != "5552220000" {
			t.Errorf("local patient after keeping external = %+v (%v), want External2 with the phone kept", p, err)
		}
		if first, _ := r.upstreamPatient(t, ext); first == "Local2" {
			t.Errorf("Open Dental got the local version the conflict held back")
			js, _ := r.srv.App.Store.Tenant(r.orgID).SyncJobs(t.Context(), models.SyncJobFilter{Entity: "patient", LocalID: id})
			for _, j := range js {
				_, as, _ := r.srv.App.Sync.Job(t.Context(), r.orgID, j.ID)
				t.Logf("job %d %s %s attempts %d: %s", j.ID, j.Operation, j.Status, len(as), j.LastError)
				for _, a := range as {
					t.Logf("   attempt %d ok=%v %d %s %.200s", a.Attempt, a.OK, a.HTTPStatus, a.Error, a.RequestExcerpt)
				}
			}
		}
	})
}
