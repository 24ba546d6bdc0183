package models_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"switchboard/models"
	"switchboard/testsupport"
)

// TestWritesCommitInGroups: on SQLite the write transactions that queue
// while one runs commit together (group commit), yet each keeps its own
// outcome: one that fails is rolled back alone, one that panics is rolled
// back and panics in its own goroutine, the rest commit; when the shared
// transaction itself is lost (SQLite rolled it back, as after an I/O
// error), every member gets an error and none is saved. PostgreSQL runs
// each transaction on its own with the same outcomes.
func TestWritesCommitInGroups(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		store := models.NewStore(testsupport.OpenDB(t, dbURL))
		org, _ := testsupport.Seed(t, store, "acme", "owner@acme.test", models.RoleOwner)
		tenant := store.Tenant(org.ID)
		grouped := store.DB().Dialect().Name().String() == "sqlite"
		refused := errors.New("refused")

		create := func(tx *models.Tenant, name string) error {
			return tx.CreatePatient(ctx, &models.Patient{FirstName: name, LastName: "Group"})
		}
		outcomes := runQueued(t, store, tenant, grouped, 12, func(i int, tx *models.Tenant) error {
			if err := create(tx, fmt.Sprint("w", i)); err != nil {
				return err
			}
			switch {
			case i == 5:
				panic("boom")
			case i%3 == 0:
				return refused
			}
			return nil
		})
		var want []string
		for i, o := range outcomes {
			switch {
			case i == 5:
				if o.panicked != "boom" || o.err != nil {
					t.Errorf("w5: panicked %v, err %v; want its own panic", o.panicked, o.err)
				}
			case i%3 == 0:
				if !errors.Is(o.err, refused) {
					t.Errorf("w%d: err %v, want refused", i, o.err)
				}
			default:
				if o.err != nil || o.panicked != nil {
					t.Errorf("w%d: err %v, panicked %v; want committed", i, o.err, o.panicked)
				}
				want = append(want, fmt.Sprint("w", i))
			}
		}
		got := firstNames(t, tenant)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("saved %v, want %v", got, want)
		}
		if !grouped {
			return
		}

		// The shared transaction is lost mid-group: nothing of it is saved.
		outcomes = runQueued(t, store, tenant, grouped, 3, func(i int, tx *models.Tenant) error {
			if err := create(tx, fmt.Sprint("lost", i)); err != nil {
				return err
			}
			if i == 1 {
				_, _ = tx.DB().ExecContext(ctx, "ROLLBACK") // what SQLite does on an I/O error
				return errors.New("disk I/O error")
			}
			return nil
		})
		for i, o := range outcomes {
			if o.err == nil {
				t.Errorf("lost%d committed although its group's transaction was lost", i)
			}
		}
		if got := firstNames(t, tenant); slices.ContainsFunc(got, func(n string) bool { return len(n) > 4 && n[:4] == "lost" }) {
			t.Errorf("saved %v after the group was lost", got)
		}
		// The queue goes on.
		if err := tenant.InTx(ctx, func(tx *models.Tenant) error { return create(tx, "after") }); err != nil {
			t.Fatalf("a write after the lost group: %v", err)
		}
	})
}

type outcome struct {
	err      error
	panicked any
}

// runQueued runs n write transactions while another holds the write
// queue, so that on SQLite they
// all queue and commit as one group; it returns each one's outcome.
func runQueued(t *testing.T, store *models.Store, tenant *models.Tenant, grouped bool, n int, fn func(i int, tx *models.Tenant) error) []outcome {
	t.Helper()
	ctx := context.Background()
	inside, release := make(chan struct{}), make(chan struct{})
	holder := make(chan error, 1)
	go func() {
		holder <- tenant.InTx(ctx, func(tx *models.Tenant) error {
			close(inside)
			<-release
			return nil
		})
	}()
	<-inside
	out := make([]outcome, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { out[i].panicked = recover() }()
			out[i].err = tenant.InTx(ctx, func(tx *models.Tenant) error { return fn(i, tx) })
		}()
	}
	if grouped {
		deadline := time.Now().Add(10 * time.Second)
		for models.QueuedWrites(store) < n {
			if time.Now().After(deadline) {
				t.Fatalf("%d of %d writes queued", models.QueuedWrites(store), n)
			}
			time.Sleep(time.Millisecond)
		}
	}
	close(release)
	wg.Wait()
	if err := <-holder; err != nil {
		t.Fatalf("holder: %v", err)
	}
	return out
}

// firstNames are the saved patients' first names, by id.
func firstNames(t *testing.T, tenant *models.Tenant) []string {
	t.Helper()
	ps, err := tenant.Patients(context.Background(), models.PatientFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range ps {
		out = append(out, p.FirstName)
	}
	return out
}
