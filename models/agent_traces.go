package models

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"switchboard/apperr"
)

// AgentTrace is one trace of the organization's agent, imported from
// Langfuse: Tags is a JSON array, the excerpts are redacted and bounded
// before they are stored.
type AgentTrace struct {
	bun.BaseModel `bun:"table:agent_traces,alias:at"`

	ID             int64     `bun:"id,pk,autoincrement" json:"-"`
	OrganizationID int64     `bun:"organization_id,notnull" json:"-"`
	IntegrationID  *int64    `bun:"integration_id" json:"-"`
	TraceID        string    `bun:"trace_id,notnull" json:"id" doc:"The trace's id in Langfuse."`
	Name           string    `bun:"name,notnull" json:"name"`
	SessionID      string    `bun:"session_id,notnull" json:"session_id"`
	UserID         string    `bun:"user_id,notnull" json:"user_id"`
	StartedAt      time.Time `bun:"started_at,notnull" json:"start" doc:"When the trace started."`
	LatencyMS      int64     `bun:"latency_ms,notnull" json:"latency_ms"`
	CostUSD        float64   `bun:"cost_usd,notnull" json:"cost_usd" doc:"Total cost in US dollars."`
	Tags           string    `bun:"tags,notnull" json:"-"`
	InputExcerpt   string    `bun:"input_excerpt,notnull" json:"input_excerpt" doc:"The start of the input, credentials and card-like numbers redacted."`
	OutputExcerpt  string    `bun:"output_excerpt,notnull" json:"output_excerpt" doc:"The start of the output, redacted likewise."`
	CreatedAt      time.Time `bun:"created_at,notnull" json:"-"`
	UpdatedAt      time.Time `bun:"updated_at,notnull" json:"-"`
}

// AgentSession is one session (conversation) of imported traces.
type AgentSession struct {
	bun.BaseModel `bun:"table:agent_sessions,alias:as"`

	ID             int64     `bun:"id,pk,autoincrement" json:"-"`
	OrganizationID int64     `bun:"organization_id,notnull" json:"-"`
	SessionID      string    `bun:"session_id,notnull" json:"id"`
	UserID         string    `bun:"user_id,notnull" json:"user_id"`
	FirstAt        time.Time `bun:"first_at,notnull" json:"first_at"`
	LastAt         time.Time `bun:"last_at,notnull" json:"last_at"`
	Traces         int       `bun:"traces,notnull" json:"traces"`
	LatencyMS      int64     `bun:"latency_ms,notnull" json:"latency_ms" doc:"Sum of the traces' latencies."`
	CostUSD        float64   `bun:"cost_usd,notnull" json:"cost_usd"`
	CreatedAt      time.Time `bun:"created_at,notnull" json:"-"`
	UpdatedAt      time.Time `bun:"updated_at,notnull" json:"-"`
}

// TraceImport is the import state of one Langfuse integration.
type TraceImport struct {
	bun.BaseModel `bun:"table:agent_trace_imports,alias:ti"`

	ID                  int64      `bun:"id,pk,autoincrement"`
	OrganizationID      int64      `bun:"organization_id,notnull"`
	IntegrationID       int64      `bun:"integration_id,notnull"`
	Environment         string     `bun:"environment,notnull"`
	PollIntervalSeconds int        `bun:"poll_interval_seconds,notnull"`
	CursorAt            *time.Time `bun:"cursor_at"`
	NextPollAt          time.Time  `bun:"next_poll_at,notnull"`
	LastRunAt           *time.Time `bun:"last_run_at"`
	LastError           string     `bun:"last_error,notnull"`
	LastImported        int        `bun:"last_imported,notnull"`
	CreatedAt           time.Time  `bun:"created_at,notnull"`
	UpdatedAt           time.Time  `bun:"updated_at,notnull"`
}

// TraceFilter narrows the trace list; zero fields filter nothing.
type TraceFilter struct {
	From, To  time.Time
	SessionID string
	UserID    string
	Tag       string
	MinCost   float64
	Limit     int
}

// apply adds the filter's conditions to q.
func (f TraceFilter) apply(q *bun.SelectQuery) *bun.SelectQuery {
	if !f.From.IsZero() {
		q = q.Where("at.started_at >= ?", f.From)
	}
	if !f.To.IsZero() {
		q = q.Where("at.started_at < ?", f.To)
	}
	if f.SessionID != "" {
		q = q.Where("at.session_id = ?", f.SessionID)
	}
	if f.UserID != "" {
		q = q.Where("at.user_id = ?", f.UserID)
	}
	if f.Tag != "" {
		q = q.Where("at.tags LIKE ? ESCAPE '\\'", "%"+likeEscape(`"`+f.Tag+`"`)+"%")
	}
	if f.MinCost > 0 {
		q = q.Where("at.cost_usd >= ?", f.MinCost)
	}
	return q
}

// likeEscape escapes LIKE's wildcards (and its escape character).
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}

// UpsertAgentTraces stores traces by their Langfuse id: a trace seen
// again is updated, never doubled. It answers how many were new.
func (t *Tenant) UpsertAgentTraces(ctx context.Context, traces []AgentTrace) (int, error) {
	if len(traces) == 0 {
		return 0, nil
	}
	now := t.now()
	created := 0
	err := t.InTx(ctx, func(tx *Tenant) error {
		for i := range traces {
			tr := &traces[i]
			tr.OrganizationID, tr.UpdatedAt = t.orgID, now
			res, err := tx.updateQ(tr).Column("integration_id", "name", "session_id", "user_id", "started_at", "latency_ms",
				"cost_usd", "tags", "input_excerpt", "output_excerpt", "updated_at").
				Where("at.trace_id = ?", tr.TraceID).Exec(ctx)
			if err != nil {
				return wrap("update agent trace", err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				continue
			}
			tr.CreatedAt = now
			if _, err := tx.db.NewInsert().Model(tr).Exec(ctx); err != nil {
				return wrap("insert agent trace", err)
			}
			created++
		}
		return tx.refreshSessions(ctx, traces)
	})
	return created, err
}

// refreshSessions recomputes the sessions the traces belong to from every
// stored trace of each.
func (t *Tenant) refreshSessions(ctx context.Context, traces []AgentTrace) error {
	seen := map[string]bool{}
	for _, tr := range traces {
		if tr.SessionID == "" || seen[tr.SessionID] {
			continue
		}
		seen[tr.SessionID] = true
		var s AgentSession
		err := t.selectQ((*AgentTrace)(nil)).
			ColumnExpr("MIN(at.started_at) AS first_at, MAX(at.started_at) AS last_at, COUNT(*) AS traces").
			ColumnExpr("COALESCE(SUM(at.latency_ms), 0) AS latency_ms, COALESCE(SUM(at.cost_usd), 0) AS cost_usd").
			ColumnExpr("MAX(at.user_id) AS user_id").
			Where("at.session_id = ?", tr.SessionID).Scan(ctx, &s)
		if err != nil {
			return wrap("sum agent session", err)
		}
		s.OrganizationID, s.SessionID, s.UpdatedAt, s.CreatedAt = t.orgID, tr.SessionID, t.now(), t.now()
		_, err = t.db.NewInsert().Model(&s).
			On("CONFLICT (organization_id, session_id) DO UPDATE").
			Set("user_id = EXCLUDED.user_id, first_at = EXCLUDED.first_at, last_at = EXCLUDED.last_at").
			Set("traces = EXCLUDED.traces, latency_ms = EXCLUDED.latency_ms, cost_usd = EXCLUDED.cost_usd, updated_at = EXCLUDED.updated_at").
			Exec(ctx)
		if err != nil {
			return wrap("save agent session", err)
		}
	}
	return nil
}

// AgentTraces lists the organization's traces, newest first.
func (t *Tenant) AgentTraces(ctx context.Context, f TraceFilter) ([]AgentTrace, error) {
	var out []AgentTrace
	q := f.apply(t.selectQ(&out)).OrderExpr("at.started_at DESC, at.id DESC")
	if f.Limit > 0 {
		q = q.Limit(int64(f.Limit))
	}
	err := q.Scan(ctx)
	return out, wrap("list agent traces", err)
}

// AgentTrace is one trace by its Langfuse id.
func (t *Tenant) AgentTrace(ctx context.Context, traceID string) (*AgentTrace, error) {
	var tr AgentTrace
	err := t.selectQ(&tr).Where("at.trace_id = ?", traceID).Limit(1).Scan(ctx)
	if err != nil {
		return nil, wrap("get agent trace", notFound(err, "trace"))
	}
	return &tr, nil
}

// AgentSessions lists the sessions of the traces the filter keeps, latest
// first, with the figures of those traces.
func (t *Tenant) AgentSessions(ctx context.Context, f TraceFilter) ([]AgentSession, error) {
	var out []AgentSession
	q := f.apply(t.selectQ((*AgentTrace)(nil))).
		ColumnExpr("at.session_id AS session_id, MAX(at.user_id) AS user_id").
		ColumnExpr("MIN(at.started_at) AS first_at, MAX(at.started_at) AS last_at, COUNT(*) AS traces").
		ColumnExpr("COALESCE(SUM(at.latency_ms), 0) AS latency_ms, COALESCE(SUM(at.cost_usd), 0) AS cost_usd").
		Where("at.session_id <> ''").GroupExpr("at.session_id").OrderExpr("last_at DESC")
	if f.Limit > 0 {
		q = q.Limit(int64(f.Limit))
	}
	err := q.Scan(ctx, &out)
	for i := range out {
		out[i].FirstAt, out[i].LastAt = out[i].FirstAt.UTC(), out[i].LastAt.UTC()
	}
	return out, wrap("list agent sessions", err)
}

// TracePoint is one trace's start, cost and latency, for the chart.
type TracePoint struct {
	StartedAt time.Time `bun:"started_at"`
	CostUSD   float64   `bun:"cost_usd"`
	LatencyMS int64     `bun:"latency_ms"`
}

// AgentTracePoints are the start, cost and latency of every trace the
// filter keeps (the page sums them per practice day).
func (t *Tenant) AgentTracePoints(ctx context.Context, f TraceFilter) ([]TracePoint, error) {
	var out []TracePoint
	err := f.apply(t.selectQ((*AgentTrace)(nil))).Column("at.started_at", "at.cost_usd", "at.latency_ms").
		OrderExpr("at.started_at").Limit(50000).Scan(ctx, &out)
	return out, wrap("list agent trace points", err)
}

// CallsOfTrace lists the calls made under a trace, oldest first.
func (t *Tenant) CallsOfTrace(ctx context.Context, traceID string, limit int) ([]APICall, error) {
	var out []APICall
	if traceID == "" {
		return nil, nil
	}
	err := t.selectQ(&out).Where("ac.trace_id = ?", traceID).OrderExpr("ac.created_at, ac.id").Limit(int64(limit)).Scan(ctx)
	return out, wrap("list calls of trace", err)
}

// TraceImportOf is the import state of an integration, or a new one (not
// saved) when it has none.
func (t *Tenant) TraceImportOf(ctx context.Context, integrationID int64) (*TraceImport, error) {
	var ti TraceImport
	err := t.selectQ(&ti).Where("ti.integration_id = ?", integrationID).Limit(1).Scan(ctx)
	if apperr.IsNotFound(notFound(err, "import")) {
		return &TraceImport{OrganizationID: t.orgID, IntegrationID: integrationID, PollIntervalSeconds: 900, NextPollAt: t.now()}, nil
	}
	return &ti, wrap("get trace import", err)
}

// SaveTraceImport inserts or updates an import state.
func (t *Tenant) SaveTraceImport(ctx context.Context, ti *TraceImport) error {
	ti.OrganizationID, ti.UpdatedAt = t.orgID, t.now()
	if ti.ID != 0 {
		_, err := t.updateQ(ti).WherePK().ExcludeColumn("id", "organization_id", "integration_id", "created_at").Exec(ctx)
		return wrap("save trace import", err)
	}
	ti.CreatedAt = ti.UpdatedAt
	_, err := t.db.NewInsert().Model(ti).Exec(ctx)
	return wrap("save trace import", conflictOr(err, "the import of this integration was saved meanwhile"))
}

// DueTraceImports are the import states due at now, across organizations,
// with their next poll moved one interval on so that no other scheduler
// takes them meanwhile.
func (s *Store) DueTraceImports(ctx context.Context, now time.Time, limit int) ([]TraceImport, error) {
	var due []TraceImport
	err := s.db.NewSelect().Model(&due).Where("ti.next_poll_at <= ?", now).OrderExpr("ti.next_poll_at").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, wrap("list due trace imports", err)
	}
	var taken []TraceImport
	for _, ti := range due {
		next := now.Add(time.Duration(max(ti.PollIntervalSeconds, 60)) * time.Second)
		res, err := s.db.NewUpdate().Model((*TraceImport)(nil)).Set("next_poll_at = ?", next).
			Where("id = ? AND next_poll_at <= ?", ti.ID, now).Exec(ctx)
		if err != nil {
			return taken, wrap("take trace import", err)
		}
		if n, _ := res.RowsAffected(); n == 1 {
			taken = append(taken, ti)
		}
	}
	return taken, nil
}

// EnsureTraceImports gives every integration with slug that has no import
// state one, due after interval and pulled every interval (across organizations; the
// scheduler calls it).
func (s *Store) EnsureTraceImports(ctx context.Context, slug string, interval time.Duration) error {
	var missing []Integration
	err := s.db.NewSelect().Model(&missing).Column("i.id", "i.organization_id").Where("i.slug = ?", slug).
		Where("NOT EXISTS (SELECT 1 FROM agent_trace_imports ti WHERE ti.integration_id = i.id)").Limit(1000).Scan(ctx)
	if err != nil {
		return wrap("list integrations to import from", err)
	}
	now := s.now()
	for _, in := range missing {
		ti := &TraceImport{OrganizationID: in.OrganizationID, IntegrationID: in.ID, PollIntervalSeconds: int(interval / time.Second),
			NextPollAt: now.Add(interval), CreatedAt: now, UpdatedAt: now}
		if _, err := s.db.NewInsert().Model(ti).Exec(ctx); err != nil && !isUniqueViolation(err) {
			return wrap("add trace import", err)
		}
	}
	return nil
}
