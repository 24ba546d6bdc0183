package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"switchboard/testsupport"
)

var secretShown = regexp.MustCompile(`whsec_[0-9a-f]{48}`)

// TestSyncSettingsPagesAndAPI drives the sync settings page and
// /api/admin/integration-settings over one configuration.
func TestSyncSettingsPagesAndAPI(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv, api, _ := adminAPI(t, dbURL)
		owner := srv.NewClient(t)
		owner.Login("owner@acme.test", testsupport.Password)
		tok := owner.CSRF("/integrations")
		r := owner.PostForm("/integrations/from-catalog", url.Values{"_csrf": {tok}, "catalog": {"opendental"}})
		var id int64
		if _, err := fmt.Sscanf(r.Header.Get("Location"), "/integrations/%d/credentials", &id); err != nil {
			t.Fatalf("add from catalog = %d to %q", r.StatusCode, r.Header.Get("Location"))
		}
		t.Run("the API names a bad field", func(t *testing.T) {
			bad := api.SendJSON("POST", "/api/admin/integration-settings", map[string]any{"integration": "opendental", "direction": "sideways"})
			if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, `{"field":"direction","message":"must be one of local_only, dual_write, external_only, from_external, bidirectional, to_external"}`) {
				t.Fatalf("bad direction = %d %s", bad.StatusCode, bad.Body)
			}
			unknown := api.SendJSON("POST", "/api/admin/integration-settings", map[string]any{"integration": "opendental", "colour": "red"})
			if unknown.StatusCode != http.StatusBadRequest || !strings.Contains(unknown.Body, `"field":"colour"`) {
				t.Fatalf("unknown field = %d %s", unknown.StatusCode, unknown.Body)
			}
			missing := api.SendJSON("POST", "/api/admin/integration-settings", map[string]any{"enabled": true})
			if missing.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(missing.Body, `{"field":"integration","message":"is required"}`) {
				t.Fatalf("no integration = %d %s", missing.StatusCode, missing.Body)
			}
		})
		page := owner.Get("/sync-settings")
		if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `data-testid="sync-card-opendental"`) || strings.Contains(page.Body, `data-testid="webhook-secret"`) {
			t.Fatalf("sync settings page = %d", page.StatusCode)
		}
		base := fmt.Sprintf("/sync-settings/%d", id)
		on := owner.PostForm(base+"/toggle", url.Values{"_csrf": {tok}, "enabled": {"true"}})
		first := secretShown.FindString(on.Body)
		if on.StatusCode != http.StatusOK || first == "" {
			t.Fatalf("toggle on = %d, want the card with the new secret", on.StatusCode)
		}
		form := url.Values{"_csrf": {tok}, "enabled": {"true"}, "direction": {"dual_write"}, "environment": {"production"},
			"conflict_resolution": {"newest_wins"}, "sync_on_create": {"true"}, "entity_patient": {"true"}}
		form.Set("direction", "sideways")
		if bad := owner.PostForm(base, form); bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, `data-testid="error-direction"`) {
			t.Fatalf("bad form = %d, want 422 naming direction", bad.StatusCode)
		}
		form.Set("direction", "dual_write")
		if ok := owner.PostForm(base, form); ok.StatusCode != http.StatusSeeOther || ok.Header.Get("Location") != "/sync-settings" {
			t.Fatalf("save = %d to %q", ok.StatusCode, ok.Header.Get("Location"))
		}
		re := owner.PostForm(base+"/webhook-secret", url.Values{"_csrf": {tok}})
		second := secretShown.FindString(re.Body)
		if re.StatusCode != http.StatusOK || second == "" || second == first {
			t.Fatalf("regenerate = %d, want a new secret", re.StatusCode)
		}
		var l struct {
			Items []struct {
				ID           int64    `json:"id"`
				Enabled      bool     `json:"enabled"`
				Entities     []string `json:"entities"`
				SyncOnUpdate bool     `json:"sync_on_update"`
				SecretSet    bool     `json:"webhook_secret_set"`
			} `json:"items"`
		}
		list := api.Get("/api/admin/integration-settings")
		list.JSON(t, &l)
		if len(l.Items) != 1 || !l.Items[0].Enabled || l.Items[0].SyncOnUpdate || !l.Items[0].SecretSet || fmt.Sprint(l.Items[0].Entities) != "[patient]" {
			t.Fatalf("list = %s", list.Body)
		}
		if strings.Contains(list.Body, "whsec_") {
			t.Fatal("the list shows the webhook secret")
		}
		cfg := fmt.Sprintf("/api/admin/integration-settings/%d", l.Items[0].ID)
		if r := api.SendJSON("POST", cfg+"/webhook-secret", nil); r.StatusCode != http.StatusOK || !secretShown.MatchString(r.Body) {
			t.Fatalf("API regenerate = %d %s", r.StatusCode, r.Body)
		}
		if r := api.SendJSON("DELETE", cfg, nil); r.StatusCode != http.StatusNoContent {
			t.Fatalf("delete = %d %s", r.StatusCode, r.Body)
		}
		if r := api.Get(cfg); r.StatusCode != http.StatusNotFound {
			t.Fatalf("get after delete = %d", r.StatusCode)
		}
		if !strings.Contains(owner.Get("/audit?action=webhook_secret_regenerated").Body, "webhook_secret_regenerated") {
			t.Fatal("the regenerated secret is not in the audit log")
		}
	})
}
