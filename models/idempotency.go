package models

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"switchboard/apperr"
)

// IdempotencyKey remembers the answer to a write sent with an
// Idempotency-Key header, for 24 hours. The write claims the key's row as
// the first statement of its transaction (ClaimIdempotencyKey, state
// "running") and fills in the answer as its last (InsertIdempotentAnswer),
// so a committed row always holds an answer: a request that dies before
// its commit leaves no row and its key free, and a concurrent request
// under the same key, in any process sharing the database, waits on the
// claimed row until the first commits, then replays its answer.
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

// idempotencyDone is the state of a row that holds an answer;
// idempotencyRunning that of a row claimed by a write still in its
// transaction (never seen committed, except one left by an earlier
// version, which holds no answer and is taken over).
const (
	idempotencyDone    = "done"
	idempotencyRunning = "running"
)

// idempotencyClaim is the Idempotency-Key a request's writes claim.
type idempotencyClaim struct {
	key, hash string
	ttl       time.Duration
}

type idempotencyClaimKey struct{}

// WithIdempotencyClaim marks ctx as serving a request sent with key (its
// request hash hash): the write path claims the key first in its
// transaction (ClaimIdempotencyKey).
func WithIdempotencyClaim(ctx context.Context, key, hash string, ttl time.Duration) context.Context {
	return context.WithValue(ctx, idempotencyClaimKey{}, idempotencyClaim{key: key, hash: hash, ttl: ttl})
}

// ClaimIdempotencyKey is the first statement of a write's transaction t
// when ctx serves a request with an Idempotency-Key: it inserts the key's
// row as running. A concurrent request under the key blocks on that row
// (PostgreSQL's unique index; SQLite runs one write at a time) until the
// first commits, then gets ErrIdempotencyKeyAnswered and replays the
// answer; if the first rolls back, the row is gone and the second goes on.
// Without a claim in ctx it does nothing.
func (t *Tenant) ClaimIdempotencyKey(ctx context.Context) error {
	cl, ok := ctx.Value(idempotencyClaimKey{}).(idempotencyClaim)
	if !ok {
		return nil
	}
	row := t.newIdempotencyKey(cl.key, cl.hash, cl.ttl, 0, "")
	row.State = idempotencyRunning
	_, err := t.db.NewInsert().Model(row).Exec(ctx)
	if isUniqueViolation(err) {
		return ErrIdempotencyKeyAnswered
	}
	return wrap("claim idempotency key", err)
}

// ErrIdempotencyKeyAnswered is returned by InsertIdempotentAnswer when another
// request stored an answer under the key first (another process, racing
// on the same key); the write's transaction is rolled back and the caller
// replays that answer.
var ErrIdempotencyKeyAnswered = apperr.New(apperr.CodeConflict,
	"a request with this Idempotency-Key was answered meanwhile; send it again to get that answer")

// IdempotentAnswer returns the answer stored under key for the request
// whose hash is given, nil when the key is free (never used, expired, or
// left by a request that died before its commit), or a conflict error when
// the key was used for another request.
func (t *Tenant) IdempotentAnswer(ctx context.Context, key, hash string) (*IdempotencyKey, error) {
	cur := new(IdempotencyKey)
	err := t.selectQ(cur).Where("ik.key = ?", key).Scan(ctx)
	if err = notFound(err, "idempotency key"); apperr.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, wrap("read idempotency key", err)
	}
	if cur.State != idempotencyDone || !cur.ExpiresAt.After(t.now()) {
		defer lockWrites(t.db, t.txMu)()
		_, err := t.deleteQ((*IdempotencyKey)(nil)).Where("ik.id = ?", cur.ID).Exec(ctx)
		return nil, wrap("free idempotency key", err)
	}
	if cur.RequestHash != hash {
		return nil, apperr.New(apperr.CodeConflict, "this Idempotency-Key was used with a different request; use a new key for a new request")
	}
	return cur, nil
}

// newIdempotencyKey is the row of an answer to keep for ttl.
func (t *Tenant) newIdempotencyKey(key, hash string, ttl time.Duration, status int, body string) *IdempotencyKey {
	now := t.now()
	return &IdempotencyKey{OrganizationID: t.orgID, Key: key, RequestHash: hash, State: idempotencyDone,
		ResponseStatus: status, ResponseBody: body, ExpiresAt: now.Add(ttl), CreatedAt: now, UpdatedAt: now}
}

// InsertIdempotentAnswer stores the answer of a write under key. Called inside the
// write's transaction, it commits the answer with the record, so that a
// committed write always has its answer: it fills in the row the
// transaction claimed, or inserts one; a key answered meanwhile returns
// ErrIdempotencyKeyAnswered, which rolls the write back.
func (t *Tenant) InsertIdempotentAnswer(ctx context.Context, key, hash string, ttl time.Duration, status int, body string) error {
	res, err := t.updateQ((*IdempotencyKey)(nil)).Set("state = ?", idempotencyDone).Set("response_status = ?", status).
		Set("response_body = ?", body).Set("updated_at = ?", t.now()).
		Where("ik.key = ? AND ik.request_hash = ? AND ik.state = ?", key, hash, idempotencyRunning).Exec(ctx)
	if err != nil {
		return wrap("store idempotent answer", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil
	}
	_, err = t.db.NewInsert().Model(t.newIdempotencyKey(key, hash, ttl, status, body)).Exec(ctx)
	if isUniqueViolation(err) {
		return ErrIdempotencyKeyAnswered
	}
	return wrap("store idempotent answer", err)
}

// StoreIdempotentAnswer keeps the answer a request was sent under key.
// With replace, it overwrites the answer its write stored (a ?wait= answer
// carries later sync states than the commit did); without, an answer
// already stored wins. A key taken by another request is never touched.
func (t *Tenant) StoreIdempotentAnswer(ctx context.Context, key, hash string, ttl time.Duration, status int, body string, replace bool) error {
	q := t.db.NewInsert().Model(t.newIdempotencyKey(key, hash, ttl, status, body))
	if replace {
		q = q.On("CONFLICT (organization_id, key) DO UPDATE").Set("state = EXCLUDED.state").
			Set("response_status = EXCLUDED.response_status").Set("response_body = EXCLUDED.response_body").
			Set("updated_at = EXCLUDED.updated_at").Where("ik.request_hash = EXCLUDED.request_hash")
	} else {
		q = q.On("CONFLICT (organization_id, key) DO NOTHING")
	}
	defer lockWrites(t.db, t.txMu)()
	_, err := q.Exec(ctx)
	return wrap("store idempotent answer", err)
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
