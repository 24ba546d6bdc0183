package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"switchboard/models"
	"switchboard/testsupport"
)

func flowIDs(flows []map[string]any) []string {
	var out []string
	for _, n := range flows {
		if n["type"] == "tab" {
			out = append(out, n["id"].(string))
		}
	}
	slices.Sort(out)
	return out
}

// TestFlowsCopyBackupRestore: the demo's Node-RED integration shows both
// runtimes' flows; copying the sandbox to production first stores a
// backup of production (listed with who and when, downloadable, audited),
// then deploys; restoring the backup puts production back (and is backed
// up itself); a flows file is checked and previewed before it is
// deployed; 30 backups are kept per environment; another organization
// opens none of it. Both databases.
func TestFlowsCopyBackupRestore(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		srv, login := testsupport.StartDemoOn(t, dbURL)
		demo := srv.DemoOrg(t)
		sb := srv.DemoSandbox(t)
		in, err := srv.App.Store.Tenant(demo.ID).IntegrationBySlug(ctx, "nodered")
		if err != nil {
			t.Fatal(err)
		}
		tab := fmt.Sprintf("/integrations/%d/flows", in.ID)
		owner := srv.NewClient(t)
		owner.Login(login.Email, login.Password)
		page := owner.Get(tab)
		if page.StatusCode != 200 || !strings.Contains(page.Body, "Booking agent") || !strings.Contains(page.Body, "Waitlist") ||
			!strings.Contains(page.Body, `data-testid="runtime-production"`) {
			t.Fatalf("flows tab = %d: %.1500s", page.StatusCode, page.Body)
		}
		before := sb.NodeRedFlows("production")
		tok := owner.CSRF(tab)
		r := owner.PostForm(tab+"/copy", url.Values{"_csrf": {tok}, "from": {"sandbox"}, "to": {"production"}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("copy = %d %.800s", r.StatusCode, r.Body)
		}
		if got, want := flowIDs(sb.NodeRedFlows("production")), flowIDs(sb.NodeRedFlows("sandbox")); !slices.Equal(got, want) {
			t.Fatalf("production flows after the copy = %v, want the sandbox's %v", got, want)
		}
		backups, err := srv.App.Store.Tenant(demo.ID).FlowBackups(ctx, in.ID, "production")
		if err != nil || len(backups) != 1 || backups[0].FlowCount != 2 || backups[0].Actor != login.Email {
			t.Fatalf("backups = %+v, %v; want one of production's 2 flows by %s", backups, err, login.Email)
		}
		dl := owner.Get(fmt.Sprintf("%s/backups/%d", tab, backups[0].ID))
		var saved []map[string]any
		if dl.StatusCode != 200 || json.Unmarshal([]byte(dl.Body), &saved) != nil || !slices.Equal(flowIDs(saved), flowIDs(before)) {
			t.Fatalf("download = %d %.300s, want production's flows before the copy", dl.StatusCode, dl.Body)
		}
		if audit := owner.Get("/audit?action=flows_copied"); !strings.Contains(audit.Body, "flows_copied") {
			t.Fatalf("the copy is not in the audit log")
		}

		// Restore in one click.
		r = owner.PostForm(fmt.Sprintf("%s/backups/%d/restore", tab, backups[0].ID), url.Values{"_csrf": {tok}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("restore = %d %.800s", r.StatusCode, r.Body)
		}
		if got := flowIDs(sb.NodeRedFlows("production")); !slices.Equal(got, flowIDs(before)) {
			t.Fatalf("production after the restore = %v, want %v", got, flowIDs(before))
		}
		if bs, _ := srv.App.Store.Tenant(demo.ID).FlowBackups(ctx, in.ID, "production"); len(bs) != 2 || bs[0].FlowCount != 3 {
			t.Fatalf("backups after the restore = %+v, want the copied flows kept too", bs)
		}

		// A flows file: previewed, then deployed; a bad one is refused.
		file := `[{"id":"f-new","type":"tab","label":"Recall"},{"id":"n1","type":"inject","z":"f-new"}]`
		prev := postFile(t, owner, tab+"/preview", tok, "sandbox", file)
		if prev.StatusCode != 200 || !strings.Contains(prev.Body, `data-testid="flows-preview"`) || !strings.Contains(prev.Body, "added") ||
			!strings.Contains(prev.Body, "removed") {
			t.Fatalf("preview = %d %.1500s", prev.StatusCode, prev.Body)
		}
		if got := flowIDs(sb.NodeRedFlows("sandbox")); slices.Contains(got, "f-new") {
			t.Fatalf("the preview deployed: %v", got)
		}
		bad := postFile(t, owner, tab+"/preview", tok, "sandbox", `[{"type":"tab"}]`)
		if bad.StatusCode != 422 || !strings.Contains(bad.Body, "needs a string id") {
			t.Fatalf("a node without id = %d %.500s", bad.StatusCode, bad.Body)
		}
		r = owner.PostForm(tab+"/deploy", url.Values{"_csrf": {tok}, "environment": {"sandbox"}, "flows": {file}})
		if r.StatusCode != http.StatusSeeOther || !slices.Equal(flowIDs(sb.NodeRedFlows("sandbox")), []string{"f-new"}) {
			t.Fatalf("deploy = %d, sandbox flows %v", r.StatusCode, flowIDs(sb.NodeRedFlows("sandbox")))
		}

		// 30 kept per environment.
		for i := range 31 {
			b := &models.FlowBackup{IntegrationID: in.ID, Environment: "sandbox", Reason: fmt.Sprint(i), Flows: "[]"}
			if err := srv.App.Store.Tenant(demo.ID).SaveFlowBackup(ctx, b, 30); err != nil {
				t.Fatal(err)
			}
		}
		if bs, _ := srv.App.Store.Tenant(demo.ID).FlowBackups(ctx, in.ID, "sandbox"); len(bs) != 30 || bs[0].Reason != "30" {
			t.Fatalf("sandbox backups = %d (newest %q), want the latest 30", len(bs), bs[0].Reason)
		}

		// Another organization opens none of the demo's flows or backups.
		testsupport.Seed(t, srv.App.Store, "globex", "owner@globex.test", "owner")
		g := srv.NewClient(t)
		g.Login("owner@globex.test", testsupport.Password)
		for _, p := range []string{tab, fmt.Sprintf("%s/backups/%d", tab, backups[0].ID)} {
			if r := g.Get(p); r.StatusCode != http.StatusNotFound {
				t.Fatalf("globex GET %s = %d", p, r.StatusCode)
			}
		}
		gt := g.CSRF("/")
		if r := g.PostForm(fmt.Sprintf("%s/backups/%d/restore", tab, backups[0].ID), url.Values{"_csrf": {gt}}); r.StatusCode != http.StatusNotFound {
			t.Fatalf("globex restores the demo's backup: %d", r.StatusCode)
		}
	})
}

func postFile(t *testing.T, c *testsupport.Client, path, tok, env, content string) *testsupport.Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("_csrf", tok)
	_ = w.WriteField("environment", env)
	f, _ := w.CreateFormFile("file", "flows.json")
	_, _ = f.Write([]byte(content))
	_ = w.Close()
	return c.Do("POST", path, &body, http.Header{"Content-Type": {w.FormDataContentType()}})
}

// TestAgentServicesTestConnection: Test Connection of the demo's Langfuse
// and Node-RED (both environments) passes with the saved credentials and
// fails with a wrong key, which the sandbox fakes refuse as the real
// services do.
func TestAgentServicesTestConnection(t *testing.T) {
	srv, _ := testsupport.StartDemo(t)
	admin := srv.KeyClient(t, srv.DemoOrg(t).ID, "admin")
	var got struct {
		OK     bool
		Status int
	}
	for _, c := range []struct{ slug, env string }{{"langfuse", "production"}, {"nodered", "production"}, {"nodered", "sandbox"}} {
		r := admin.SendJSON("POST", "/api/admin/api-credentials/test", map[string]any{"integration": c.slug, "environment": c.env})
		r.JSON(t, &got)
		if !got.OK || got.Status != 200 {
			t.Fatalf("Test Connection %s %s = %s", c.slug, c.env, r.Body)
		}
	}
	wrong := map[string]map[string]string{"langfuse": {"public_key": "pk-lf-sandbox", "secret_key": "sk-wrong"}, "nodered": {"token": "wrong"}}
	for slug, fields := range wrong {
		r := admin.SendJSON("POST", "/api/admin/api-credentials/test", map[string]any{"integration": slug, "environment": "production", "fields": fields})
		r.JSON(t, &got)
		if got.OK || got.Status != http.StatusUnauthorized {
			t.Fatalf("Test Connection %s with a wrong key = %s", slug, r.Body)
		}
	}
}
