package migrations_test

import (
	"context"
	"testing"

	"switchboard/database"
	"switchboard/migrations"
	"switchboard/testsupport"

	"github.com/uptrace/bun"
)

// openRunner opens the database at url (closed at cleanup) and its
// migration runner, nothing applied yet.
func openRunner(t *testing.T, url string) (*bun.DB, *migrations.Runner) {
	t.Helper()
	db, err := database.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	r, err := migrations.New(db)
	if err != nil {
		t.Fatal(err)
	}
	return db, r
}

func TestUpDownUp(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, url string) {
		ctx := context.Background()
		_, r := openRunner(t, url)
		total := len(migrationsOf(t, r))
		if total == 0 {
			t.Fatal("no migrations embedded")
		}
		if n, err := r.Up(ctx); err != nil || n != total {
			t.Fatalf("first up: applied %d of %d, err %v", n, total, err)
		}
		assertPending(t, r, 0)
		if n, err := r.Down(ctx, true); err != nil || n != total {
			t.Fatalf("down --all: rolled back %d of %d, err %v", n, total, err)
		}
		assertPending(t, r, total)
		if n, err := r.Up(ctx); err != nil || n != total {
			t.Fatalf("second up: applied %d of %d, err %v", n, total, err)
		}
		assertPending(t, r, 0)
		if n, err := r.Up(ctx); err != nil || n != 0 {
			t.Fatalf("up when current: applied %d, err %v; want 0", n, err)
		}
	})
}

func migrationsOf(t *testing.T, r *migrations.Runner) []migrations.Status {
	t.Helper()
	st, err := r.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func assertPending(t *testing.T, r *migrations.Runner, want int) {
	t.Helper()
	got, err := r.Pending(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("pending migrations = %d, want %d", got, want)
	}
}
