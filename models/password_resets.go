package models

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// PasswordReset is a one-time link to set a user's password: only the
// token's hash is kept; it expires and works once.
type PasswordReset struct {
	bun.BaseModel `bun:"table:password_resets,alias:pr"`

	ID             int64      `bun:"id,pk,autoincrement"`
	OrganizationID int64      `bun:"organization_id,notnull"`
	UserID         int64      `bun:"user_id,notnull"`
	TokenHash      string     `bun:"token_hash,notnull"`
	CreatedBy      *int64     `bun:"created_by"`
	ExpiresAt      time.Time  `bun:"expires_at,notnull"`
	UsedAt         *time.Time `bun:"used_at"`
	CreatedAt      time.Time  `bun:"created_at,notnull"`
}

// CreatePasswordReset stores a reset link of a member of the organization.
func (t *Tenant) CreatePasswordReset(ctx context.Context, pr *PasswordReset) error {
	pr.OrganizationID, pr.CreatedAt = t.orgID, t.now()
	_, err := t.db.NewInsert().Model(pr).Exec(ctx)
	return wrap("create password reset", err)
}

// PasswordResetByHash finds the live reset link of a token's hash: one
// used or expired is not found.
func (s *Store) PasswordResetByHash(ctx context.Context, hash string) (*PasswordReset, error) {
	pr := new(PasswordReset)
	err := s.db.NewSelect().Model(pr).Where("pr.token_hash = ?", hash).Where("pr.used_at IS NULL").
		Where("pr.expires_at > ?", s.now()).Scan(ctx)
	return pr, wrap("fetch password reset", notFound(err, "password reset"))
}

// UsePasswordReset spends the link and sets its user's password hash,
// together; a link already used is not found.
func (s *Store) UsePasswordReset(ctx context.Context, pr *PasswordReset, hash string) error {
	return s.InTx(ctx, func(tx *Store) error {
		res, err := tx.db.NewUpdate().Model((*PasswordReset)(nil)).Set("used_at = ?", tx.now()).
			Where("pr.id = ?", pr.ID).Where("pr.used_at IS NULL").Exec(ctx)
		if err := mustAffect(res, err, "password reset"); err != nil {
			return wrap("use password reset", err)
		}
		return tx.SetPassword(ctx, pr.UserID, hash)
	})
}
