package models

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// APICall records one execution through the JSON API.
type APICall struct {
	bun.BaseModel `bun:"table:api_calls,alias:ac"`

	ID             int64  `bun:"id,pk,autoincrement"`
	OrganizationID int64  `bun:"organization_id,notnull"`
	IntegrationID  *int64 `bun:"integration_id"`
	Provider       string `bun:"provider,notnull"`
	Function       string `bun:"function,notnull"`
	Environment    string `bun:"environment,notnull"`
	OK             bool   `bun:"ok,notnull"`
	ErrorCode      string `bun:"error_code,notnull"`
	UpstreamStatus int    `bun:"upstream_status,notnull"`
	Attempts       int    `bun:"attempts,notnull"`
	DurationMS     int64  `bun:"duration_ms,notnull"`
	Caller         string `bun:"caller,notnull"`
	RequestID      string `bun:"request_id,notnull"`
	Detail         string `bun:"detail,notnull"`
	// RequestExcerpt and ResponseExcerpt are a failed call's last
	// exchange, redacted and cut (empty for a call that succeeded).
	RequestExcerpt  string `bun:"request_excerpt,notnull"`
	ResponseExcerpt string `bun:"response_excerpt,notnull"`
	// TraceID is the agent's trace the call was made under (X-Trace-Id or
	// W3C traceparent), or "".
	TraceID   string    `bun:"trace_id,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
	UpdatedAt time.Time `bun:"updated_at,notnull"`
}

// InsertAPICalls writes a batch of call records in one statement. Records
// carry their own organization (they come from many requests). Nobody reads
// their new ids, so none are returned (no RETURNING rows to scan back).
func (s *Store) InsertAPICalls(ctx context.Context, calls []APICall) error {
	if len(calls) == 0 {
		return nil
	}
	_, err := s.db.NewInsert().Model(&calls).Returning("NULL").Exec(ctx)
	return wrap("record api calls", err)
}

// PurgeAPICalls deletes records older than before.
func (s *Store) PurgeAPICalls(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.db.NewDelete().Model((*APICall)(nil)).Where("created_at < ?", before).Exec(ctx)
	if err != nil {
		return 0, wrap("purge api calls", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

// CallStats are the counts of an integration's calls in a period.
type CallStats struct {
	Calls  int        `json:"calls"`
	Errors int        `json:"errors"`
	Last   *time.Time `json:"last_call_at"`
}

// CallStatsSince counts an integration's calls since a time.
func (t *Tenant) CallStatsSince(ctx context.Context, provider string, since time.Time) (CallStats, error) {
	var row struct {
		Calls  int       `bun:"calls"`
		Errors int       `bun:"errors"`
		Last   time.Time `bun:"last"`
	}
	err := t.selectQ((*APICall)(nil)).
		ColumnExpr("COUNT(*) AS calls").
		ColumnExpr("COALESCE(SUM(CASE WHEN ac.ok THEN 0 ELSE 1 END), 0) AS errors").
		ColumnExpr("MAX(ac.created_at) AS last").
		Where("ac.provider = ?", provider).Where("ac.created_at >= ?", since).Scan(ctx, &row)
	if err != nil {
		return CallStats{}, wrap("count api calls", err)
	}
	st := CallStats{Calls: row.Calls, Errors: row.Errors}
	if !row.Last.IsZero() {
		l := row.Last.UTC()
		st.Last = &l
	}
	return st, nil
}

// CallHour counts one provider's calls in one hour of a period.
type CallHour struct {
	Provider string `bun:"provider"`
	// Hour is the hour's index from the period's start (0 is the first);
	// it equals the period's length in hours for calls stamped after its
	// end.
	Hour   int       `bun:"hour"`
	Calls  int       `bun:"calls"`
	Errors int       `bun:"errors"`
	Last   time.Time `bun:"last"`
}

// CallsPerHour counts the organization's calls since a time per provider
// and per hour, in one grouped query. The hour index is computed from
// boundaries given here rather than from date functions, so SQLite and
// PostgreSQL bucket a call alike.
func (t *Tenant) CallsPerHour(ctx context.Context, since time.Time, hours int) ([]CallHour, error) {
	var bucket strings.Builder
	args := make([]any, 0, 2*hours)
	bucket.WriteString("CASE")
	for i := hours; i > 0; i-- {
		bucket.WriteString(" WHEN ac.created_at >= ? THEN ?")
		args = append(args, since.Add(time.Duration(i)*time.Hour), i)
	}
	bucket.WriteString(" ELSE 0 END AS hour")
	var out []CallHour
	err := t.selectQ((*APICall)(nil)).
		ColumnExpr("ac.provider AS provider").
		ColumnExpr(bucket.String(), args...).
		ColumnExpr("COUNT(*) AS calls").
		ColumnExpr("COALESCE(SUM(CASE WHEN ac.ok THEN 0 ELSE 1 END), 0) AS errors").
		ColumnExpr("MAX(ac.created_at) AS last").
		Where("ac.created_at >= ?", since).
		GroupExpr("1, 2").OrderExpr("1, 2").Scan(ctx, &out)
	for i := range out {
		out[i].Last = out[i].Last.UTC()
	}
	return out, wrap("count api calls per hour", err)
}
