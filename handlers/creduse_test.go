package handlers_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"switchboard/models"
	"switchboard/testsupport"
)

const usedKey = "pms-key-0123456789"

// usedSetup saves an integration whose calls carry an API key (its
// upstream refuses any other) with a reference list, and its production
// credential; it returns the credential's id and the integration's.
func usedSetup(t *testing.T, srv *testsupport.Server, c *testsupport.Client, orgID int64) (credID, integrationID int64) {
	t.Helper()
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Api-Key") != usedKey {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`[{"id":1,"name":"Dr. Park"}]`))
	}))
	t.Cleanup(up.Close)
	doc := fmt.Sprintf(`{"slug":"pms","name":"PMS","base_url":{"production":%q},`+
		`"auth":{"type":"api_key","header":"X-Api-Key","template":"{{api_key}}"},"credential_fields":["api_key"],"endpoints":[`+
		`{"function":"Ping","method":"GET","path":"/ping"},{"function":"ListProviders","method":"GET","path":"/providers"}],`+
		`"reference":{"providers":{"function":"ListProviders","id_path":"id","label_template":"{{name}}"}}}`, up.URL)
	if r := c.Do("POST", "/api/admin/integrations", strings.NewReader(doc), http.Header{"Content-Type": {"application/json"}}); r.StatusCode != 201 {
		t.Fatalf("create integration = %d %s", r.StatusCode, r.Body)
	}
	r := c.SendJSON("POST", "/api/admin/api-credentials", map[string]any{"integration": "pms", "environment": "production",
		"fields": map[string]string{"api_key": usedKey}})
	var cred struct {
		ID         int64      `json:"id"`
		LastUsedAt *time.Time `json:"last_used_at"`
	}
	r.JSON(t, &cred)
	if r.StatusCode != 201 || cred.LastUsedAt != nil {
		t.Fatalf("create credential = %d %s, want 201 never used", r.StatusCode, r.Body)
	}
	in, err := srv.App.Registry.Lookup(t.Context(), orgID, "pms")
	if err != nil {
		t.Fatal(err)
	}
	return cred.ID, in.IntegrationID
}

// lastUsed reads the credential's last_used_at through the admin API.
func lastUsed(t *testing.T, c *testsupport.Client, id int64) *time.Time {
	t.Helper()
	r := c.Get(fmt.Sprintf("/api/admin/api-credentials/%d", id))
	var cred struct {
		LastUsedAt *time.Time `json:"last_used_at"`
	}
	r.JSON(t, &cred)
	if r.StatusCode != 200 {
		t.Fatalf("credential = %d %s", r.StatusCode, r.Body)
	}
	return cred.LastUsedAt
}

// TestCredentialLastUsedFollowsExecutions: executions through the real
// router that send the stored credential (POST /api/integrations/{slug},
// a reference list) set its last_used_at once the recorder flushes; a later
// one moves it forward, an answer from the cache sends nothing and leaves
// it, and an earlier use never moves it back.
func TestCredentialLastUsedFollowsExecutions(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv, c, orgID := adminAPI(t, dbURL)
		credID, integrationID := usedSetup(t, srv, c, orgID)
		flush := func() {
			t.Helper()
			if err := srv.App.CredentialUses.Flush(t.Context()); err != nil {
				t.Fatal(err)
			}
		}
		before := time.Now().Add(-time.Millisecond)
		if r := c.SendJSON("POST", "/api/integrations/pms", map[string]any{"function": "Ping"}); r.StatusCode != 200 {
			t.Fatalf("Ping = %d %s", r.StatusCode, r.Body)
		}
		flush()
		first := lastUsed(t, c, credID)
		if first == nil || first.Before(before) {
			t.Fatalf("last_used_at after an execution = %v, want at or after %v", first, before)
		}

		if r := c.Get("/api/reference/providers?integration=pms"); r.StatusCode != 200 || !strings.Contains(r.Body, `"cached":false`) {
			t.Fatalf("reference list = %d %s", r.StatusCode, r.Body)
		}
		flush()
		second := lastUsed(t, c, credID)
		if second == nil || !second.After(*first) {
			t.Fatalf("last_used_at after a reference list = %v, want after %v", second, first)
		}

		// A list from the cache sent no request with the credential.
		if r := c.Get("/api/reference/providers?integration=pms"); r.StatusCode != 200 || !strings.Contains(r.Body, `"cached":true`) {
			t.Fatalf("second reference list = %d %s", r.StatusCode, r.Body)
		}
		flush()
		if got := lastUsed(t, c, credID); got == nil || !got.Equal(*second) {
			t.Fatalf("last_used_at after a cached answer = %v, want %v", got, second)
		}

		// An earlier use recorded late never moves it back.
		srv.App.CredentialUses.Used(orgID, integrationID, "production", first.Add(-time.Hour))
		flush()
		if got := lastUsed(t, c, credID); got == nil || !got.Equal(*second) {
			t.Fatalf("last_used_at after an earlier use = %v, want %v", got, second)
		}
	})
}

// TestCredentialUsesAreWrittenOnShutdown: a use not yet flushed is written
// when the app stops.
func TestCredentialUsesAreWrittenOnShutdown(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv, c, orgID := adminAPI(t, dbURL)
		credID, _ := usedSetup(t, srv, c, orgID)
		if r := c.SendJSON("POST", "/api/integrations/pms", map[string]any{"function": "Ping"}); r.StatusCode != 200 {
			t.Fatalf("Ping = %d %s", r.StatusCode, r.Body)
		}
		if err := srv.App.Close(); err != nil {
			t.Fatal(err)
		}
		cred, err := models.NewStore(testsupport.OpenDB(t, dbURL)).Tenant(orgID).Credential(t.Context(), credID)
		if err != nil {
			t.Fatal(err)
		}
		if cred.LastUsedAt == nil {
			t.Fatal("last_used_at is not set after the app stopped")
		}
	})
}

// TestCredentialLastUsedBySyncDeliveries: the demo's patients sync to Open
// Dental in the background; once they have, the recorder's flush sets the
// last_used_at of Open Dental's credential, which nothing else used.
func TestCredentialLastUsedBySyncDeliveries(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv, _ := testsupport.StartDemoOn(t, dbURL)
		org := srv.DemoOrg(t)
		od, err := srv.App.Registry.Lookup(t.Context(), org.ID, "opendental")
		if err != nil {
			t.Fatal(err)
		}
		var synced int
		settleSync(t, srv)
		if err := srv.App.DB.NewRaw("SELECT count(*) FROM sync_jobs WHERE status = 'synced'").Scan(t.Context(), &synced); err != nil || synced == 0 {
			t.Fatalf("synced jobs = %d (%v), want the demo's patients", synced, err)
		}
		if err := srv.App.CredentialUses.Flush(t.Context()); err != nil {
			t.Fatal(err)
		}
		// The demo delivers to Open Dental's default_environment, the sandbox.
		cred, err := srv.App.Store.Tenant(org.ID).CredentialFor(t.Context(), od.IntegrationID, "sandbox")
		if err != nil {
			t.Fatal(err)
		}
		if cred.LastUsedAt == nil || cred.LastTestedAt != nil {
			t.Fatalf("Open Dental credential: last used %v, last tested %v; want used by the deliveries, never tested", cred.LastUsedAt, cred.LastTestedAt)
		}
	})
}
