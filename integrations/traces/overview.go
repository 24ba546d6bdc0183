package traces

import (
	"context"
	"strconv"
	"strings"
	"time"

	"switchboard/apperr"
	"switchboard/models"
)

// ChartDays is how many practice days the cost and latency chart covers.
const ChartDays = 14

// listLimit bounds the traces and sessions one answer lists.
const listLimit = 200

// Filter is what the page and the API filter traces by, as typed: a
// practice day (YYYY-MM-DD), a session, a user, a tag and a least cost in
// US dollars.
type Filter struct {
	Day, Session, User, Tag, MinCost string
}

// Day is one practice day's figures.
type Day struct {
	Date         string  `json:"date" doc:"The practice day (YYYY-MM-DD)."`
	Traces       int     `json:"traces"`
	CostUSD      float64 `json:"cost_usd" doc:"Total cost of the day's traces in US dollars."`
	AvgLatencyMS int64   `json:"avg_latency_ms" doc:"Mean latency of the day's traces."`
}

// Overview is what /agent-traces shows.
type Overview struct {
	Traces   []models.AgentTrace   `json:"traces"`
	Sessions []models.AgentSession `json:"sessions"`
	Days     []Day                 `json:"days" doc:"Cost and latency per practice day, oldest first."`
	// LastRun is the latest import of any integration (nil: none yet).
	LastRun   *time.Time `json:"last_import_at,omitempty"`
	LastError string     `json:"last_import_error,omitempty"`
}

// modelFilter turns the typed filter into the store's, the day read in
// zone; a bad day or cost names its field.
func modelFilter(f Filter, zone *time.Location) (models.TraceFilter, error) {
	mf := models.TraceFilter{SessionID: strings.TrimSpace(f.Session), UserID: strings.TrimSpace(f.User), Tag: strings.TrimSpace(f.Tag)}
	if d := strings.TrimSpace(f.Day); d != "" {
		day, err := time.ParseInLocation(time.DateOnly, d, zone)
		if err != nil {
			return mf, apperr.Validation(apperr.FieldError{Field: "day", Message: "must be a date (YYYY-MM-DD)"})
		}
		mf.From, mf.To = day.UTC(), day.AddDate(0, 0, 1).UTC()
	}
	if c := strings.TrimSpace(f.MinCost); c != "" {
		v, err := strconv.ParseFloat(strings.TrimPrefix(c, "$"), 64)
		if err != nil || v < 0 {
			return mf, apperr.Validation(apperr.FieldError{Field: "min_cost", Message: "must be an amount in US dollars, e.g. 0.01"})
		}
		mf.MinCost = v
	}
	return mf, nil
}

// Overview lists the organization's traces and sessions the filter keeps
// and their cost and latency per day over the ChartDays practice days
// ending on the filtered day (or today).
func (s *Service) Overview(ctx context.Context, orgID int64, f Filter, zone *time.Location) (*Overview, error) {
	if zone == nil {
		zone = time.UTC
	}
	mf, err := modelFilter(f, zone)
	if err != nil {
		return nil, err
	}
	t := s.store.Tenant(orgID)
	out := &Overview{}
	mf.Limit = listLimit
	if out.Traces, err = t.AgentTraces(ctx, mf); err != nil {
		return nil, err
	}
	if out.Sessions, err = t.AgentSessions(ctx, mf); err != nil {
		return nil, err
	}
	end := t.Now().In(zone)
	if !mf.To.IsZero() {
		end = mf.To.Add(-time.Second).In(zone)
	}
	last := time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, zone)
	first := last.AddDate(0, 0, -(ChartDays - 1))
	cf := mf
	cf.From, cf.To, cf.Limit = first.UTC(), last.AddDate(0, 0, 1).UTC(), 0
	points, err := t.AgentTracePoints(ctx, cf)
	if err != nil {
		return nil, err
	}
	out.Days = perDay(points, first, zone)
	out.LastRun, out.LastError, err = lastRun(ctx, t)
	return out, err
}

// perDay sums points into ChartDays days from first, in zone.
func perDay(points []models.TracePoint, first time.Time, zone *time.Location) []Day {
	days := make([]Day, ChartDays)
	latency := make([]int64, ChartDays)
	for i := range days {
		days[i].Date = first.AddDate(0, 0, i).Format(time.DateOnly)
	}
	for _, p := range points {
		at := p.StartedAt.In(zone)
		i := int(time.Date(at.Year(), at.Month(), at.Day(), 12, 0, 0, 0, zone).Sub(first).Hours() / 24)
		if i < 0 || i >= ChartDays {
			continue
		}
		days[i].Traces++
		days[i].CostUSD += p.CostUSD
		latency[i] += p.LatencyMS
	}
	for i := range days {
		if days[i].Traces > 0 {
			days[i].AvgLatencyMS = latency[i] / int64(days[i].Traces)
		}
	}
	return days
}

// lastRun is the latest import of the organization's integrations.
func lastRun(ctx context.Context, t *models.Tenant) (*time.Time, string, error) {
	in, err := t.IntegrationBySlug(ctx, Slug)
	if apperr.IsNotFound(err) {
		return nil, "", nil
	}
	if err != nil {
		return nil, "", err
	}
	st, err := t.TraceImportOf(ctx, in.ID)
	if err != nil {
		return nil, "", err
	}
	return st.LastRunAt, st.LastError, nil
}

// Detail is one trace with the Switchboard calls made under it.
type Detail struct {
	Trace models.AgentTrace `json:"trace"`
	Tags  []string          `json:"tags"`
	Calls []models.APICall  `json:"-"`
}

// Trace is one trace of the organization and the calls made under it.
func (s *Service) Trace(ctx context.Context, orgID int64, traceID string) (*Detail, error) {
	t := s.store.Tenant(orgID)
	tr, err := t.AgentTrace(ctx, traceID)
	if err != nil {
		return nil, err
	}
	calls, err := t.CallsOfTrace(ctx, tr.TraceID, 200)
	if err != nil {
		return nil, err
	}
	return &Detail{Trace: *tr, Tags: Tags(*tr), Calls: calls}, nil
}
