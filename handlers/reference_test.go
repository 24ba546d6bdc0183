package handlers_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"switchboard/testsupport"
)

type referenceAnswer struct {
	Integration string `json:"integration"`
	Kind        string `json:"kind"`
	Items       []struct {
		ID    string `json:"id"`
		Label string `json:"label"`
	} `json:"items"`
	Meta struct {
		Cached bool `json:"cached"`
	} `json:"meta"`
}

func (a referenceAnswer) labels() []string {
	var out []string
	for _, it := range a.Items {
		out = append(out, it.ID+"="+it.Label)
	}
	return out
}

// TestReferenceLists: GET /api/reference/{kind} lists the practice
// system's providers, operatories, locations and appointment types from the
// catalog's reference section — Open Dental by default (the demo's sync
// target), Cloud9 when asked — as id and label; a second ask is answered
// from the cache; bad kinds and integrations get 422 naming the field.
func TestReferenceLists(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, url string) {
		srv, _ := testsupport.StartDemoOn(t, url)
		org := srv.DemoOrg(t)
		c := srv.KeyClient(t, org.ID, "agent")
		get := func(path string) referenceAnswer {
			t.Helper()
			r := c.Get(path)
			if r.StatusCode != http.StatusOK {
				t.Fatalf("GET %s = %d %s", path, r.StatusCode, r.Body)
			}
			var a referenceAnswer
			r.JSON(t, &a)
			return a
		}
		// The demo's patients sync in the background; each of those writes
		// through Open Dental drops its cached lists, so let them finish.
		settleSync(t, srv)
		ops := get("/api/reference/operatories")
		if ops.Integration != "opendental" || ops.Meta.Cached ||
			!slices.Equal(ops.labels(), []string{"1=Operatory 1", "2=Operatory 2", "3=Hygiene 1"}) {
			t.Fatalf("operatories = %+v", ops)
		}
		if again := get("/api/reference/operatories"); !again.Meta.Cached || !slices.Equal(again.labels(), ops.labels()) {
			t.Fatalf("second ask = %+v, want the same list from the cache", again)
		}
		provs := get("/api/reference/providers?integration=opendental")
		if len(provs.Items) == 0 || provs.Items[0].ID != "1" || provs.Items[0].Label == "1" {
			t.Fatalf("providers = %+v", provs)
		}
		if types := get("/api/reference/appointment_types"); !slices.Contains(types.labels(), "2=Cleaning") {
			t.Fatalf("appointment types = %+v", types)
		}
		if locs := get("/api/reference/locations"); !slices.Contains(locs.labels(), "1=Main Street Dental") {
			t.Fatalf("locations = %+v", locs)
		}
		for kind, want := range map[string]string{"providers": "Dr. Elena Park", "operatories": "", "locations": "", "appointment_types": ""} {
			a := get("/api/reference/" + kind + "?integration=cloud9")
			if a.Integration != "cloud9" || len(a.Items) == 0 || a.Items[0].ID == a.Items[0].Label {
				t.Fatalf("cloud9 %s = %+v", kind, a)
			}
			if want != "" && a.Items[0].Label != want {
				t.Fatalf("cloud9 %s first label = %q, want %q", kind, a.Items[0].Label, want)
			}
		}
		if r := c.Get("/api/reference/chairs"); r.StatusCode != 422 || !strings.Contains(r.Body, `"field":"kind"`) {
			t.Fatalf("unknown kind = %d %s, want 422 naming kind", r.StatusCode, r.Body)
		}
		if r := c.Get("/api/reference/providers?integration=nope"); r.StatusCode != 404 || !strings.Contains(r.Body, `"code":"unknown_provider"`) {
			t.Fatalf("unknown integration = %d %s, want 404 unknown_provider", r.StatusCode, r.Body)
		}
		if r := srv.NewClient(t).Get("/api/reference/providers"); r.StatusCode != 401 {
			t.Fatalf("without credentials = %d", r.StatusCode)
		}
	})
}

// TestReferenceWithoutIntegrationNamesTheAppointmentTarget: without
// integration, a list comes from the system appointments go to (as the
// booking form's pickers do), even when a configuration that pushes only
// patients to another system comes first.
func TestReferenceWithoutIntegrationNamesTheAppointmentTarget(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv, agent, admin := demoOn(t, dbURL)
		settleSync(t, srv)
		org := srv.DemoOrg(t)
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
		for _, in := range []map[string]any{
			{"integration": "cloud9", "enabled": true, "direction": "from_external", "entities": []string{"patient"}},
			{"integration": "opendental", "enabled": true, "direction": "dual_write", "entities": []string{"appointment"}},
		} {
			if r := admin.SendJSON("POST", "/api/admin/integration-settings", in); r.StatusCode != http.StatusCreated {
				t.Fatalf("sync settings %v = %d %s", in["integration"], r.StatusCode, r.Body)
			}
		}
		var a referenceAnswer
		if r := agent.Get("/api/reference/providers"); r.StatusCode != http.StatusOK {
			t.Fatalf("providers = %d %s", r.StatusCode, r.Body)
		} else {
			r.JSON(t, &a)
		}
		if a.Integration != "opendental" {
			t.Errorf("providers without integration come from %q, want opendental (where appointments go)", a.Integration)
		}
	})
}

// TestReferenceListsComeFromTheSyncEnvironment: the lists come from the
// environment the system's sync configuration delivers to, since
// bookings carry those ids: the demo's follows Open Dental's
// default_environment (the sandbox); with sync pointed at a production
// environment that has no credentials, the list is refused instead of
// answered from the sandbox.
func TestReferenceListsComeFromTheSyncEnvironment(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv, agent, _ := demoOn(t, dbURL)
		settleSync(t, srv)
		if r := agent.Get("/api/reference/providers?integration=opendental"); r.StatusCode != http.StatusOK {
			t.Fatalf("providers from production = %d %s", r.StatusCode, r.Body)
		}
		org := srv.DemoOrg(t)
		tn := srv.App.Store.Tenant(org.ID)
		od, err := tn.IntegrationBySlug(t.Context(), "opendental")
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := tn.SyncConfigFor(t.Context(), od.ID)
		if err != nil {
			t.Fatal(err)
		}
		sb, err := tn.CredentialFor(t.Context(), od.ID, "production")
		if err != nil {
			t.Fatal(err)
		}
		if err := tn.DeleteCredential(t.Context(), sb.ID); err != nil {
			t.Fatal(err)
		}
		srv.App.Credentials.Invalidate(org.ID, od.ID)
		cfg.Environment, cfg.EnvironmentDefault = "production", false
		if err := tn.SaveSyncConfig(t.Context(), cfg); err != nil {
			t.Fatal(err)
		}
		r := agent.Get("/api/reference/providers?integration=opendental")
		if r.StatusCode == http.StatusOK || !strings.Contains(r.Body, "production") {
			t.Errorf("providers with sync on the production environment = %d %s, want a refusal naming the production environment", r.StatusCode, r.Body)
		}
	})
}
