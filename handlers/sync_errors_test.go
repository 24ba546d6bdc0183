package handlers_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// TestSyncErrorLogPageAndAPI drives the one sync error handler from both
// doors: the staff page lists and retries a failed job, the admin API
// shows it with its attempts and retries by filter.
func TestSyncErrorLogPageAndAPI(t *testing.T) {
	srv, agent, admin := demoAdmin(t)
	admin.SendJSON("POST", "/api/admin/integration-settings", map[string]any{"integration": "opendental", "enabled": true, "direction": "dual_write", "entities": []string{"patient"}})
	setDemoFaults(t, srv, sandboxOutage())
	var p recordOut
	agent.SendJSON("POST", "/api/patients?wait=3s", map[string]any{"first_name": "Down", "last_name": "Time"}).JSON(t, &p)
	if len(p.Sync) != 1 {
		t.Fatalf("sync = %+v", p.Sync)
	}
	var errs struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	admin.Get("/api/admin/sync-errors?integration=opendental&entity=patient").JSON(t, &errs)
	if len(errs.Items) != 1 {
		t.Fatalf("sync errors = %+v", errs.Items)
	}
	id := errs.Items[0].ID
	job := admin.Get(fmt.Sprintf("/api/admin/sync-errors/%d", id))
	if job.StatusCode != 200 || !strings.HasPrefix(job.Body, `{"attempts":[{`) || !strings.Contains(job.Body, `"job":{`) {
		t.Fatalf("job = %d %s", job.StatusCode, job.Body)
	}
	if r := admin.Get("/api/admin/sync-errors?status=lost"); r.StatusCode != 400 || !strings.Contains(r.Body, `"field":"status"`) {
		t.Fatalf("bad status filter = %d %s", r.StatusCode, r.Body)
	}

	staff := demoStaff(t, srv)
	page := staff.Get("/sync-errors")
	if !strings.Contains(page.Body, fmt.Sprintf(`data-testid="job-%d"`, id)) || !strings.Contains(page.Body, `data-testid="sandbox-controls"`) {
		t.Fatalf("the error log page lacks the job or the sandbox switch: %.3000s", page.Body)
	}
	if show := staff.Get(fmt.Sprintf("/sync-errors/%d", id)); show.StatusCode != 200 || !strings.Contains(show.Body, `data-testid="attempt"`) {
		t.Fatalf("job page = %d", show.StatusCode)
	}
	tok := staff.CSRF("/sync-errors")
	if r := staff.PostForm("/sync-errors/retry", url.Values{"_csrf": {tok}, "integration": {"opendental"}}); r.StatusCode != 303 {
		t.Fatalf("page bulk retry = %d %.300s", r.StatusCode, r.Body)
	}
	if r := admin.SendJSON("POST", "/api/admin/sync-errors/retry?status=synced", map[string]any{}); r.StatusCode != 200 || r.Body != "{\"retried\":0}\n" {
		t.Fatalf("API bulk retry of synced jobs = %d %q", r.StatusCode, r.Body)
	}
}
