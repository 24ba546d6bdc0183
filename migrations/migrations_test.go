package migrations_test

import (
	"context"
	"testing"

	"switchboard/database"
	"switchboard/migrations"
	"switchboard/testsupport"
)

func TestUpDownUp(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, url string) {
		ctx := context.Background()
		db, err := database.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		r, err := migrations.New(db)
		if err != nil {
			t.Fatal(err)
		}
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
