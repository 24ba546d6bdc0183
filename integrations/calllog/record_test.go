package calllog_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"switchboard/apperr"
	"switchboard/integrations/calllog"
	"switchboard/integrations/definition"
	"switchboard/integrations/executor"
	"switchboard/integrations/registry"
	"switchboard/models"
	"switchboard/testsupport"
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

// insertCount counts the INSERTs into api_calls.
type insertCount struct{ n atomic.Int64 }

func (c *insertCount) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }
func (c *insertCount) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	if strings.HasPrefix(strings.TrimSpace(e.Query), `INSERT INTO "api_calls"`) {
		c.n.Add(1)
	}
}

// TestTheWriterInsertsInShortStatements: a batch is written
// StatementSize records per INSERT (the writer lets waiting requests run
// between them), and a statement that fails loses its own records only:
// 60 records with the 31st refused by the database are three statements,
// 35 rows written, and Flush reports the failure.
func TestTheWriterInsertsInShortStatements(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, url string) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		db := testsupport.OpenDB(t, url)
		store := models.NewStore(db)
		org, err := store.CreateOrganization(ctx, "acme", "Acme")
		if err != nil {
			t.Fatal(err)
		}
		inserts := &insertCount{}
		db.AddQueryHook(inserts)
		rec := calllog.New(calllog.Config{Store: store, Registry: registry.New(store), Buffer: 100, Logger: slog.New(slog.DiscardHandler)})
		go rec.Run(ctx)
		for i := range 60 {
			orgID := org.ID
			if i == 30 {
				orgID = org.ID + 1000 // no such organization: its statement is refused
			}
			rec.Record(models.APICall{OrganizationID: orgID, Provider: "od", Function: fmt.Sprint("F", i), Environment: "production", OK: true})
		}
		if err := rec.Flush(ctx); err == nil {
			t.Error("Flush: no error, want the refused statement's")
		}
		if n := inserts.n.Load(); n != 3 {
			t.Errorf("%d INSERT statements for 60 records, want 3 of at most %d", n, rec.StatementSize)
		}
		var fns []string
		if err := db.NewSelect().Model((*models.APICall)(nil)).Column("function").Order("id").Scan(ctx, &fns); err != nil {
			t.Fatal(err)
		}
		if len(fns) != 35 || fns[0] != "F0" || fns[24] != "F24" || fns[25] != "F50" || fns[34] != "F59" {
			t.Errorf("rows written: %d %v, want F0-F24 and F50-F59", len(fns), fns)
		}
	})
}
