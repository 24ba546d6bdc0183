package models

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
)

// The statements of a booking's write transaction (and the reads of its
// check) are sent with their values as arguments instead of inlined, as
// bun sends every statement: SQLite then parsed and planned each one
// afresh, about a fifth of a booking's CPU, and PostgreSQL did the same
// per statement. On SQLite they are prepared once and reused; on
// PostgreSQL the driver (pgx) keeps each connection's prepared statements
// by text. Times go to SQLite in the text form bun stores
// ("2006-01-02 15:04:05.999999+00:00", UTC), so that rows written either
// way compare alike, and to PostgreSQL as timestamps.
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
	claimSyncJobSQL = `UPDATE sync_jobs SET lease_owner = ?, lease_until = ?
WHERE id = ? AND status IN ('pending', 'retrying') AND next_attempt_at <= ?
  AND (lease_until IS NULL OR lease_until < ?)
  AND NOT EXISTS (SELECT 1 FROM sync_jobs AS o WHERE o.integration_id = sync_jobs.integration_id
    AND o.entity = sync_jobs.entity AND o.local_id = sync_jobs.local_id AND o.id < sync_jobs.id
    AND o.status NOT IN ('synced', 'dismissed'))
RETURNING *`
	// insertSyncAttemptSQL numbers the attempt after the job's last one in
	// the insert itself.
	insertSyncAttemptSQL = `INSERT INTO sync_attempts (organization_id, job_id, attempt, ok, sent, http_status, duration_ms,
  error, request_excerpt, response_excerpt, created_at, updated_at)
VALUES (?, ?, (SELECT COALESCE(MAX(prev.attempt), 0) + 1 FROM sync_attempts AS prev WHERE prev.job_id = ?),
  ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id, attempt`
	// saveExternalRefSQL inserts a record's reference or updates it in
	// place; a NULL external_updated_at keeps the stored one.
	saveExternalRefSQL = `INSERT INTO external_refs AS er (organization_id, integration_id, entity, local_id, external_id,
  external_version, external_updated_at, synced_version, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (integration_id, entity, local_id) DO UPDATE SET external_id = EXCLUDED.external_id,
  external_version = EXCLUDED.external_version,
  external_updated_at = COALESCE(EXCLUDED.external_updated_at, er.external_updated_at),
  synced_version = EXCLUDED.synced_version, updated_at = EXCLUDED.updated_at
RETURNING id, created_at`
	insertAuditSQL = `INSERT INTO audit_log (organization_id, actor_user_id, actor, action, target_type, target_id,
  details, ip, user_agent, door, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
)

// prepared holds the statements prepared on SQLite (database/sql
// prepares each again on a connection the first time it runs there, then
// reuses it) and, on PostgreSQL, the queries' texts with $n placeholders.
type prepared struct {
	db    *sql.DB
	bun   *bun.DB
	pg    bool
	mu    sync.Mutex
	stmts map[string]*sql.Stmt
	// texts are the queries bun built, by key (see selectOne), and on
	// PostgreSQL each query's text with $n for ?.
	texts map[string]string
}

// newPrepared returns the statement cache of db, nil when db is a
// transaction or neither SQLite nor PostgreSQL.
func newPrepared(db bun.IDB) *prepared {
	bdb, ok := db.(*bun.DB)
	if !ok {
		return nil
	}
	switch db.Dialect().Name() {
	case dialect.SQLite, dialect.PG:
	default:
		return nil
	}
	return &prepared{db: bdb.DB, bun: bdb, pg: db.Dialect().Name() == dialect.PG, stmts: map[string]*sql.Stmt{}, texts: map[string]string{}}
}

// stmt returns query prepared (SQLite), bound to db's transaction when db
// is one.
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

// query runs query (? for each argument) on db with args.
func (p *prepared) query(ctx context.Context, db bun.IDB, query string, args ...any) (*sql.Rows, error) {
	if p.pg {
		return sqlOf(db).QueryContext(ctx, p.dollars(query), pgArgs(args)...)
	}
	st, err := p.stmt(ctx, db, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// scanRow runs query (? for each argument) on db with args and scans its
// one row into dest; sql.ErrNoRows when there is none.
func (p *prepared) scanRow(ctx context.Context, db bun.IDB, query string, args []any, dest ...any) error {
	if p.pg {
		return sqlOf(db).QueryRowContext(ctx, p.dollars(query), pgArgs(args)...).Scan(dest...)
	}
	st, err := p.stmt(ctx, db, query)
	if err != nil {
		return err
	}
	return st.QueryRowContext(ctx, args...).Scan(dest...)
}

// exec runs query (? for each argument) on db with args.
func (p *prepared) exec(ctx context.Context, db bun.IDB, query string, args ...any) (sql.Result, error) {
	if p.pg {
		return sqlOf(db).ExecContext(ctx, p.dollars(query), pgArgs(args)...)
	}
	st, err := p.stmt(ctx, db, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// pgArgs are args led by pgx's mode that prepares the statement once per
// connection and reuses it (the pool's default is "exec", see
// database.Open).
func pgArgs(args []any) []any {
	return append([]any{pgx.QueryExecModeCacheStatement}, args...)
}

// dollars is query with $1, $2 … for its ?s (PostgreSQL), kept once.
func (p *prepared) dollars(query string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if q, ok := p.texts[query]; ok {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	p.texts[query] = b.String()
	return b.String()
}

// sqlRunner is what *sql.Tx and *sql.DB share.
type sqlRunner interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// sqlOf is db's database/sql handle: the transaction's or the pool's.
func sqlOf(db bun.IDB) sqlRunner {
	switch x := db.(type) {
	case bun.Tx:
		return x.Tx
	case *bun.DB:
		return x.DB
	}
	panic(fmt.Sprintf("models: no database/sql handle in %T", db))
}

// ts is t as an argument: bun's text on SQLite, a timestamp on PostgreSQL.
func (p *prepared) ts(t time.Time) any {
	if p.pg {
		return t.UTC()
	}
	return sqlTime(t)
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
	return p.queryOne(ctx, db, text, dest, args...)
}

// queryOne runs query (? for each argument) on db with args and scans its
// first row into dest (a model) as bun would; sql.ErrNoRows when there is
// none.
func (p *prepared) queryOne(ctx context.Context, db bun.IDB, query string, dest any, args ...any) error {
	rows, err := p.query(ctx, db, query, args...)
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

// oneByID reads into dest (a model) the organization's row with id that
// also meets the conditions given: with arguments, through selectOne, when
// the store has prepared statements, else through bun. key names the
// query (one per model and conditions).
func (t *Tenant) oneByID(ctx context.Context, key string, dest any, id int64, conditions ...string) error {
	if t.prep == nil {
		q := t.selectQ(dest).Where("?TableAlias.id = ?", id)
		for _, c := range conditions {
			q = q.Where(c)
		}
		return q.Scan(ctx)
	}
	return t.prep.selectOne(ctx, t.db, key, func() *bun.SelectQuery {
		q := t.db.NewSelect().Model(dest).Where("?TableAlias.organization_id = ?", bun.Safe("?")).Where("?TableAlias.id = ?", bun.Safe("?"))
		for _, c := range conditions {
			q = q.Where(c)
		}
		return q
	}, dest, t.orgID, id)
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
	p := t.prep
	var b Appointment
	var start, end any
	args := []any{t.orgID, p.ts(a.End), p.ts(a.Start.Add(-MaxAppointmentSpan)), p.ts(a.Start), refArg(a.ProviderRef), refArg(a.OperatoryRef), a.ID}
	switch err := p.scanRow(ctx, t.db, overlapSQL, args, &b.ID, &b.ProviderRef, &start, &end); {
	case err == sql.ErrNoRows:
		return nil, nil
	case err != nil:
		return nil, wrap("list overlapping appointments", err)
	}
	var err error
	if b.Start, err = sqlTimeOf(start); err == nil {
		b.End, err = sqlTimeOf(end)
	}
	return &b, wrap("list overlapping appointments", err)
}

// refArg is a provider or operatory reference as an argument: NULL for an
// empty one, which equals nothing.
func refArg(ref string) any {
	if ref == "" {
		return nil
	}
	return ref
}

// insertAppointmentPrepared inserts a (fields already set by
// CreateAppointment) through the prepared statement.
func (t *Tenant) insertAppointmentPrepared(ctx context.Context, a *Appointment) error {
	p := t.prep
	return p.scanRow(ctx, t.db, insertAppointmentSQL, []any{a.OrganizationID, a.PatientID, p.ts(a.Start), p.ts(a.End), a.DurationMinutes,
		a.ProviderRef, a.OperatoryRef, a.LocationRef, a.AppointmentType, a.Status, a.Notes, a.Version,
		p.ts(a.CreatedAt), p.ts(a.UpdatedAt)}, &a.ID)
}

// insertSyncJobPrepared inserts j (defaults already set by InsertSyncJob,
// no lease, not finished) through the prepared statement.
func (t *Tenant) insertSyncJobPrepared(ctx context.Context, j *SyncJob) error {
	p := t.prep
	return p.scanRow(ctx, t.db, insertSyncJobSQL, []any{j.OrganizationID, j.IntegrationID, j.Entity, j.LocalID, j.Operation, j.Status,
		j.Attempts, j.MaxAttempts, p.ts(j.NextAttemptAt), j.LeaseOwner, j.RecordVersion, j.ExternalID, j.LastError,
		j.LastHTTPStatus, j.ConflictDetail, p.ts(j.CreatedAt), p.ts(j.UpdatedAt)}, &j.ID)
}

// externalRefPrepared reads a record's reference through the prepared
// statement; sql.ErrNoRows when it has none.
func (t *Tenant) externalRefPrepared(ctx context.Context, integrationID int64, entity string, localID int64) (*ExternalRef, error) {
	r := &ExternalRef{OrganizationID: t.orgID, IntegrationID: integrationID, Entity: entity, LocalID: localID}
	var extAt, created, updated any
	err := t.prep.scanRow(ctx, t.db, externalRefSQL, []any{t.orgID, integrationID, entity, localID},
		&r.ID, &r.ExternalID, &r.ExternalVersion, &extAt, &r.SyncedVersion, &created, &updated)
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
