package syncer

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/uptrace/bun"
)

// tableReads counts the SELECTs from a table.
type tableReads struct {
	table string
	n     atomic.Int64
}

func (c *tableReads) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }
func (c *tableReads) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	q := strings.TrimSpace(e.Query)
	if strings.HasPrefix(q, "SELECT") && strings.Contains(q, `FROM "`+c.table+`"`) {
		c.n.Add(1)
	}
}

// TestDeliveriesShareTheOrganizationsReads: deliveries one after another
// read the organization (its time zone) and the integration's sync
// settings as a booking does, through the process's recent reads, not
// once per job: eight deliveries read each at most a few times (once per
// second of the run), where they read them eight times before.
func TestDeliveriesShareTheOrganizationsReads(t *testing.T) {
	forEachBackend(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		m := f.manager()
		for i := range 8 {
			if _, err := m.CreatePatient(f.ctx, f.orgID, newPatient(i)); err != nil {
				t.Fatal(err)
			}
		}
		orgs, cfgs := &tableReads{table: "organizations"}, &tableReads{table: "integration_sync_configs"}
		f.db.AddQueryHook(orgs)
		f.db.AddQueryHook(cfgs)
		runs := 0
		for {
			ran, err := m.RunOne(f.ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !ran {
				break
			}
			runs++
		}
		if runs != 8 || !f.allSettled() {
			t.Fatalf("ran %d jobs, settled %v: want 8 delivered", runs, f.allSettled())
		}
		if n := orgs.n.Load(); n > 3 {
			t.Errorf("8 deliveries read the organization %d times, want at most 3", n)
		}
		if n := cfgs.n.Load(); n > 3 {
			t.Errorf("8 deliveries read the sync settings %d times, want at most 3", n)
		}
	})
}
