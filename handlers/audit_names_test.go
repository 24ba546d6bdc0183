package handlers_test

import (
	"fmt"
	"net/url"
	"testing"

	"switchboard/accounts"
	"switchboard/models"
)

// TestSyncJobActionsHaveOneAuditName: retrying and dismissing a job from
// the sync error log's page and from the admin API write the same audit
// action (they used to write sync_job_retry from the page and
// sync_job_retried from the API).
func TestSyncJobActionsHaveOneAuditName(t *testing.T) {
	srv, agent, admin := demoAdmin(t)
	admin.SendJSON("POST", "/api/admin/integration-settings", map[string]any{"integration": "opendental", "enabled": true, "direction": "dual_write", "entities": []string{"patient"}})
	setDemoFaults(t, srv, sandboxOutage())
	jobs := make([]int64, 4)
	for i := range jobs {
		var p recordOut
		agent.SendJSON("POST", "/api/patients?wait=3s", map[string]any{"first_name": "Down", "last_name": fmt.Sprint("Time", i)}).JSON(t, &p)
		if len(p.Sync) != 1 || p.Sync[0].JobID == 0 {
			t.Fatalf("sync = %+v", p.Sync)
		}
		jobs[i] = p.Sync[0].JobID
	}
	staff := demoStaff(t, srv)
	tok := staff.CSRF("/sync-errors")
	for i, action := range []string{"retry", "dismiss"} {
		if r := staff.PostForm(fmt.Sprintf("/sync-errors/%d/%s", jobs[i], action), url.Values{"_csrf": {tok}}); r.StatusCode != 303 {
			t.Fatalf("page %s = %d %.300s", action, r.StatusCode, r.Body)
		}
		if r := admin.SendJSON("POST", fmt.Sprintf("/api/admin/sync-errors/%d/%s", jobs[i+2], action), map[string]any{}); r.StatusCode != 200 {
			t.Fatalf("API %s = %d %s", action, r.StatusCode, r.Body)
		}
	}
	org := srv.DemoOrg(t)
	entries, err := srv.App.Accounts.Audit().Entries(t.Context(), org.ID, models.AuditFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, e := range entries {
		if e.TargetType == "sync_job" {
			got[e.Action] = append(got[e.Action], e.TargetID)
		}
	}
	for _, a := range []accounts.Action{accounts.ActionSyncJobRetried, accounts.ActionSyncJobDismissed} {
		if len(got[string(a)]) != 2 {
			t.Errorf("%s was written for jobs %v, want the page's and the API's", a, got[string(a)])
		}
	}
	if len(got) != 2 {
		t.Errorf("sync job audit actions = %v, want only %s and %s", got, accounts.ActionSyncJobRetried, accounts.ActionSyncJobDismissed)
	}
}
