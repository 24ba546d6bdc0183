package handlers_test

import (
	"fmt"
	"strings"
	"testing"

	"switchboard/testsupport"
)

// demoOn starts the demo app (sandbox mounted, demo organization seeded)
// on the database at url, and returns it with an agent and an admin key
// client of the demo organization.
func demoOn(t *testing.T, url string) (*testsupport.Server, *testsupport.Client, *testsupport.Client) {
	t.Helper()
	srv, _ := testsupport.StartDemoOn(t, url)
	org := srv.DemoOrg(t)
	return srv, srv.KeyClient(t, org.ID, "agent"), srv.KeyClient(t, org.ID, "admin")
}

type syncJobOut struct {
	ID          int64  `json:"id"`
	Integration string `json:"integration"`
	Entity      string `json:"entity"`
	LocalID     int64  `json:"local_id"`
	Status      string `json:"status"`
	LastError   string `json:"last_error"`
	Attempts    []struct {
		Number int  `json:"number"`
		OK     bool `json:"ok"`
	} `json:"attempts"`
}

// TestSyncJobReadByAgent: an agent key reads the job its write started
// (status, numbered attempts); another organization's key gets 404.
func TestSyncJobReadByAgent(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, url string) {
		srv, agent, admin := demoOn(t, url)
		_ = admin // the demo has dual-write to Open Dental on already
		var p struct {
			ID   int64 `json:"id"`
			Sync []struct {
				JobID  int64  `json:"job_id"`
				Status string `json:"status"`
			} `json:"sync"`
		}
		r := agent.SendJSON("POST", "/api/patients?wait=5s", map[string]any{"first_name": "Job", "last_name": "Reader"})
		r.JSON(t, &p)
		if r.StatusCode != 201 || len(p.Sync) != 1 || p.Sync[0].JobID == 0 {
			t.Fatalf("create = %d %s", r.StatusCode, r.Body)
		}
		path := fmt.Sprintf("/api/sync-jobs/%d", p.Sync[0].JobID)
		var j syncJobOut
		r = agent.Get(path)
		r.JSON(t, &j)
		if r.StatusCode != 200 || j.ID != p.Sync[0].JobID || j.Integration != "opendental" || j.Entity != "patient" ||
			j.LocalID != p.ID || j.Status != p.Sync[0].Status || j.Status != "synced" ||
			len(j.Attempts) != 1 || j.Attempts[0].Number != 1 || !j.Attempts[0].OK {
			t.Fatalf("GET %s = %d %s", path, r.StatusCode, r.Body)
		}
		other, _ := testsupport.Seed(t, srv.App.Store, "other", "owner@other.test", "owner")
		stranger := srv.KeyClient(t, other.ID, "agent")
		if r := stranger.Get(path); r.StatusCode != 404 || !strings.Contains(r.Body, `"not_found"`) {
			t.Fatalf("another organization's key = %d %s, want 404", r.StatusCode, r.Body)
		}
		if r := agent.Get("/api/sync-jobs/999999"); r.StatusCode != 404 {
			t.Fatalf("an unknown job = %d %s", r.StatusCode, r.Body)
		}
	})
}
