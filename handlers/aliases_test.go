package handlers_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"switchboard/testsupport"
)

// The original system's names (SPEC §11, docs/migrating.md) on the
// execute route, the integration settings, the credential test and the
// records, each against the demo.

func TestAliasExecuteFunctionNameAndParameters(t *testing.T) {
	_, agent := demoAgent(t)
	var a struct {
		OK         bool           `json:"ok"`
		Success    *bool          `json:"success"`
		Provider   string         `json:"provider"`
		ExecutedAt string         `json:"executedAt"`
		Function   string         `json:"function"`
		Data       map[string]any `json:"data"`
	}
	r := agent.SendJSON("POST", "/api/integrations/opendental", map[string]any{"functionName": "GetPatient", "parameters": map[string]any{"PatNum": 1}})
	r.JSON(t, &a)
	if r.StatusCode != 200 || !a.OK || a.Success == nil || !*a.Success || a.Provider != "opendental" || a.Function != "GetPatient" || a.Data["first_name"] == nil {
		t.Fatalf("functionName/parameters = %d %s", r.StatusCode, r.Body)
	}
	if _, err := time.Parse(time.RFC3339, a.ExecutedAt); err != nil {
		t.Errorf("executedAt %q is not RFC 3339", a.ExecutedAt)
	}
	r = agent.SendJSON("POST", "/api/integrations/opendental", map[string]any{"function": "GetPatient", "params": map[string]any{"PatNum": 1}})
	if r.StatusCode != 200 || strings.Contains(r.Body, `"success"`) || strings.Contains(r.Body, `"executedAt"`) {
		t.Errorf("function/params answered the original's extra fields: %s", r.Body)
	}
	for _, body := range []map[string]any{
		{"function": "GetPatient", "functionName": "GetPatient"},
		{"function": "GetPatient", "params": map[string]any{}, "parameters": map[string]any{}},
	} {
		if r := agent.SendJSON("POST", "/api/integrations/opendental", body); r.StatusCode != 400 || !strings.Contains(r.Body, "not both") {
			t.Errorf("%v = %d %s, want 400 naming both forms", body, r.StatusCode, r.Body)
		}
	}
}

func TestAliasIntegrationSettings(t *testing.T) {
	srv, _, admin := demoOn(t, testsupport.SQLiteURL(t))
	org := srv.DemoOrg(t)
	in, err := srv.App.Store.Tenant(org.ID).IntegrationBySlug(t.Context(), "opendental")
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Items []struct {
			ID          int64  `json:"id"`
			Integration string `json:"integration"`
		} `json:"items"`
	}
	admin.Get("/api/admin/integration-settings").JSON(t, &list)
	for _, s := range list.Items {
		if s.Integration == "opendental" {
			if r := admin.Do("DELETE", fmt.Sprintf("/api/admin/integration-settings/%d", s.ID), nil, nil); r.StatusCode != 204 {
				t.Fatalf("delete = %d %s", r.StatusCode, r.Body)
			}
		}
	}
	type settings struct {
		ID                 int64  `json:"id"`
		Integration        string `json:"integration"`
		Enabled            bool   `json:"enabled"`
		Direction          string `json:"direction"`
		ConflictResolution string `json:"conflict_resolution"`
	}
	var s settings
	r := admin.SendJSON("POST", "/api/admin/integration-settings", map[string]any{"integration_id": in.ID, "sync_enabled": true,
		"sync_direction": "to_external", "conflict_resolution": "latest_timestamp"})
	r.JSON(t, &s)
	if r.StatusCode != 201 || s.Integration != "opendental" || !s.Enabled || s.Direction != "dual_write" || s.ConflictResolution != "newest_wins" {
		t.Fatalf("create with the original's names = %d %s", r.StatusCode, r.Body)
	}
	r = admin.SendJSON("PUT", fmt.Sprintf("/api/admin/integration-settings/%d", s.ID), map[string]any{"integration_id": in.ID, "sync_enabled": false,
		"sync_direction": "to_external", "always_keep_local_copy": false})
	r.JSON(t, &s)
	if r.StatusCode != 200 || s.Enabled || s.Direction != "external_only" {
		t.Fatalf("update with to_external and no local copy = %d %s", r.StatusCode, r.Body)
	}
	if r := admin.SendJSON("PUT", fmt.Sprintf("/api/admin/integration-settings/%d", s.ID), map[string]any{"integration": "opendental", "integration_id": in.ID}); r.StatusCode != 400 || !strings.Contains(r.Body, "integration_id") {
		t.Errorf("both integration and integration_id = %d %s", r.StatusCode, r.Body)
	}
	if r := admin.SendJSON("PUT", fmt.Sprintf("/api/admin/integration-settings/%d", s.ID), map[string]any{"enabled": true, "sync_enabled": true}); r.StatusCode != 400 {
		t.Errorf("both enabled and sync_enabled = %d %s", r.StatusCode, r.Body)
	}
	if r := admin.SendJSON("POST", "/api/admin/integration-settings", map[string]any{"integration_id": 999999}); r.StatusCode != 422 || !strings.Contains(r.Body, "integration_id") {
		t.Errorf("unknown integration_id = %d %s", r.StatusCode, r.Body)
	}
}

func TestAliasCredentialTestCredentialID(t *testing.T) {
	_, _, admin := demoOn(t, testsupport.SQLiteURL(t))
	var creds struct {
		Items []struct {
			ID          int64  `json:"id"`
			Integration string `json:"integration"`
		} `json:"items"`
	}
	admin.Get("/api/admin/api-credentials").JSON(t, &creds)
	var id int64
	for _, c := range creds.Items {
		if c.Integration == "opendental" {
			id = c.ID
		}
	}
	if id == 0 {
		t.Fatalf("the demo has no opendental credential: %+v", creds)
	}
	r := admin.SendJSON("POST", "/api/admin/api-credentials/test", map[string]any{"credentialId": id})
	if r.StatusCode != 200 || !strings.Contains(r.Body, `"ok":true`) || !strings.Contains(r.Body, fmt.Sprintf(`"credential_id":%d`, id)) {
		t.Fatalf("test by credentialId = %d %s", r.StatusCode, r.Body)
	}
}

func TestAliasRecords(t *testing.T) {
	_, agent := demoAgent(t)
	var p struct {
		ID        int64  `json:"id"`
		Birthdate string `json:"birthdate"`
	}
	r := agent.SendJSON("POST", "/api/patients", map[string]any{"first_name": "Rosa", "last_name": "Alias", "date_of_birth": "1980-02-03"})
	r.JSON(t, &p)
	if r.StatusCode != 201 || !strings.HasPrefix(p.Birthdate, "1980-02-03") {
		t.Fatalf("patient with date_of_birth = %d %s", r.StatusCode, r.Body)
	}
	var a struct {
		Start        string `json:"start"`
		ProviderRef  string `json:"provider_ref"`
		OperatoryRef string `json:"operatory_ref"`
	}
	r = agent.SendJSON("POST", "/api/appointments", map[string]any{"patient_id": p.ID, "appointment_datetime": "2031-03-04T10:00",
		"duration_minutes": 30, "provider_id": 1, "operatory_id": "1"})
	r.JSON(t, &a)
	if r.StatusCode != 201 || a.Start == "" || a.ProviderRef != "1" || a.OperatoryRef != "1" {
		t.Fatalf("appointment with appointment_datetime, provider_id, operatory_id = %d %s", r.StatusCode, r.Body)
	}
	if r := agent.SendJSON("POST", "/api/patients", map[string]any{"first_name": "A", "last_name": "B", "birthdate": "1980-02-03", "date_of_birth": "1980-02-03"}); r.StatusCode != 400 {
		t.Errorf("birthdate and date_of_birth = %d %s", r.StatusCode, r.Body)
	}
}
