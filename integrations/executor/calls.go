package executor

import (
	"context"
	"strings"
	"time"

	"switchboard/apperr"
	"switchboard/integrations/registry"
)

// CallRecorder is told of every execution, whatever door it came through
// (the agents' API, MCP, try-it, Test Connection, sync deliveries,
// reference lists), so that the call log and the metrics see them all.
// RecordCall runs on the caller's path: it must not block (no database
// write).
type CallRecorder interface {
	RecordCall(ctx context.Context, call Call)
}

// Call is one execution as the call log keeps it.
type Call struct {
	Request Request
	// Function is the function that ran: a tool name is recorded as its
	// function's own name.
	Function string
	// IntegrationID is the integration the call found (0: none, such as an
	// unknown provider), so the call log need not look it up again.
	IntegrationID int64
	// Result is nil when nothing was sent.
	Result *Result
	Err    error
	Took   time.Duration
}

// Execute runs one function; see the package doc for the pipeline. Errors
// are *apperr.Error values with stable codes (apperr.Code*). Every
// execution is reported to the CallRecorder, if any. The integration is
// looked up once, for the environment, the call and its record.
func (e *Executor) Execute(ctx context.Context, req Request) (*Result, error) {
	start := time.Now()
	entry, lookupErr := e.lookup(ctx, req)
	req.Environment = environment(req, entry)
	res, err := e.execute(ctx, req, entry, lookupErr)
	if e.calls != nil {
		call := Call{Request: req, Function: req.Function, Result: res, Err: err}
		if res != nil && res.Function != "" {
			call.Function = res.Function
		}
		if entry != nil {
			call.IntegrationID = entry.IntegrationID
		}
		call.Took = time.Since(start)
		e.calls.RecordCall(ctx, call)
	}
	return res, err
}

// lookup finds the integration req names.
func (e *Executor) lookup(ctx context.Context, req Request) (*registry.Entry, error) {
	if e.reg == nil {
		return nil, apperr.New(apperr.CodeInternal, "executor: no registry configured")
	}
	entry, err := e.reg.Lookup(ctx, req.OrgID, req.Provider)
	if err != nil {
		return nil, asAppErr(err, "executor: lookup %s", req.Provider)
	}
	return entry, nil
}

// environment is the environment req runs in: the one it names, or its
// integration's default_environment when it names none (so the call log,
// the breaker and the credentials all see the same one).
func environment(req Request, entry *registry.Entry) string {
	env := strings.ToLower(strings.TrimSpace(req.Environment))
	if env != "" || entry == nil {
		return env // without an entry, prepare reports the lookup's error
	}
	return entry.Compiled.Doc.DefaultEnv()
}
