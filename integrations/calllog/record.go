package calllog

import (
	"context"
	"strings"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/integrations/executor"
	"switchboard/logging"
	"switchboard/models"
)

// RecordCall implements executor.CallRecorder: it queues the call's record
// and counts it; it never blocks the caller.
func (r *Recorder) RecordCall(ctx context.Context, c executor.Call) {
	req := c.Request
	call := models.APICall{OrganizationID: req.OrgID, Provider: req.Provider, Function: c.Function, Environment: environment(req),
		OK: c.Err == nil, Caller: req.Caller, RequestID: logging.RequestID(ctx), TraceID: logging.TraceID(ctx), DurationMS: c.Took.Milliseconds()}
	if c.Result != nil {
		call.UpstreamStatus, call.Attempts = c.Result.UpstreamStatus, c.Result.Attempts
	}
	if c.Err != nil {
		call.ErrorCode = apperr.Code(c.Err)
		if e, ok := apperr.As(c.Err); ok {
			call.Detail = strings.ToValidUTF8(e.Message[:min(len(e.Message), 500)], "")
		}
	}
	if r.registry != nil {
		if e, err := r.registry.Lookup(ctx, req.OrgID, req.Provider); err == nil {
			id := e.IntegrationID
			call.IntegrationID = &id
		}
	}
	r.Record(call)
	if r.count != nil {
		outcome, label := "ok", req.Provider
		if c.Err != nil {
			outcome = call.ErrorCode
		}
		if call.IntegrationID == nil {
			label = "(unknown)"
		}
		r.count(label, outcome)
	}
}

// environment is the environment the call ran in, as the call log names
// it (production when the request left it empty).
func environment(req executor.Request) string {
	if req.Environment == "" {
		return definition.EnvProduction
	}
	return req.Environment
}
