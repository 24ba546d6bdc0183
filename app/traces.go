package app

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"switchboard/integrations/background"
)

// traceScheduleEvery is how often the scheduler looks for Langfuse
// imports due (each runs at its own poll interval).
const traceScheduleEvery = 30 * time.Second

// traceJobArgs are the arguments of an agent_trace_import job.
type traceJobArgs struct {
	OrgID         int64 `json:"org_id"`
	IntegrationID int64 `json:"integration_id"`
}

// registerTraceJobs makes the scheduled pull of agent traces background
// work: a periodic job takes the imports due and queues one import job
// each (any process may run it).
func (a *App) registerTraceJobs() {
	a.Engine.Handle(background.KindTraceSchedule, func(ctx context.Context, _ json.RawMessage) error {
		return a.ScheduleTraceImports(ctx)
	})
	a.Engine.Handle(background.KindTraceImport, func(ctx context.Context, raw json.RawMessage) error {
		var args traceJobArgs
		if err := json.Unmarshal(raw, &args); err != nil {
			return fmt.Errorf("app: trace import arguments: %w", err)
		}
		if err := a.Traces.ImportScheduled(ctx, args.OrgID, args.IntegrationID); err != nil {
			// Recorded on the import (shown on the page); the next interval
			// tries again.
			a.Logger.WarnContext(ctx, "agent trace import failed", "org", args.OrgID, "err", err)
		}
		return nil
	})
	a.Engine.Every(background.Periodic{Name: background.KindTraceSchedule, Interval: traceScheduleEvery,
		Job: background.Job{Kind: background.KindTraceSchedule}})
}

// ScheduleTraceImports queues an import job for every Langfuse import due
// now (the periodic job's work).
func (a *App) ScheduleTraceImports(ctx context.Context) error {
	due, err := a.Traces.Schedule(ctx)
	jobs := make([]background.Job, 0, len(due))
	for _, ti := range due {
		jobs = append(jobs, background.Job{Kind: background.KindTraceImport, OrgID: ti.OrganizationID,
			Args: map[string]any{"integration_id": ti.IntegrationID}, Unique: true})
	}
	if qerr := a.Engine.EnqueueTx(ctx, a.DB, jobs...); qerr != nil {
		return qerr
	}
	return err
}
