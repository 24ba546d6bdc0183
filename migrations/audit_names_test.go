package migrations_test

import (
	"context"
	"testing"

	"switchboard/testsupport"
)

// TestAuditActionsTakeOneName: entries the sync error log's page wrote
// under its own names (sync_job_retry, …) take the JSON API's names, the
// one name per action, when 20261206000100 runs; other entries keep theirs.
func TestAuditActionsTakeOneName(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db, r := openRunner(t, url)
		if _, err := r.Up(ctx); err != nil {
			t.Fatal(err)
		}
		// Unapply the renaming (its down keeps the names) and write what
		// the page used to write.
		if _, err := db.NewRaw("DELETE FROM bun_migrations WHERE name = '20261206000100'").Exec(ctx); err != nil {
			t.Fatal(err)
		}
		for _, action := range []string{"sync_job_retry", "sync_job_dismiss", "sync_job_resolve", "login"} {
			if _, err := db.NewRaw("INSERT INTO audit_log (actor, action, target_type, target_id, details, ip, user_agent, created_at, updated_at) "+
				"VALUES ('a@b.test', ?, 'sync_job', '1', '', '', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)", action).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if n, err := r.Up(ctx); err != nil || n != 1 {
			t.Fatalf("up = %d, %v; want the one renaming", n, err)
		}
		var got []string
		if err := db.NewRaw("SELECT action FROM audit_log ORDER BY id").Scan(ctx, &got); err != nil {
			t.Fatal(err)
		}
		want := []string{"sync_job_retried", "sync_job_dismissed", "sync_conflict_resolved", "login"}
		if len(got) != len(want) {
			t.Fatalf("actions = %v, want %v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("actions = %v, want %v", got, want)
				break
			}
		}
	})
}
