package models_test

import (
	"context"
	"testing"
	"time"

	"switchboard/models"
	"switchboard/testsupport"
)

// TestSetSyncStatus: a failure is always recorded at once; a success is
// recorded at once after a failure and at most once a second after a
// success, so that busy workers do not all write the same row.
func TestSetSyncStatus(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		clock := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
		store, org, in := syncSetup(t, dbURL, &clock)
		tenant := store.Tenant(org.ID)
		id := in.Integration.ID
		if err := tenant.SaveSyncConfig(ctx, &models.SyncConfig{IntegrationID: id, Enabled: true,
			Direction: models.DirectionDualWrite, Environment: "production", Entities: "appointment",
			ConflictResolution: models.ConflictNewestWins, PollIntervalSeconds: 60}); err != nil {
			t.Fatal(err)
		}
		ms := time.Millisecond
		steps := []struct {
			at         time.Duration // since the start
			status     string
			wantStatus string
			wantAt     time.Duration
		}{
			{0, "ok", "ok", 0},                     // first outcome: written
			{500 * ms, "ok", "ok", 0},              // success within a second of one: kept
			{600 * ms, "error", "error", 600 * ms}, // failure: written at once
			{700 * ms, "ok", "ok", 700 * ms},       // success after a failure: written at once
			{1200 * ms, "ok", "ok", 700 * ms},      // within a second again: kept
			{1800 * ms, "ok", "ok", 1800 * ms},     // more than a second later: refreshed
		}
		start := clock
		for i, st := range steps {
			clock = start.Add(st.at)
			lastError := ""
			if st.status == "error" {
				lastError = "upstream down"
			}
			if err := tenant.SetSyncStatus(ctx, id, st.status, lastError); err != nil {
				t.Fatalf("step %d: %v", i, err)
			}
			cfg, err := tenant.SyncConfigFor(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.LastSyncStatus != st.wantStatus || cfg.LastSyncAt == nil || !cfg.LastSyncAt.Equal(start.Add(st.wantAt)) {
				t.Errorf("step %d (%s at +%s): got %q at %v, want %q at %v", i, st.status, st.at,
					cfg.LastSyncStatus, cfg.LastSyncAt, st.wantStatus, start.Add(st.wantAt))
			}
		}
	})
}
