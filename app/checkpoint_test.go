package app_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"switchboard/database"
	"switchboard/models"
	"switchboard/records"
	"switchboard/testsupport"
)

// TestServingAppCheckpointsSQLiteBesideTheWriter: a serving process
// copies SQLite's log back into the database file in the background
// (database.RunCheckpoints), so the log starts over soon after bookings
// stop instead of growing towards SQLite's own threshold (1,000 pages),
// where the commit that crosses it would do the copy with every writer
// waiting behind it. Without the background checkpoints the log still
// holds every booking's pages when the next one comes.
func TestServingAppCheckpointsSQLiteBesideTheWriter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	srv := testsupport.StartServer(t, testsupport.Config(t, testsupport.SQLiteURL(t)))
	org, _ := testsupport.Seed(t, srv.App.Store, "acme", "owner@acme.test", models.RoleOwner)
	create := func(i int) {
		v := records.Values{"first_name": fmt.Sprintf("Pat%d", i), "last_name": "Checkpoint", "birthdate": "1990-01-02"}
		if _, _, err := srv.App.Records.CreatePatient(ctx, org.ID, v, nil); err != nil {
			t.Fatal(err)
		}
	}
	create(0)
	if _, _, err := database.Checkpoint(ctx, srv.App.DB); err != nil { // the log starts over at the next commit
		t.Fatal(err)
	}
	create(1)
	one, _, err := database.Checkpoint(ctx, srv.App.DB)
	if err != nil || one == 0 {
		t.Fatalf("frames of one booking = %d, %v", one, err)
	}
	for i := range 40 {
		create(2 + i)
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(3 * database.CheckpointInterval) // the last bookings copied back
	create(42)
	frames, copied, err := database.Checkpoint(ctx, srv.App.DB)
	if err != nil {
		t.Fatal(err)
	}
	// Forty bookings write about 40×one frames; the log started over
	// since, so it holds the last booking's few.
	if frames > 4*one {
		t.Errorf("log after 41 bookings = %d frames (%d copied; one booking writes %d), want it started over beside the writer", frames, copied, one)
	}
}
