package models

import (
	"context"
	"time"

	"switchboard/apperr"
)

// CreateAPIKey stores a new key by its hash and prefix.
func (t *Tenant) CreateAPIKey(ctx context.Context, name, role, prefix, hash string, createdBy *int64) (*APIKey, error) {
	if role != KeyRoleAgent && role != KeyRoleAdmin {
		return nil, apperr.Validation(apperr.FieldError{Field: "role", Message: "must be agent or admin"})
	}
	now := t.now()
	k := &APIKey{OrganizationID: t.orgID, Name: name, Role: role, Prefix: prefix, KeyHash: hash,
		CreatedBy: createdBy, CreatedAt: now, UpdatedAt: now}
	if _, err := t.db.NewInsert().Model(k).Exec(ctx); err != nil {
		return nil, wrap("create api key", err)
	}
	return k, nil
}

// APIKeys lists the organization's keys, newest first.
func (t *Tenant) APIKeys(ctx context.Context) ([]APIKey, error) {
	var ks []APIKey
	err := t.selectQ(&ks).OrderExpr("k.id DESC").Scan(ctx)
	return ks, wrap("list api keys", err)
}

// APIKey returns one key of the organization.
func (t *Tenant) APIKey(ctx context.Context, id int64) (*APIKey, error) {
	k := new(APIKey)
	err := t.selectQ(k).Where("k.id = ?", id).Scan(ctx)
	return k, wrap("fetch api key", notFound(err, "API key"))
}

// RevokeAPIKey revokes a key; revoking twice is harmless.
func (t *Tenant) RevokeAPIKey(ctx context.Context, id int64) (*APIKey, error) {
	k, err := t.APIKey(ctx, id)
	if err != nil {
		return nil, err
	}
	if k.RevokedAt != nil {
		return k, nil
	}
	now := t.now()
	res, err := t.updateQ((*APIKey)(nil)).Set("revoked_at = ?", now).Set("updated_at = ?", now).
		Where("k.id = ?", id).Exec(ctx)
	if err := mustAffect(res, err, "API key"); err != nil {
		return nil, wrap("revoke api key", err)
	}
	k.RevokedAt = &now
	return k, nil
}

// APIKeyByHash finds a key by its hash for authentication, revoked or not;
// the caller refuses revoked keys.
func (s *Store) APIKeyByHash(ctx context.Context, hash string) (*APIKey, error) {
	k := new(APIKey)
	err := s.db.NewSelect().Model(k).Where("k.key_hash = ?", hash).Scan(ctx)
	return k, wrap("fetch api key", notFound(err, "API key"))
}

// TouchAPIKeys records the last use of keys, in one statement per key.
func (s *Store) TouchAPIKeys(ctx context.Context, used map[int64]time.Time) error {
	for id, at := range used {
		if _, err := s.db.NewUpdate().Model((*APIKey)(nil)).Set("last_used_at = ?", at).
			Where("id = ?", id).Where("last_used_at IS NULL OR last_used_at < ?", at).Exec(ctx); err != nil {
			return wrap("record api key use", err)
		}
	}
	return nil
}
