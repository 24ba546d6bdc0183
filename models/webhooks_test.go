package models_test

import (
	"context"
	"testing"
	"time"

	"switchboard/models"
	"switchboard/testsupport"
)

// TestWebhookReceipts: a signature is taken once per organization and
// integration until it expires; another organization's receipts neither
// block nor release it; a released one may be taken again.
func TestWebhookReceipts(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		store := models.NewStore(testsupport.OpenDB(t, dbURL))
		var orgs [2]int64
		var integrations [2]int64
		for i, slug := range []string{"acme", "globex"} {
			org, _ := testsupport.Seed(t, store, slug, "owner@"+slug+".test", models.RoleOwner)
			in := &models.IntegrationRows{Integration: models.Integration{Slug: "od", Name: "OD", AuthType: "none",
				RequestFormat: "json", Settings: "{}", Enabled: true}}
			if err := store.Tenant(org.ID).SaveIntegrationRows(ctx, in); err != nil {
				t.Fatal(err)
			}
			orgs[i], integrations[i] = org.ID, in.Integration.ID
		}
		now := time.Now().UTC().Truncate(time.Second)
		acme, globex := store.Tenant(orgs[0]), store.Tenant(orgs[1])
		claim := func(tn *models.Tenant, in int64, at time.Time) bool {
			t.Helper()
			ok, err := tn.ClaimWebhook(ctx, in, "abc", at, at.Add(5*time.Minute))
			if err != nil {
				t.Fatalf("claim: %v", err)
			}
			return ok
		}
		if !claim(acme, integrations[0], now) || claim(acme, integrations[0], now) {
			t.Fatal("a signature was not taken exactly once")
		}
		if !claim(globex, integrations[1], now) {
			t.Error("another organization's same signature was refused")
		}
		if err := globex.ReleaseWebhook(ctx, integrations[0], "abc"); err != nil || claim(acme, integrations[0], now) {
			t.Errorf("another organization released acme's receipt (%v)", err)
		}
		if err := acme.ReleaseWebhook(ctx, integrations[0], "abc"); err != nil || !claim(acme, integrations[0], now) {
			t.Errorf("a released receipt could not be taken again (%v)", err)
		}
		if !claim(acme, integrations[0], now.Add(6*time.Minute)) {
			t.Error("an expired receipt still refused its signature")
		}
	})
}
