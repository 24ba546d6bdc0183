package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchboard/testsupport"
)

// TestCloud9PatientSyncFromConfigurationDefaults: with Cloud9 patient sync
// on, a patient create is refused naming providerGUID and locationGUID and
// how to set them; once they are the configuration's defaults (the
// provider from Cloud9's own list), patients reach Cloud9.
func TestCloud9PatientSyncFromConfigurationDefaults(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv, _, admin := demoOn(t, dbURL)
		settleSync(t, srv)
		var cfg struct{ ID int64 }
		r := admin.SendJSON("POST", "/api/admin/integration-settings", map[string]any{"integration": "cloud9", "enabled": true, "entities": []string{"patient"}})
		if r.StatusCode != http.StatusCreated {
			t.Fatalf("settings = %d %s", r.StatusCode, r.Body)
		}
		r.JSON(t, &cfg)
		refused := admin.SendJSON("POST", "/api/patients", map[string]any{"first_name": "Ada", "last_name": "Lovelace", "birthdate": "1990-02-03"})
		if refused.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(refused.Body, `"field":"providerGUID"`) ||
			!strings.Contains(refused.Body, `"field":"locationGUID"`) || !strings.Contains(refused.Body, `defaults`) {
			t.Fatalf("patient without the defaults = %d %s", refused.StatusCode, refused.Body)
		}
		var providers struct {
			Items []struct{ ID string } `json:"items"`
		}
		admin.Get("/api/reference/providers?integration=cloud9").JSON(t, &providers)
		var locations struct {
			Data []map[string]any `json:"data"`
		}
		admin.SendJSON("POST", "/api/integrations/cloud9", map[string]any{"function": "GetLocations"}).JSON(t, &locations)
		if len(providers.Items) == 0 || len(locations.Data) == 0 {
			t.Fatalf("providers %v, locations %v", providers.Items, locations.Data)
		}
		loc, _ := locations.Data[0]["LocationGUID"].(string)
		if r := admin.SendJSON("PUT", "/api/admin/integration-settings/"+itoa(cfg.ID), map[string]any{
			"defaults": map[string]string{"providerGUID": providers.Items[0].ID, "locationGUID": loc}}); r.StatusCode != 200 || !strings.Contains(r.Body, providers.Items[0].ID) {
			t.Fatalf("defaults = %d %s", r.StatusCode, r.Body)
		}
		ok := admin.SendJSON("POST", "/api/patients?wait=3s", map[string]any{"first_name": "Ada", "last_name": "Lovelace", "birthdate": "1990-02-03"})
		if ok.StatusCode != http.StatusCreated || !strings.Contains(ok.Body, `"integration":"cloud9"`) || !strings.Contains(ok.Body, `"status":"synced"`) {
			t.Fatalf("patient with the defaults = %d %s", ok.StatusCode, ok.Body)
		}
	})
}

// TestCloud9PickersOnTheSyncSettingsCard: the Cloud9 card offers the
// provider and location from Cloud9's own lists; saving the card with
// them stores them as the configuration's defaults and patients then
// reach Cloud9.
func TestCloud9PickersOnTheSyncSettingsCard(t *testing.T) {
	srv, login := testsupport.StartDemoOn(t, testsupport.SQLiteURL(t))
	settleSync(t, srv)
	org := srv.DemoOrg(t)
	admin := srv.KeyClient(t, org.ID, "admin")
	c := srv.NewClient(t)
	c.Login(login.Email, login.Password)
	page := c.Get("/sync-settings").Body
	for _, want := range []string{`name="default_providerGUID"`, `name="default_locationGUID"`} {
		if !strings.Contains(page, want) {
			t.Fatalf("the sync settings page lacks %s", want)
		}
	}
	var providers struct {
		Items []struct{ ID, Label string } `json:"items"`
	}
	admin.Get("/api/reference/providers?integration=cloud9").JSON(t, &providers)
	if len(providers.Items) == 0 || !strings.Contains(page, providers.Items[0].Label) {
		t.Fatalf("the provider picker does not offer Cloud9's providers %v", providers.Items)
	}
	var locations struct {
		Data []map[string]any `json:"data"`
	}
	admin.SendJSON("POST", "/api/integrations/cloud9", map[string]any{"function": "GetLocations"}).JSON(t, &locations)
	loc, _ := locations.Data[0]["LocationGUID"].(string)
	if !strings.Contains(page, `value="`+loc+`"`) {
		t.Fatalf("the location picker does not offer %s", loc)
	}
	in, _ := srv.App.Store.Tenant(org.ID).IntegrationBySlug(t.Context(), "cloud9")
	r := c.PostForm("/sync-settings/"+itoa(in.ID), url.Values{"_csrf": {c.CSRF("/sync-settings")}, "enabled": {"true"}, "direction": {"dual_write"},
		"sync_on_create": {"true"}, "sync_on_update": {"true"}, "sync_on_delete": {"true"}, "entity_patient": {"true"},
		"conflict_resolution": {"newest_wins"}, "environment": {""},
		"default_providerGUID": {providers.Items[0].ID}, "default_locationGUID": {loc}})
	if r.StatusCode != http.StatusSeeOther && r.StatusCode != http.StatusOK {
		t.Fatalf("save = %d %.500s", r.StatusCode, r.Body)
	}
	ok := admin.SendJSON("POST", "/api/patients?wait=3s", map[string]any{"first_name": "Ada", "last_name": "Lovelace", "birthdate": "1990-02-03"})
	if ok.StatusCode != http.StatusCreated || !strings.Contains(ok.Body, `"integration":"cloud9"`) || !strings.Contains(ok.Body, `"status":"synced"`) {
		t.Fatalf("patient after picking = %d %s", ok.StatusCode, ok.Body)
	}
}

// TestCloud9PatientUpdateReachesTheSandbox: the catalog's patient update
// (SetPatientDemographicInfo) changes the sandbox's patient.
func TestCloud9PatientUpdateReachesTheSandbox(t *testing.T) {
	_, _, admin := demoOn(t, testsupport.SQLiteURL(t))
	var list struct {
		Data []map[string]any `json:"data"`
	}
	admin.SendJSON("POST", "/api/integrations/cloud9", map[string]any{"function": "GetPatientList"}).JSON(t, &list)
	if len(list.Data) == 0 {
		t.Fatal("the sandbox lists no Cloud9 patients")
	}
	guid, _ := list.Data[0]["PatientGUID"].(string)
	r := admin.SendJSON("POST", "/api/integrations/cloud9", map[string]any{"function": "SetPatientDemographicInfo",
		"params": map[string]any{"patGUID": guid, "email": "changed@example.com"}})
	if r.StatusCode != 200 || !strings.Contains(r.Body, "Patient Updated") {
		t.Fatalf("update = %d %s", r.StatusCode, r.Body)
	}
	got := admin.SendJSON("POST", "/api/integrations/cloud9", map[string]any{"function": "GetPatientInformation", "params": map[string]any{"patguid": guid}})
	if !strings.Contains(got.Body, "changed@example.com") {
		t.Fatalf("patient after the update = %s", got.Body)
	}
}
