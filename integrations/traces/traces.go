// Package traces imports an organization's agent traces from Langfuse (its
// langfuse integration's public API, through the executor) into local
// sessions and traces, incrementally by trace timestamp, on demand and on
// a schedule; and answers what the agent-traces page and API show: traces,
// sessions, cost and latency per practice day, and the Switchboard calls
// made under a trace.
package traces

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"switchboard/apperr"
	"switchboard/integrations/executor"
	"switchboard/models"
)

// Slug is the catalog slug imports read from by default.
const Slug = "langfuse"

// Import limits.
const (
	// DefaultInterval is how often an integration is pulled until someone
	// says otherwise; MinInterval the shortest allowed.
	DefaultInterval = 15 * time.Minute
	MinInterval     = time.Minute
	// pageSize traces are asked per page, at most maxPages pages per run
	// (the cursor carries the next run on from there).
	pageSize = 100
	maxPages = 100
)

// Service imports and lists agent traces.
type Service struct {
	store *models.Store
	exec  *executor.Executor
	// locks serialises the imports of one integration in this process.
	locks sync.Map
}

// New returns the service.
func New(store *models.Store, exec *executor.Executor) *Service {
	return &Service{store: store, exec: exec}
}

// ImportRequest is what an import is asked for.
type ImportRequest struct {
	// Integration is the slug of the Langfuse integration (default
	// "langfuse").
	Integration string
	// Environment is production or sandbox; empty keeps the one saved (at
	// first the integration's default).
	Environment string
	// PollInterval, when set, becomes the scheduled pull's interval.
	PollInterval time.Duration
}

// ImportResult is what an import did.
type ImportResult struct {
	Integration  string     `json:"integration" doc:"The Langfuse integration's slug."`
	Environment  string     `json:"environment" doc:"The environment read (empty: the integration's default)."`
	Fetched      int        `json:"fetched" doc:"Traces read from Langfuse in this run."`
	Created      int        `json:"created" doc:"Traces new to Switchboard."`
	Updated      int        `json:"updated" doc:"Traces already imported, brought up to date."`
	Cursor       *time.Time `json:"cursor,omitempty" doc:"The newest trace timestamp read: the next pull asks from here."`
	PollInterval string     `json:"poll_interval" doc:"How often the scheduled pull runs (Go duration)."`
	NextPollAt   time.Time  `json:"next_poll_at" doc:"When the scheduled pull runs next."`
}

// Import pulls the traces of the organization's Langfuse integration
// newer than its cursor and stores them; run again, it stores nothing
// twice.
func (s *Service) Import(ctx context.Context, orgID int64, req ImportRequest) (ImportResult, error) {
	slug := req.Integration
	if slug == "" {
		slug = Slug
	}
	t := s.store.Tenant(orgID)
	in, err := t.IntegrationBySlug(ctx, slug)
	if apperr.IsNotFound(err) {
		return ImportResult{}, apperr.Validation(apperr.FieldError{Field: "integration",
			Message: fmt.Sprintf("the organization has no integration %q: add Langfuse from the catalog first", slug)})
	}
	if err != nil {
		return ImportResult{}, err
	}
	if req.PollInterval != 0 && req.PollInterval < MinInterval {
		return ImportResult{}, apperr.Validation(apperr.FieldError{Field: "poll_interval", Message: "must be at least 1m"})
	}
	unlock, ok := s.tryLock(in.ID)
	if !ok {
		return ImportResult{}, apperr.New(apperr.CodeRateLimited, "an import of %s is running: try again in a moment", in.Slug).WithRetryAfter(5)
	}
	defer unlock()
	return s.run(ctx, t, in, req)
}

// ImportScheduled runs the scheduled pull of one integration.
func (s *Service) ImportScheduled(ctx context.Context, orgID, integrationID int64) error {
	t := s.store.Tenant(orgID)
	in, err := t.Integration(ctx, integrationID)
	if apperr.IsNotFound(err) {
		return nil // deleted meanwhile
	}
	if err != nil {
		return err
	}
	defer s.lock(in.ID)()
	_, err = s.run(ctx, t, in, ImportRequest{})
	return err
}

// lock waits for the integration's imports in this process to finish.
func (s *Service) lock(integrationID int64) func() {
	mu, _ := s.locks.LoadOrStore(integrationID, new(sync.Mutex))
	mu.(*sync.Mutex).Lock()
	return mu.(*sync.Mutex).Unlock
}

// tryLock takes the integration's import lock unless an import holds it.
func (s *Service) tryLock(integrationID int64) (func(), bool) {
	mu, _ := s.locks.LoadOrStore(integrationID, new(sync.Mutex))
	if !mu.(*sync.Mutex).TryLock() {
		return nil, false
	}
	return mu.(*sync.Mutex).Unlock, true
}

// run imports from one integration and saves how it went (the caller
// holds its lock).
func (s *Service) run(ctx context.Context, t *models.Tenant, in *models.Integration, req ImportRequest) (ImportResult, error) {
	st, err := t.TraceImportOf(ctx, in.ID)
	if err != nil {
		return ImportResult{}, err
	}
	if req.Environment != "" {
		st.Environment = req.Environment
	}
	if req.PollInterval != 0 {
		st.PollIntervalSeconds = int(req.PollInterval / time.Second)
	}
	fetched, created, runErr := s.pull(ctx, t, in, st)
	now := t.Now()
	st.LastRunAt, st.LastImported, st.LastError = &now, created, ""
	if runErr != nil {
		st.LastError = "the import failed"
		if e, ok := apperr.As(runErr); ok {
			st.LastError = cut(e.Message, 500)
		}
	}
	st.NextPollAt = now.Add(time.Duration(max(st.PollIntervalSeconds, int(MinInterval/time.Second))) * time.Second)
	if err := t.SaveTraceImport(ctx, st); err != nil {
		return ImportResult{}, err
	}
	if runErr != nil {
		return ImportResult{}, runErr
	}
	return ImportResult{Integration: in.Slug, Environment: st.Environment, Fetched: fetched, Created: created,
		Updated: fetched - created, Cursor: st.CursorAt, PollInterval: (time.Duration(st.PollIntervalSeconds) * time.Second).String(),
		NextPollAt: st.NextPollAt}, nil
}

// pull reads the pages of traces from the cursor on, oldest first, stores
// each page and moves the cursor to the newest trace read.
func (s *Service) pull(ctx context.Context, t *models.Tenant, in *models.Integration, st *models.TraceImport) (fetched, created int, err error) {
	for page := 1; page <= maxPages; page++ {
		params := map[string]any{"page": page, "limit": pageSize, "orderBy": "timestamp.asc"}
		if st.CursorAt != nil {
			params["fromTimestamp"] = st.CursorAt.UTC().Format(time.RFC3339Nano)
		}
		res, err := s.exec.Execute(ctx, executor.Request{OrgID: t.OrgID(), Provider: in.Slug, Function: "ListTraces",
			Params: params, Environment: st.Environment, Caller: "Agent traces import", IDsAreExternal: true})
		if err != nil {
			return fetched, created, err
		}
		lp, err := decodePage(res.Raw)
		res.Release()
		if err != nil {
			return fetched, created, err
		}
		id := in.ID
		rows := make([]models.AgentTrace, 0, len(lp.Data))
		for _, tr := range lp.Data {
			if row, ok := tr.row(&id); ok {
				rows = append(rows, row)
			}
		}
		n, err := t.UpsertAgentTraces(ctx, rows)
		if err != nil {
			return fetched, created, err
		}
		fetched, created = fetched+len(rows), created+n
		for _, r := range rows {
			if st.CursorAt == nil || r.StartedAt.After(*st.CursorAt) {
				at := r.StartedAt
				st.CursorAt = &at
			}
		}
		if len(lp.Data) == 0 || page >= lp.Meta.TotalPages {
			break
		}
	}
	return fetched, created, nil
}

// lfPage is a page of Langfuse's trace list.
type lfPage struct {
	Data []lfTrace `json:"data"`
	Meta struct {
		TotalPages int `json:"totalPages"`
	} `json:"meta"`
}

// lfTrace is a trace as Langfuse answers it.
type lfTrace struct {
	ID        string   `json:"id"`
	Timestamp string   `json:"timestamp"`
	Name      string   `json:"name"`
	SessionID string   `json:"sessionId"`
	UserID    string   `json:"userId"`
	Tags      []string `json:"tags"`
	Input     any      `json:"input"`
	Output    any      `json:"output"`
	Latency   float64  `json:"latency"`
	TotalCost float64  `json:"totalCost"`
}

func decodePage(raw any) (lfPage, error) {
	var p lfPage
	b, err := json.Marshal(raw)
	if err == nil {
		err = json.Unmarshal(b, &p)
	}
	if err != nil {
		return p, apperr.New(apperr.CodeUpstreamError, "Langfuse answered a trace list Switchboard cannot read: %v", err)
	}
	return p, nil
}

// row is the trace as stored; a trace without an id or a readable
// timestamp is skipped.
func (tr lfTrace) row(integrationID *int64) (models.AgentTrace, bool) {
	at, err := time.Parse(time.RFC3339Nano, tr.Timestamp)
	if tr.ID == "" || err != nil {
		return models.AgentTrace{}, false
	}
	tags := tr.Tags
	if tags == nil {
		tags = []string{}
	}
	tb, _ := json.Marshal(tags)
	return models.AgentTrace{IntegrationID: integrationID, TraceID: cut(tr.ID, 200), Name: cut(tr.Name, 200),
		SessionID: cut(tr.SessionID, 200), UserID: cut(RedactText(tr.UserID), 200), StartedAt: at.UTC(),
		LatencyMS: int64(tr.Latency * 1000), CostUSD: max(tr.TotalCost, 0), Tags: cut(string(tb), 2000),
		InputExcerpt: Excerpt(tr.Input), OutputExcerpt: Excerpt(tr.Output)}, true
}

func cut(s string, n int) string {
	s = strings.ToValidUTF8(s, "")
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

// Schedule gives every Langfuse integration an import state (due one
// interval after it is first seen) and takes the imports due, for the caller to queue one job each.
func (s *Service) Schedule(ctx context.Context) ([]models.TraceImport, error) {
	if err := s.store.EnsureTraceImports(ctx, Slug, DefaultInterval); err != nil {
		return nil, err
	}
	return s.store.DueTraceImports(ctx, s.store.Now(), 100)
}

// Tags is a stored trace's tags.
func Tags(tr models.AgentTrace) []string {
	var out []string
	_ = json.Unmarshal([]byte(tr.Tags), &out)
	return out
}
