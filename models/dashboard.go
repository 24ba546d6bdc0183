package models

import (
	"context"
	"strings"
	"time"
)

// hourBucket is the SQL expression of the hour index of col from since
// (0 is the first hour; hours for stamps after the period), computed from
// boundaries given here so SQLite and PostgreSQL bucket alike.
func hourBucket(col string, since time.Time, hours int) (string, []any) {
	var b strings.Builder
	args := make([]any, 0, 2*hours)
	b.WriteString("CASE")
	for i := hours; i > 0; i-- {
		b.WriteString(" WHEN " + col + " >= ? THEN ?")
		args = append(args, since.Add(time.Duration(i)*time.Hour).UTC(), i)
	}
	b.WriteString(" ELSE 0 END AS hour")
	return b.String(), args
}

// AttemptHour counts the sync delivery attempts of one hour.
type AttemptHour struct {
	Hour     int `bun:"hour"`
	Attempts int `bun:"attempts"`
	Failed   int `bun:"failed"`
}

// SyncAttemptsPerHour counts the organization's sync delivery attempts
// since a time, per hour, and how many failed.
func (t *Tenant) SyncAttemptsPerHour(ctx context.Context, since time.Time, hours int) ([]AttemptHour, error) {
	expr, args := hourBucket("sa.created_at", since, hours)
	var out []AttemptHour
	err := t.selectQ((*SyncAttempt)(nil)).
		ColumnExpr(expr, args...).
		ColumnExpr("COUNT(*) AS attempts").
		ColumnExpr("COALESCE(SUM(CASE WHEN sa.ok THEN 0 ELSE 1 END), 0) AS failed").
		Where("sa.created_at >= ?", since.UTC()).
		GroupExpr("1").OrderExpr("1").Scan(ctx, &out)
	return out, wrap("count sync attempts per hour", err)
}

// SyncQueue is the organization's waiting sync deliveries: how many and
// since when the oldest has waited.
type SyncQueue struct {
	Depth  int
	Oldest *time.Time
}

// WaitingSyncJobs counts the jobs waiting for delivery (pending or
// retrying) and the creation time of the oldest.
func (t *Tenant) WaitingSyncJobs(ctx context.Context) (SyncQueue, error) {
	var row struct {
		N      int        `bun:"n"`
		Oldest *time.Time `bun:"oldest"`
	}
	err := t.selectQ((*SyncJob)(nil)).ColumnExpr("COUNT(*) AS n").ColumnExpr("MIN(sj.created_at) AS oldest").
		Where("sj.status IN (?, ?)", JobPending, JobRetrying).Scan(ctx, &row)
	q := SyncQueue{Depth: row.N}
	if row.Oldest != nil {
		o := row.Oldest.UTC()
		q.Oldest = &o
	}
	return q, wrap("count waiting sync jobs", err)
}

// SyncLags returns how long each job synced since a time took from its
// creation to its delivery (the latest 5000 at most).
func (t *Tenant) SyncLags(ctx context.Context, since time.Time) ([]time.Duration, error) {
	var rows []struct {
		Created  time.Time `bun:"created_at"`
		Finished time.Time `bun:"finished_at"`
	}
	err := t.selectQ((*SyncJob)(nil)).Column("sj.created_at", "sj.finished_at").
		Where("sj.status = ?", JobSynced).Where("sj.finished_at >= ?", since.UTC()).
		OrderExpr("sj.finished_at DESC").Limit(5000).Scan(ctx, &rows)
	out := make([]time.Duration, 0, len(rows))
	for _, r := range rows {
		out = append(out, max(0, r.Finished.Sub(r.Created)))
	}
	return out, wrap("read sync lags", err)
}

// OpenSyncJobsByIntegration counts the open sync errors (see whereOpen)
// per integration.
func (t *Tenant) OpenSyncJobsByIntegration(ctx context.Context) (map[int64]int, error) {
	var rows []struct {
		ID int64 `bun:"integration_id"`
		N  int   `bun:"n"`
	}
	err := t.selectQ((*SyncJob)(nil)).Column("sj.integration_id").ColumnExpr("COUNT(*) AS n").
		ApplyQueryBuilder(whereOpen).GroupExpr("sj.integration_id").Scan(ctx, &rows)
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.ID] = r.N
	}
	return out, wrap("count open sync jobs", err)
}

// CallCodesSince counts the organization's failed calls since a time per
// error code.
func (t *Tenant) CallCodesSince(ctx context.Context, since time.Time) (map[string]int, error) {
	var rows []struct {
		Code string `bun:"error_code"`
		N    int    `bun:"n"`
	}
	err := t.selectQ((*APICall)(nil)).Column("ac.error_code").ColumnExpr("COUNT(*) AS n").
		Where("NOT ac.ok").Where("ac.created_at >= ?", since.UTC()).GroupExpr("ac.error_code").Scan(ctx, &rows)
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.Code] = r.N
	}
	return out, wrap("count failed calls per code", err)
}

// SyncJobsByStatus counts every organization's sync jobs per status, for
// the metrics (no organization is named).
func (s *Store) SyncJobsByStatus(ctx context.Context) (map[string]int, error) {
	var rows []struct {
		Status string `bun:"status"`
		N      int    `bun:"n"`
	}
	err := s.db.NewSelect().Model((*SyncJob)(nil)).Column("sj.status").ColumnExpr("COUNT(*) AS n").
		GroupExpr("sj.status").Scan(ctx, &rows)
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, wrap("count sync jobs per status", err)
}
