package models

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"switchboard/apperr"
)

// IdempotencyKey remembers the answer to a write sent with an
// Idempotency-Key header, for 24 hours.
type IdempotencyKey struct {
	bun.BaseModel `bun:"table:idempotency_keys,alias:ik"`

	ID             int64     `bun:"id,pk,autoincrement"`
	OrganizationID int64     `bun:"organization_id,notnull"`
	Key            string    `bun:"key,notnull"`
	RequestHash    string    `bun:"request_hash,notnull"`
	State          string    `bun:"state,notnull"`
	ResponseStatus int       `bun:"response_status,notnull"`
	ResponseBody   string    `bun:"response_body,notnull"`
	ExpiresAt      time.Time `bun:"expires_at,notnull"`
	CreatedAt      time.Time `bun:"created_at,notnull"`
	UpdatedAt      time.Time `bun:"updated_at,notnull"`
}

// BeginIdempotent claims key for a request. When the key is new it returns
// (nil, nil) and the caller runs the request; when it was used before it
// returns the stored row (done: replay it) or a conflict error (another
// request body, or still running).
func (t *Tenant) BeginIdempotent(ctx context.Context, key, hash string, ttl time.Duration) (*IdempotencyKey, error) {
	now := t.now()
	row := &IdempotencyKey{OrganizationID: t.orgID, Key: key, RequestHash: hash, State: "running",
		ExpiresAt: now.Add(ttl), CreatedAt: now, UpdatedAt: now}
	for range 2 {
		_, err := t.db.NewInsert().Model(row).Exec(ctx)
		if err == nil {
			return nil, nil
		}
		if !isUniqueViolation(err) {
			return nil, wrap("claim idempotency key", err)
		}
		cur := new(IdempotencyKey)
		if err := t.selectQ(cur).Where("ik.key = ?", key).Scan(ctx); err != nil {
			continue // deleted meanwhile: try again
		}
		if !cur.ExpiresAt.After(now) {
			if _, err := t.deleteQ((*IdempotencyKey)(nil)).Where("ik.id = ?", cur.ID).Exec(ctx); err != nil {
				return nil, wrap("expire idempotency key", err)
			}
			continue
		}
		if cur.RequestHash != hash {
			return nil, apperr.New(apperr.CodeConflict, "this Idempotency-Key was used with a different request; use a new key for a new request")
		}
		if cur.State != "done" {
			return nil, apperr.New(apperr.CodeConflict, "a request with this Idempotency-Key is still running; retry it in a moment")
		}
		return cur, nil
	}
	return nil, apperr.New(apperr.CodeConflict, "this Idempotency-Key is busy; retry in a moment")
}

// FinishIdempotent stores the answer of the request that claimed key.
func (t *Tenant) FinishIdempotent(ctx context.Context, key string, status int, body string) error {
	_, err := t.updateQ((*IdempotencyKey)(nil)).Set("state = 'done'").Set("response_status = ?", status).
		Set("response_body = ?", body).Set("updated_at = ?", t.now()).Where("ik.key = ?", key).Exec(ctx)
	return wrap("store idempotent answer", err)
}

// ReleaseIdempotent forgets key (the request failed in a way worth retrying).
func (t *Tenant) ReleaseIdempotent(ctx context.Context, key string) error {
	_, err := t.deleteQ((*IdempotencyKey)(nil)).Where("ik.key = ?", key).Exec(ctx)
	return wrap("release idempotency key", err)
}

// PurgeIdempotencyKeys deletes expired keys of every organization.
func (s *Store) PurgeIdempotencyKeys(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.db.NewDelete().Model((*IdempotencyKey)(nil)).Where("expires_at <= ?", now).Exec(ctx)
	if err != nil {
		return 0, wrap("purge idempotency keys", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
