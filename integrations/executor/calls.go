package executor

import (
	"context"
	"strings"
	"time"
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
	// Result is nil when nothing was sent.
	Result *Result
	Err    error
	Took   time.Duration
}

// Execute runs one function; see the package doc for the pipeline. Errors
// are *apperr.Error values with stable codes (apperr.Code*). Every
// execution is reported to the CallRecorder, if any.
func (e *Executor) Execute(ctx context.Context, req Request) (*Result, error) {
	start := time.Now()
	req.Environment = e.environment(ctx, req)
	res, err := e.execute(ctx, req)
	if e.calls != nil {
		fn := req.Function
		if res != nil && res.Function != "" {
			fn = res.Function
		}
		e.calls.RecordCall(ctx, Call{Request: req, Function: fn, Result: res, Err: err, Took: time.Since(start)})
	}
	return res, err
}

// environment is the environment req runs in: the one it names, or its
// integration's default_environment when it names none (so the call log,
// the breaker and the credentials all see the same one).
func (e *Executor) environment(ctx context.Context, req Request) string {
	env := strings.ToLower(strings.TrimSpace(req.Environment))
	if env != "" || e.reg == nil {
		return env
	}
	entry, err := e.reg.Lookup(ctx, req.OrgID, req.Provider)
	if err != nil {
		return env // prepare reports the lookup's error
	}
	return entry.Compiled.Doc.DefaultEnv()
}
