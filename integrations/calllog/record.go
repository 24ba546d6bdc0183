package calllog

import (
	"context"
	"fmt"
	"maps"
	"slices"
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
		call.RequestExcerpt, call.ResponseExcerpt = exchange(c.Result)
	}
	if id := c.IntegrationID; id != 0 {
		call.IntegrationID = &id
	} else if r.registry != nil { // a record the executor did not make
		if e, err := r.registry.Lookup(ctx, req.OrgID, req.Provider); err == nil {
			id := e.IntegrationID
			call.IntegrationID = &id
		}
	}
	r.Record(call)
	if res := c.Result; r.observe != nil && res != nil && res.Attempts > 0 && call.IntegrationID != nil {
		r.observe(req.Provider, call.Function, c.Took, res.Attempts-max(res.Pages, 1))
	}
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

// exchange is a failed call's last request and answer as the call log
// keeps them: the executor's redacted traces, cut.
func exchange(res *executor.Result) (request, answer string) {
	if res == nil || res.Request.Method == "" {
		return "", ""
	}
	request = res.Request.Method + " " + res.Request.URL + "\n" + headerLines(res.Request.Headers) + "\n" + res.Request.Body
	if res.UpstreamStatus != 0 || res.Response.Body != "" {
		answer = fmt.Sprintf("HTTP %d\n%s\n%s", res.UpstreamStatus, headerLines(res.Response.Headers), res.Response.Body)
	}
	return cut(request), cut(answer)
}

// headerLines writes headers one per line, in name order.
func headerLines(h map[string]string) string {
	names := slices.Sorted(maps.Keys(h))
	var b strings.Builder
	for _, n := range names {
		b.WriteString(n + ": " + h[n] + "\n")
	}
	return b.String()
}

// cut keeps at most 4 KiB of an excerpt, on a character boundary.
func cut(s string) string {
	const limit = 4 << 10
	if len(s) <= limit {
		return strings.ToValidUTF8(s, "")
	}
	return strings.ToValidUTF8(s[:limit], "") + "…"
}
