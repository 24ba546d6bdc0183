package main

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"switchboard/integrations/definition"
	"switchboard/models"
)

// The same create with statements prepared once and reused (database/sql
// keeps a prepared statement per connection; tx.StmtContext reuses it),
// instead of bun's statements with their values inlined, which SQLite
// parses and plans afresh every time. Same rows, same order, same reads.
var preparedSQL = map[string]string{
	"org": `SELECT allow_overlaps FROM organizations WHERE id = ?`,
	"overlap": `SELECT id FROM appointments WHERE organization_id = ? AND status <> 'cancelled'
 AND start_at < ? AND start_at > ? AND end_at > ? AND (provider_ref = ? OR operatory_ref = ?) ORDER BY start_at, id LIMIT 1`,
	"appointment": `INSERT INTO appointments (organization_id, patient_id, start_at, end_at, duration_minutes, provider_ref,
 operatory_ref, location_ref, appointment_type, status, notes, version, created_at, updated_at)
 VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?, '', 1, ?, ?) RETURNING id`,
	"job": `INSERT INTO sync_jobs (organization_id, integration_id, entity, local_id, operation, status, attempts, max_attempts,
 next_attempt_at, lease_owner, record_version, external_id, last_error, last_http_status, conflict_detail, created_at, updated_at)
 VALUES (?, ?, ?, ?, 'create', 'pending', 0, 6, ?, '', 1, '', '', 0, '', ?, ?) RETURNING id`,
	"idem": `INSERT INTO idempotency_keys (organization_id, key, request_hash, state, response_status, response_body,
 expires_at, created_at, updated_at) VALUES (?, ?, ?, 'done', ?, ?, ?, ?, ?)`,
}

// preparedSet is one database's prepared statements.
type preparedSet struct {
	once  sync.Once
	err   error
	stmts map[string]*sql.Stmt
}

var (
	preparedMu sync.Mutex
	preparedBy = map[*sql.DB]*preparedSet{}
)

// preparedFor returns db's statements, preparing them on first use.
func preparedFor(ctx context.Context, db *sql.DB) (map[string]*sql.Stmt, error) {
	preparedMu.Lock()
	p := preparedBy[db]
	if p == nil {
		p = &preparedSet{}
		preparedBy[db] = p
	}
	preparedMu.Unlock()
	return p.get(ctx, db)
}

func (p *preparedSet) get(ctx context.Context, db *sql.DB) (map[string]*sql.Stmt, error) {
	p.once.Do(func() {
		p.stmts = map[string]*sql.Stmt{}
		for k, q := range preparedSQL {
			s, err := db.PrepareContext(ctx, q)
			if err != nil {
				p.err = fmt.Errorf("prepare %s: %w", k, err)
				return
			}
			p.stmts[k] = s
		}
	})
	return p.stmts, p.err
}

// createPrepared is createIn with prepared statements.
func (e *env) createPrepared(ctx context.Context, tx *models.Tenant, n int64, enq enqueue) (*models.SyncJob, error) {
	stmts, err := preparedFor(ctx, e.db.DB)
	if err != nil {
		return nil, err
	}
	btx := tx.DB().(bun.Tx)
	st := func(k string) *sql.Stmt { return btx.StmtContext(ctx, stmts[k]) }
	a := e.appointment(n)
	now := time.Now().UTC()
	var allow bool
	if err := st("org").QueryRowContext(ctx, e.orgID).Scan(&allow); err != nil {
		return nil, err
	}
	var busy int64
	err = st("overlap").QueryRowContext(ctx, e.orgID, a.End, a.Start.Add(-24*time.Hour), a.Start, a.ProviderRef, a.OperatoryRef).Scan(&busy)
	if err == nil {
		return nil, fmt.Errorf("slot taken by %d", busy)
	} else if err != sql.ErrNoRows {
		return nil, err
	}
	if err := st("appointment").QueryRowContext(ctx, e.orgID, a.PatientID, a.Start, a.End, a.DurationMinutes, a.ProviderRef,
		a.OperatoryRef, a.AppointmentType, a.Status, now, now).Scan(&a.ID); err != nil {
		return nil, err
	}
	job := &models.SyncJob{OrganizationID: e.orgID, IntegrationID: e.integID, Entity: definition.EntityAppointment, LocalID: a.ID,
		Operation: models.OpCreate, Status: models.JobPending, MaxAttempts: 6, RecordVersion: 1, CreatedAt: now}
	if err := st("job").QueryRowContext(ctx, e.orgID, e.integID, job.Entity, a.ID, now, now, now).Scan(&job.ID); err != nil {
		return nil, err
	}
	body := `{"id":` + strconv.FormatInt(a.ID, 10) + `,"sync":[{"integration":"spike","status":"pending"}]}`
	if _, err := st("idem").ExecContext(ctx, e.orgID, "spike-"+strconv.FormatInt(n, 10), fmt.Sprintf("%064d", n),
		http.StatusCreated, body, now.Add(24*time.Hour), now, now); err != nil {
		return nil, err
	}
	if enq != nil {
		return job, enq(ctx, btx, job)
	}
	return job, nil
}
