package calllog_test

import (
	"context"
	"testing"
	"time"

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
