package models

import (
	"context"
	"database/sql"

	"switchboard/apperr"
)

// recordDeliverySQL is what a delivered job leaves behind, as one
// statement on PostgreSQL (each data-modifying part of a WITH sees the
// others' RETURNING): the job synced and freed — or, when the record was
// saved while the worker held it (its row names another version), pending
// again, due now — its attempt, numbered after the last, and the record's
// reference. Nothing is written when owner no longer holds the lease (no
// row comes back). Its arguments, in the order of the ?s, are listed in
// recordDeliveryStatement.
const recordDeliverySQL = `WITH f AS (
  UPDATE sync_jobs AS sj SET
    status = CASE WHEN sj.record_version = ? THEN 'synced' ELSE 'pending' END,
    attempts = ?, last_error = '', external_id = COALESCE(NULLIF(?, ''), sj.external_id), last_http_status = ?, lease_owner = '', lease_until = NULL,
    updated_at = ?,
    next_attempt_at = CASE WHEN sj.record_version = ? THEN sj.next_attempt_at ELSE ? END,
    finished_at = CASE WHEN sj.record_version = ? THEN ? ELSE sj.finished_at END
  WHERE sj.organization_id = ? AND sj.id = ? AND sj.lease_owner = ?
  RETURNING sj.id, sj.organization_id, sj.status = 'synced' AS synced
), a AS (
  INSERT INTO sync_attempts (organization_id, job_id, attempt, ok, sent, http_status, duration_ms,
    error, request_excerpt, response_excerpt, created_at, updated_at)
  SELECT f.organization_id, f.id, (SELECT COALESCE(MAX(prev.attempt), 0) + 1 FROM sync_attempts AS prev WHERE prev.job_id = f.id),
    ?::boolean, ?::boolean, ?::integer, ?::bigint, ?::text, ?::text, ?::text, ?::timestamptz, ?::timestamptz FROM f
  RETURNING id, attempt
), r AS (
  INSERT INTO external_refs AS er (organization_id, integration_id, entity, local_id, external_id,
    external_version, external_updated_at, synced_version, created_at, updated_at)
  SELECT f.organization_id, ?::bigint, ?::text, ?::bigint, ?::text, ?::text, ?::timestamptz, ?::bigint, ?::timestamptz,
    ?::timestamptz FROM f
  ON CONFLICT (integration_id, entity, local_id) DO UPDATE SET external_id = EXCLUDED.external_id,
    external_version = EXCLUDED.external_version,
    external_updated_at = COALESCE(EXCLUDED.external_updated_at, er.external_updated_at),
    synced_version = EXCLUDED.synced_version, updated_at = EXCLUDED.updated_at
  RETURNING id
)
SELECT f.synced, a.id, a.attempt, r.id FROM f, a, r`

// Delivery is what a delivered job leaves behind: its attempt, the
// record's external reference, and the outcome (synced, with the version
// delivered in RecordVersion).
type Delivery struct {
	Owner   string
	Attempt *SyncAttempt
	Ref     *ExternalRef
	Outcome SyncJobOutcome
}

// RecordDelivery stores d as one write, as long as d.Owner still holds
// the job's lease (not found otherwise, and nothing is written), then runs
// then (the rest of the caller's write) — on SQLite in the same
// transaction; on PostgreSQL the record is one statement of its own (five
// round trips less per delivery) and then runs after it (a job without a
// record version takes the transaction). requeued says the
// job went back to pending for a newer version of its record (see
// FinishSyncJobRequeued).
func (t *Tenant) RecordDelivery(ctx context.Context, d Delivery, then func(*Tenant) error) (requeued bool, err error) {
	if p := t.prep; p != nil && p.pg && d.Outcome.RecordVersion != 0 {
		if requeued, err = t.recordDeliveryStatement(ctx, d); err != nil {
			return false, err
		}
		return requeued, then(t)
	}
	err = t.InTx(ctx, func(tx *Tenant) error {
		if err := tx.InsertSyncAttempt(ctx, d.Attempt); err != nil {
			return err
		}
		if err := tx.SaveExternalRef(ctx, d.Ref); err != nil {
			return err
		}
		if requeued, err = tx.FinishSyncJobRequeued(ctx, d.Attempt.JobID, d.Owner, d.Outcome); err != nil {
			return err
		}
		return then(tx)
	})
	return requeued, err
}

// recordDeliveryStatement runs recordDeliverySQL for d.
func (t *Tenant) recordDeliveryStatement(ctx context.Context, d Delivery) (bool, error) {
	p, now, a, r, o := t.prep, t.now(), d.Attempt, d.Ref, d.Outcome
	a.OrganizationID, a.CreatedAt, a.UpdatedAt = t.orgID, now, now
	r.OrganizationID, r.CreatedAt, r.UpdatedAt = t.orgID, now, now
	var extAt any
	if r.ExternalUpdatedAt != nil {
		extAt = p.ts(*r.ExternalUpdatedAt)
	}
	ts := p.ts(now)
	// The job (version, attempts, external id, HTTP status, updated, due
	// again, finished, then whose and which), the attempt, the reference.
	args := []any{o.RecordVersion, o.Attempts, o.ExternalID, o.LastHTTPStatus, ts, o.RecordVersion, ts, o.RecordVersion, ts,
		t.orgID, a.JobID, d.Owner,
		a.OK, a.Sent, a.HTTPStatus, a.DurationMS, a.Error, a.RequestExcerpt, a.ResponseExcerpt, ts, ts,
		r.IntegrationID, r.Entity, r.LocalID, r.ExternalID, r.ExternalVersion, extAt, r.SyncedVersion, ts, ts}
	var synced bool
	err := p.scanRow(ctx, t.db, recordDeliverySQL, args, &synced, &a.ID, &a.Attempt, &r.ID)
	if err == sql.ErrNoRows {
		return false, wrap("finish sync job", apperr.NotFound("sync job lease"))
	}
	return !synced, wrap("finish sync job", err)
}
