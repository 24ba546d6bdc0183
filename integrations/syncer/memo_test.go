package syncer

import (
	"strings"
	"testing"

	"switchboard/testsupport/dbhook"
)

// selectsFrom matches the SELECTs from a table.
func selectsFrom(table string) func(string) bool {
	return func(q string) bool { return strings.HasPrefix(q, "SELECT") && strings.Contains(q, `FROM "`+table+`"`) }
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
		orgs := dbhook.Count(f.db, selectsFrom("organizations"))
		cfgs := dbhook.Count(f.db, selectsFrom("integration_sync_configs"))
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
		if n := orgs.Load(); n > 3 {
			t.Errorf("8 deliveries read the organization %d times, want at most 3", n)
		}
		if n := cfgs.Load(); n > 3 {
			t.Errorf("8 deliveries read the sync settings %d times, want at most 3", n)
		}
	})
}
