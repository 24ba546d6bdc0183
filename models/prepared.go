package models

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
)

// On SQLite the statements of a booking's write transaction are prepared
// once and reused: bun sends every statement with its values inlined, so
// SQLite parsed and planned each one afresh, about a fifth of a booking's
// CPU. The values go as arguments in the text form bun stores (times as
// "2006-01-02 15:04:05.999999+00:00", UTC), so that rows written either way
// compare alike.
const (
	overlapSQL = `SELECT id, provider_ref, start_at, end_at FROM appointments
WHERE organization_id = ? AND status <> 'cancelled' AND start_at < ? AND start_at > ? AND end_at > ?
  AND (provider_ref = ? OR operatory_ref = ?) AND id <> ?
ORDER BY start_at ASC, id ASC LIMIT 1`
	insertAppointmentSQL = `INSERT INTO appointments (organization_id, patient_id, start_at, end_at, duration_minutes,
  provider_ref, operatory_ref, location_ref, appointment_type, status, notes, version, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	externalRefSQL = `SELECT id, external_id, external_version, external_updated_at, synced_version, created_at, updated_at
FROM external_refs WHERE organization_id = ? AND integration_id = ? AND entity = ? AND local_id = ?`
	insertSyncJobSQL = `INSERT INTO sync_jobs (organization_id, integration_id, entity, local_id, operation, status,
  attempts, max_attempts, next_attempt_at, lease_owner, record_version, external_id, last_error, last_http_status,
  conflict_detail, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	insertAuditSQL = `INSERT INTO audit_log (organization_id, actor_user_id, actor, action, target_type, target_id,
  details, ip, user_agent, door, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
)

// prepared holds the statements prepared on the database (database/sql
// prepares each again on a connection the first time it runs there, then
// reuses it).
type prepared struct {
	db    *sql.DB
	bun   *bun.DB
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
	// texts are the queries bun built, by key (see selectOne).
	texts map[string]string
}

// newPrepared returns the statement cache of db on SQLite, nil otherwise.
func newPrepared(db bun.IDB) *prepared {
	bdb, ok := db.(*bun.DB)
	if !ok || db.Dialect().Name() != dialect.SQLite {
		return nil
	}
	return &prepared{db: bdb.DB, bun: bdb, stmts: map[string]*sql.Stmt{}, texts: map[string]string{}}
}

// stmt returns query prepared, bound to db's transaction when db is one.
func (p *prepared) stmt(ctx context.Context, db bun.IDB, query string) (*sql.Stmt, error) {
	p.mu.Lock()
	s, ok := p.stmts[query]
	if !ok {
		var err error
		if s, err = p.db.PrepareContext(ctx, query); err != nil {
			p.mu.Unlock()
			return nil, fmt.Errorf("prepare: %w", err)
		}
		p.stmts[query] = s
	}
	p.mu.Unlock()
	if tx, ok := db.(bun.Tx); ok {
		return tx.Tx.StmtContext(ctx, s), nil
	}
	return s, nil
}

// selectOne runs a SELECT of one row prepared once under key and scans
// the row into dest as bun would (dest is a model); sql.ErrNoRows when
// there is none. build returns bun's query with bun.Safe("?") where the
// arguments go: bun writes the column list and the scan follows the model,
// so nothing is hand-mapped.
func (p *prepared) selectOne(ctx context.Context, db bun.IDB, key string, build func() *bun.SelectQuery, dest any, args ...any) error {
	p.mu.Lock()
	text, ok := p.texts[key]
	if !ok {
		text = build().String()
		p.texts[key] = text
	}
	p.mu.Unlock()
	st, err := p.stmt(ctx, db, text)
	if err != nil {
		return err
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	if err := p.bun.ScanRow(ctx, rows, dest); err != nil {
		return err
	}
	return rows.Close()
}

// sqlTime is t as bun stores it on SQLite.
func sqlTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.999999-07:00") }

// sqlTimeOf reads a time column the driver gave as a time or as text.
func sqlTimeOf(v any) (time.Time, error) {
	switch x := v.(type) {
	case time.Time:
		return x.UTC(), nil
	case string:
		for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05"} {
			if t, err := time.Parse(layout, x); err == nil {
				return t.UTC(), nil
			}
		}
	}
	return time.Time{}, fmt.Errorf("unreadable time %v", v)
}

// firstOverlapPrepared is the first appointment in a's way (the bounded
// overlap query), through the prepared statement; nil when none.
func (t *Tenant) firstOverlapPrepared(ctx context.Context, a *Appointment) (*Appointment, error) {
	st, err := t.prep.stmt(ctx, t.db, overlapSQL)
	if err != nil {
		return nil, wrap("list overlapping appointments", err)
	}
	provider, operatory := a.ProviderRef, a.OperatoryRef
	if provider == "" {
		provider = "\x00" // an empty reference matches nothing
	}
	if operatory == "" {
		operatory = "\x00"
	}
	row := st.QueryRowContext(ctx, t.orgID, sqlTime(a.End), sqlTime(a.Start.Add(-MaxAppointmentSpan)), sqlTime(a.Start),
		provider, operatory, a.ID)
	var b Appointment
	var start, end any
	switch err := row.Scan(&b.ID, &b.ProviderRef, &start, &end); {
	case err == sql.ErrNoRows:
		return nil, nil
	case err != nil:
		return nil, wrap("list overlapping appointments", err)
	}
	if b.Start, err = sqlTimeOf(start); err == nil {
		b.End, err = sqlTimeOf(end)
	}
	return &b, wrap("list overlapping appointments", err)
}

// insertAppointmentPrepared inserts a (fields already set by
// CreateAppointment) through the prepared statement.
func (t *Tenant) insertAppointmentPrepared(ctx context.Context, a *Appointment) error {
	st, err := t.prep.stmt(ctx, t.db, insertAppointmentSQL)
	if err != nil {
		return err
	}
	return st.QueryRowContext(ctx, a.OrganizationID, a.PatientID, sqlTime(a.Start), sqlTime(a.End), a.DurationMinutes,
		a.ProviderRef, a.OperatoryRef, a.LocationRef, a.AppointmentType, a.Status, a.Notes, a.Version,
		sqlTime(a.CreatedAt), sqlTime(a.UpdatedAt)).Scan(&a.ID)
}

// insertSyncJobPrepared inserts j (defaults already set by InsertSyncJob,
// no lease, not finished) through the prepared statement.
func (t *Tenant) insertSyncJobPrepared(ctx context.Context, j *SyncJob) error {
	st, err := t.prep.stmt(ctx, t.db, insertSyncJobSQL)
	if err != nil {
		return err
	}
	return st.QueryRowContext(ctx, j.OrganizationID, j.IntegrationID, j.Entity, j.LocalID, j.Operation, j.Status,
		j.Attempts, j.MaxAttempts, sqlTime(j.NextAttemptAt), j.LeaseOwner, j.RecordVersion, j.ExternalID, j.LastError,
		j.LastHTTPStatus, j.ConflictDetail, sqlTime(j.CreatedAt), sqlTime(j.UpdatedAt)).Scan(&j.ID)
}

// externalRefPrepared reads a record's reference through the prepared
// statement; sql.ErrNoRows when it has none.
func (t *Tenant) externalRefPrepared(ctx context.Context, integrationID int64, entity string, localID int64) (*ExternalRef, error) {
	st, err := t.prep.stmt(ctx, t.db, externalRefSQL)
	if err != nil {
		return nil, err
	}
	r := &ExternalRef{OrganizationID: t.orgID, IntegrationID: integrationID, Entity: entity, LocalID: localID}
	var extAt, created, updated any
	err = st.QueryRowContext(ctx, t.orgID, integrationID, entity, localID).
		Scan(&r.ID, &r.ExternalID, &r.ExternalVersion, &extAt, &r.SyncedVersion, &created, &updated)
	if err != nil {
		return r, err
	}
	if extAt != nil {
		at, err := sqlTimeOf(extAt)
		if err != nil {
			return r, err
		}
		r.ExternalUpdatedAt = &at
	}
	if r.CreatedAt, err = sqlTimeOf(created); err == nil {
		r.UpdatedAt, err = sqlTimeOf(updated)
	}
	return r, err
}
