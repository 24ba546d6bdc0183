package models_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"switchboard/models"
	"switchboard/testsupport"
)

// TestCallsPerHour: calls spread over a day are counted per provider and
// per hour, failures apart, with the last call's time; calls before the
// period or of another organization are left out, and both databases give
// the same answer.
func TestCallsPerHour(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		store := models.NewStore(testsupport.OpenDB(t, dbURL))
		acme, _ := testsupport.Seed(t, store, "acme", "owner@acme.test", models.RoleOwner)
		globex, _ := testsupport.Seed(t, store, "globex", "owner@globex.test", models.RoleOwner)
		since := time.Date(2026, 3, 10, 8, 0, 0, 0, time.UTC)
		at := func(h, m int) time.Time { return since.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute) }
		call := func(org int64, provider string, ok bool, when time.Time) models.APICall {
			return models.APICall{OrganizationID: org, Provider: provider, Function: "F", Environment: "production",
				OK: ok, Caller: "test", CreatedAt: when, UpdatedAt: when}
		}
		calls := []models.APICall{
			call(acme.ID, "od", true, since.Add(-time.Second)), // before the period
			call(acme.ID, "od", true, at(0, 0)),                // the first instant of hour 0
			call(acme.ID, "od", false, at(0, 59)),
			call(acme.ID, "od", true, at(1, 0)),
			call(acme.ID, "c9", false, at(1, 30)),
			call(acme.ID, "od", true, at(23, 59)),
			call(acme.ID, "od", false, at(24, 5)), // after the last hour
			call(globex.ID, "od", false, at(1, 10)),
		}
		if err := store.InsertAPICalls(ctx, calls); err != nil {
			t.Fatal(err)
		}

		got, err := store.Tenant(acme.ID).CallsPerHour(ctx, since, 24)
		if err != nil {
			t.Fatal(err)
		}
		want := []models.CallHour{
			{Provider: "c9", Hour: 1, Calls: 1, Errors: 1, Last: at(1, 30)},
			{Provider: "od", Hour: 0, Calls: 2, Errors: 1, Last: at(0, 59)},
			{Provider: "od", Hour: 1, Calls: 1, Errors: 0, Last: at(1, 0)},
			{Provider: "od", Hour: 23, Calls: 1, Errors: 0, Last: at(23, 59)},
			{Provider: "od", Hour: 24, Calls: 1, Errors: 1, Last: at(24, 5)},
		}
		if len(got) != len(want) {
			t.Fatalf("got %d rows %+v, want %d %+v", len(got), got, len(want), want)
		}
		for i := range want {
			if g, w := got[i], want[i]; g.Provider != w.Provider || g.Hour != w.Hour || g.Calls != w.Calls ||
				g.Errors != w.Errors || !g.Last.Equal(w.Last) {
				t.Errorf("row %d: got %+v, want %+v", i, g, w)
			}
		}
	})
}

// BenchmarkInsertAPICalls writes the call log's records on SQLite in
// statements of 25, 50 and 200 records (the writer's batch), each its own
// transaction: the cost per record of shorter statements.
func BenchmarkInsertAPICalls(b *testing.B) {
	ctx := context.Background()
	store := models.NewStore(testsupport.OpenDB(b, testsupport.SQLiteURL(b)))
	org, _ := testsupport.Seed(b, store, "acme", "owner@acme.test", models.RoleOwner)
	now := time.Now().UTC()
	for _, size := range []int{25, 50, 200} {
		b.Run(fmt.Sprint("records=", size), func(b *testing.B) {
			batch := make([]models.APICall, size)
			for i := range batch {
				batch[i] = models.APICall{OrganizationID: org.ID, Provider: "bench", Function: "GetPatient", Environment: "production",
					OK: true, UpstreamStatus: 200, Attempts: 1, DurationMS: 1, Caller: "api key agent (ab12)", RequestID: "0123456789abcdef0123456789abcdef",
					CreatedAt: now, UpdatedAt: now}
			}
			b.ReportAllocs()
			for b.Loop() {
				if err := store.InsertAPICalls(ctx, batch); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(batch)), "ns/record")
		})
	}
}
