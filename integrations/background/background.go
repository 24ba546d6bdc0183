// Package background is the one engine for background work: sync
// deliveries, polls, retention purges and credential-use flushes run as
// jobs of an Engine. On PostgreSQL the engine is River (riverqueue/river):
// jobs are inserted in the transaction of the write that causes them,
// periodic work is leader-elected so that one process runs it per
// interval, and a killed process's jobs are rescued by the others. On
// SQLite (one process by nature) the engine is the embedded outbox: the
// sync_jobs rows are the queue, woken in process, and periodic work runs
// on in-process timers; River's SQLite driver was measured slower there
// (docs/design/background-engine.md).
package background

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Job kinds.
const (
	KindSyncDelivery   = "sync_delivery"
	KindSyncPoll       = "sync_poll"
	KindSyncSchedule   = "sync_poll_schedule"
	KindSyncReconcile  = "sync_reconcile"
	KindPurgeAPICalls  = "purge_api_calls"
	KindPurgeIdemKeys  = "purge_idempotency_keys"
	KindPurgeAttempts  = "purge_sync_attempts"
	KindPurgeSessions  = "purge_sessions"
	KindPurgeThrottle  = "purge_login_throttle"
	KindCredentialUses = "credential_use_flush"
	// KindAlertDelivery POSTs one alert to an organization's webhook.
	KindAlertDelivery = "alert_delivery"
	KindTraceSchedule = "agent_trace_schedule"
	KindTraceImport   = "agent_trace_import"
)

// Job is one unit of work.
type Job struct {
	Kind string
	// OrgID is the organization the job belongs to (0 for system work such
	// as purges); it is stored in the job's arguments as org_id.
	OrgID int64
	// Args are the job's arguments (JSON-encoded), beside org_id.
	Args map[string]any
	// Unique: at most one job of this kind with these arguments waits or
	// runs at a time; a duplicate insert is skipped.
	Unique bool
}

// Encode returns the job's JSON arguments.
func (j Job) Encode() (json.RawMessage, error) {
	m := make(map[string]any, len(j.Args)+1)
	for k, v := range j.Args {
		m[k] = v
	}
	m["org_id"] = j.OrgID
	b, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("background: encode %s: %w", j.Kind, err)
	}
	return b, nil
}

// Handler runs one job of a kind with its JSON arguments. It returns nil
// when the job is done, a Snooze to run it again later without spending
// an attempt, or another error to have the engine retry it with backoff.
type Handler func(ctx context.Context, args json.RawMessage) error

// Snooze asks for the job to run again after the duration.
type Snooze time.Duration

func (s Snooze) Error() string { return "snoozed for " + time.Duration(s).String() }

// SnoozeOf reports the snooze err asks for.
func SnoozeOf(err error) (time.Duration, bool) {
	var s Snooze
	if errors.As(err, &s) {
		return max(time.Duration(s), 0), true
	}
	return 0, false
}

// Periodic is work run once per interval across every process sharing the
// database.
type Periodic struct {
	Name     string
	Interval time.Duration
	Job      Job
}

// Engine runs the background work of the process.
type Engine interface {
	// Name is "river" or "outbox".
	Name() string
	// EnqueueTx adds jobs inside the caller's write transaction (db a
	// bun.Tx; outside one they are added at once): they run only if it
	// commits. The outbox adds nothing for sync deliveries (the sync_jobs
	// rows are its queue).
	EnqueueTx(ctx context.Context, db bun.IDB, jobs ...Job) error
	// Handle registers the handler of a kind (before Start).
	Handle(kind string, h Handler)
	// Every runs p once per p.Interval across the processes (before
	// Start).
	Every(p Periodic)
	// Start runs the workers until Stop.
	Start(ctx context.Context) error
	// Stop lets running jobs finish and stops.
	Stop(ctx context.Context) error
	// Stats answers GET /api/admin/queue for an organization.
	Stats(ctx context.Context, orgID int64) (Stats, error)
}

// Stats are the queue's figures for one organization.
type Stats struct {
	Engine string `json:"engine" doc:"The queue engine: river (PostgreSQL) or outbox (SQLite)." enum:"river,outbox"`
	// Kinds are the jobs per kind: counts per state and the oldest waiting.
	Kinds []KindStats `json:"kinds" doc:"Jobs per kind: counts per state and the oldest waiting."`
	// ThroughputPerMinute counts the jobs finished in the last minute.
	ThroughputPerMinute int `json:"throughput_per_minute" doc:"Jobs finished in the last minute."`
	// OldestWaiting is when the oldest job waiting to run became due.
	OldestWaiting *time.Time `json:"oldest_waiting,omitempty" doc:"When the oldest job waiting to run became due (RFC 3339 instant)."`
}

// KindStats are one kind's counts.
type KindStats struct {
	Kind          string         `json:"kind" doc:"The job kind."`
	States        map[string]int `json:"states" doc:"Job counts by state."`
	OldestWaiting *time.Time     `json:"oldest_waiting,omitempty" doc:"When this kind's oldest job waiting to run became due (RFC 3339 instant)."`
}
