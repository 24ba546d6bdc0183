package app_test

import (
	"context"
	"testing"
	"time"

	"switchboard/models"
	"switchboard/testsupport"
)

// TestExpiredIdempotencyKeysArePurged: the app purges idempotency keys
// older than their 24 hours on its background loop (at start, then every
// hour); a key still within its 24 hours stays.
func TestExpiredIdempotencyKeysArePurged(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, url string) {
		ctx := context.Background()
		store := models.NewStore(testsupport.OpenDB(t, url))
		org, err := store.CreateOrganization(ctx, "acme", "Acme")
		if err != nil {
			t.Fatal(err)
		}
		day := 24 * time.Hour
		old := store.WithClock(func() time.Time { return time.Now().Add(-25 * time.Hour) })
		if err := old.Tenant(org.ID).StoreIdempotentAnswer(ctx, "old", "h", day, 201, "{}", false); err != nil {
			t.Fatal(err)
		}
		if err := store.Tenant(org.ID).StoreIdempotentAnswer(ctx, "fresh", "h", day, 201, "{}", false); err != nil {
			t.Fatal(err)
		}
		srv := testsupport.StartServer(t, testsupport.Config(t, url))
		deadline := time.Now().Add(10 * time.Second)
		for {
			var keys []string
			if err := srv.App.DB.NewRaw("SELECT key FROM idempotency_keys ORDER BY key").Scan(ctx, &keys); err != nil {
				t.Fatal(err)
			}
			if len(keys) == 1 && keys[0] == "fresh" {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("keys = %v, want only the fresh one left", keys)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}
