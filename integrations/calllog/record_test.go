package calllog_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"switchboard/apperr"
	"switchboard/integrations/calllog"
	"switchboard/integrations/definition"
	"switchboard/integrations/executor"
	"switchboard/integrations/registry"
	"switchboard/models"
	"switchboard/testsupport"
	"switchboard/testsupport/dbhook"
)

// TestRecordCallKeepsWhatTheExecutorReports: a reported call becomes a
// row naming its caller, function, environment, outcome and integration,
// and is counted by provider and outcome; a provider the organization has
// not is counted as "(unknown)" and recorded without an integration.
func TestRecordCallKeepsWhatTheExecutorReports(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, url string) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		store := models.NewStore(testsupport.OpenDB(t, url))
		org, err := store.CreateOrganization(ctx, "acme", "Acme")
		if err != nil {
			t.Fatal(err)
		}
		reg := registry.New(store)
		in, err := reg.Create(ctx, org.ID, &definition.Document{Slug: "od", Name: "OD", BaseURL: map[string]string{"production": "https://od.example.com"},
			Endpoints: []definition.Endpoint{{Function: "Ping", Method: "GET", Path: "/ping"}}}, "")
		if err != nil {
			t.Fatal(err)
		}
		counted := map[[2]string]int{}
		rec := calllog.New(calllog.Config{Store: store, Registry: reg, Buffer: 10, Count: func(p, o string) { counted[[2]string{p, o}]++ }})
		go rec.Run(ctx)
		rec.RecordCall(ctx, executor.Call{Request: executor.Request{OrgID: org.ID, Provider: "od", Caller: "sync"}, Function: "Ping",
			Result: &executor.Result{UpstreamStatus: 200, Attempts: 1}, Took: 12 * time.Millisecond})
		rec.RecordCall(ctx, executor.Call{Request: executor.Request{OrgID: org.ID, Provider: "nope", Function: "X", Environment: "sandbox", Caller: "mcp"},
			Function: "X", Err: apperr.New(apperr.CodeUnknownProvider, "no integration nope")})
		if err := rec.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		var rows []models.APICall
		if err := store.DB().NewSelect().Model(&rows).Order("id").Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 {
			t.Fatalf("rows = %+v", rows)
		}
		ok, bad := rows[0], rows[1]
		if !ok.OK || ok.Caller != "sync" || ok.Function != "Ping" || ok.Environment != "production" || ok.UpstreamStatus != 200 ||
			ok.IntegrationID == nil || *ok.IntegrationID != in.ID || ok.DurationMS != 12 {
			t.Errorf("ok row = %+v", ok)
		}
		if bad.OK || bad.ErrorCode != apperr.CodeUnknownProvider || bad.IntegrationID != nil || bad.Environment != "sandbox" || bad.Detail == "" {
			t.Errorf("failed row = %+v", bad)
		}
		want := map[[2]string]int{{"od", "ok"}: 1, {"(unknown)", apperr.CodeUnknownProvider}: 1}
		if len(counted) != len(want) || counted[[2]string{"od", "ok"}] != 1 || counted[[2]string{"(unknown)", apperr.CodeUnknownProvider}] != 1 {
			t.Errorf("counted %v, want %v", counted, want)
		}
	})
}

// TestARefusedRecordLosesItsGroupNotTheBatch: a batch is one INSERT (60
// records, one statement). When the database refuses it, the batch is
// written again 25 records per statement, so a refused record loses its
// group only: of 60 more records with the 31st refused, 35 are written,
// Flush reports the failure, one warning says how many were lost.
func TestARefusedRecordLosesItsGroupNotTheBatch(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, url string) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		db := testsupport.OpenDB(t, url)
		store := models.NewStore(db)
		org, err := store.CreateOrganization(ctx, "acme", "Acme")
		if err != nil {
			t.Fatal(err)
		}
		var inserts, most atomic.Int64 // INSERTs into api_calls, and the most records one carried
		dbhook.OnQuery(db, func(q string) {
			if strings.HasPrefix(q, `INSERT INTO "api_calls"`) {
				inserts.Add(1)
				if rows := int64(strings.Count(q, "), (") + 1); rows > most.Load() {
					most.Store(rows)
				}
			}
		})
		var logged bytes.Buffer
		rec := calllog.New(calllog.Config{Store: store, Registry: registry.New(store), Buffer: 100, Logger: slog.New(slog.NewTextHandler(&logged, nil))})
		go rec.Run(ctx)
		record := func(from int, refused int) {
			for i := from; i < from+60; i++ {
				orgID := org.ID
				if i == refused {
					orgID = org.ID + 1000 // no such organization: its statement is refused
				}
				rec.Record(models.APICall{OrganizationID: orgID, Provider: "od", Function: fmt.Sprint("F", i), Environment: "production", OK: true})
			}
		}
		record(0, -1)
		if err := rec.Flush(ctx); err != nil {
			t.Fatal(err)
		}
		if n, most := inserts.Load(), most.Load(); n != 1 || most != 60 {
			t.Errorf("%d INSERT statements of at most %d records for 60 records, want one of 60", n, most)
		}
		record(100, 130)
		if err := rec.Flush(ctx); err == nil {
			t.Error("Flush: no error, want the refused statement's")
		}
		if n := inserts.Load(); n != 5 {
			t.Errorf("%d INSERT statements in all, want 5: the batch of 60, its refused batch of 60, then 3 of at most 25", n)
		}
		if n := strings.Count(logged.String(), `msg="unable to record api calls"`); n != 1 || !strings.Contains(logged.String(), "count=25") {
			t.Errorf("logged %d warnings, want one saying 25 records were lost:\n%s", n, logged.String())
		}
		var fns []string
		if err := db.NewSelect().Model((*models.APICall)(nil)).Column("function").Where("function NOT LIKE 'F_' AND function NOT LIKE 'F__'").
			Order("id").Scan(ctx, &fns); err != nil {
			t.Fatal(err)
		}
		if len(fns) != 35 || fns[0] != "F100" || fns[24] != "F124" || fns[25] != "F150" || fns[34] != "F159" {
			t.Errorf("rows written of the second batch: %d %v, want F100-F124 and F150-F159", len(fns), fns)
		}
	})
}
