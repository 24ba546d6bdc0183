package handlers

import (
	"context"
	"strings"
	"time"

	"switchboard/apperr"
	"switchboard/integrations/calllog"
	"switchboard/integrations/executor"
	"switchboard/integrations/registry"
	"switchboard/integrations/vault"
	"switchboard/logging"
	"switchboard/models"
	"switchboard/web/middleware"
)

// callRecorder records every execution in the call log and counts it by
// provider and outcome for /metrics: the execute API, try-it and Test
// Connection (through the credentials service) share one.
type callRecorder struct {
	registry *registry.Registry
	calls    *calllog.Recorder
	metrics  *middleware.Metrics
}

func newCallRecorder(reg *registry.Registry, calls *calllog.Recorder, metrics *middleware.Metrics) *callRecorder {
	return &callRecorder{registry: reg, calls: calls, metrics: metrics}
}

// RecordCall implements vault.CallRecorder.
func (r *callRecorder) RecordCall(ctx context.Context, call vault.Call) {
	r.record(ctx, call.OrgID, call.Caller, call.Request.Provider, call.Request.Function, call.Request.Environment, call.Result, call.Err, call.Took)
}

// record queues the call record; it never blocks the answer.
func (r *callRecorder) record(ctx context.Context, orgID int64, caller, provider, function, env string, res *executor.Result, err error, took time.Duration) {
	call := models.APICall{OrganizationID: orgID, Provider: provider, Function: function, Environment: env,
		OK: err == nil, Caller: caller, RequestID: logging.RequestID(ctx), DurationMS: took.Milliseconds()}
	if res != nil {
		call.UpstreamStatus, call.Attempts = res.UpstreamStatus, res.Attempts
	}
	if err != nil {
		call.ErrorCode = apperr.Code(err)
		if e, ok := apperr.As(err); ok {
			call.Detail = strings.ToValidUTF8(e.Message[:min(len(e.Message), 500)], "")
		}
	}
	if e, lerr := r.registry.Lookup(ctx, orgID, provider); lerr == nil {
		id := e.IntegrationID
		call.IntegrationID = &id
	}
	r.calls.Record(call)
	outcome, label := "ok", provider
	if err != nil {
		outcome = call.ErrorCode
	}
	if call.IntegrationID == nil {
		label = "(unknown)" // callers' typos must not grow the label set
	}
	r.metrics.CountExecution(label, outcome)
}
