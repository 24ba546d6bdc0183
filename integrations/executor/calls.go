package executor

import (
	"context"
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
