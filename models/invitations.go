package models

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"switchboard/apperr"
)

// Invitation asks someone, by email, to join an organization with a role.
// It grants nothing until accepted; only the token's hash is stored.
type Invitation struct {
	bun.BaseModel `bun:"table:invitations,alias:inv"`

	ID             int64     `bun:"id,pk,autoincrement"`
	OrganizationID int64     `bun:"organization_id,notnull"`
	Email          string    `bun:"email,notnull"`
	Name           string    `bun:"name,notnull"`
	Role           string    `bun:"role,notnull"`
	TokenHash      string    `bun:"token_hash,notnull"`
	InvitedBy      *int64    `bun:"invited_by"`
	ExpiresAt      time.Time `bun:"expires_at,notnull"`
	CreatedAt      time.Time `bun:"created_at,notnull"`
	UpdatedAt      time.Time `bun:"updated_at,notnull"`

	Organization *Organization `bun:"rel:belongs-to,join:organization_id=id"`
}

// Expired reports whether the invitation can no longer be accepted.
func (inv *Invitation) Expired(now time.Time) bool { return !now.Before(inv.ExpiresAt) }

// Invite records a pending invitation, replacing an earlier one to the same
// email (whose link stops working).
func (t *Tenant) Invite(ctx context.Context, inv *Invitation) error {
	if !ValidRole(inv.Role) {
		return apperr.Validation(apperr.FieldError{Field: "role", Message: "must be owner, admin or staff"})
	}
	now := t.now()
	inv.OrganizationID, inv.Email, inv.Name = t.orgID, NormalizeEmail(inv.Email), strings.TrimSpace(inv.Name)
	inv.CreatedAt, inv.UpdatedAt = now, now
	return t.InTx(ctx, func(tx *Tenant) error {
		if _, err := tx.deleteQ((*Invitation)(nil)).Where("inv.email = ?", inv.Email).Exec(ctx); err != nil {
			return wrap("replace invitation", err)
		}
		_, err := tx.db.NewInsert().Model(inv).Exec(ctx)
		return wrap("create invitation", err)
	})
}

// Invitations lists the organization's pending (and expired) invitations.
func (t *Tenant) Invitations(ctx context.Context) ([]Invitation, error) {
	var out []Invitation
	err := t.selectQ(&out).OrderExpr("inv.email ASC").Scan(ctx)
	return out, wrap("list invitations", err)
}

// RevokeInvitation deletes a pending invitation and returns it.
func (t *Tenant) RevokeInvitation(ctx context.Context, id int64) (*Invitation, error) {
	inv := new(Invitation)
	err := t.InTx(ctx, func(tx *Tenant) error {
		if err := tx.selectQ(inv).Where("inv.id = ?", id).Scan(ctx); err != nil {
			return notFound(err, "invitation")
		}
		res, err := tx.deleteQ((*Invitation)(nil)).Where("inv.id = ?", id).Exec(ctx)
		return mustAffect(res, err, "invitation")
	})
	return inv, wrap("revoke invitation", err)
}

// InvitationByTokenHash returns the live (unexpired) invitation with that
// token hash, with its organization.
func (s *Store) InvitationByTokenHash(ctx context.Context, hash string) (*Invitation, error) {
	inv := new(Invitation)
	err := s.db.NewSelect().Model(inv).Relation("Organization").
		Where("inv.token_hash = ?", hash).Where("inv.expires_at > ?", s.now()).Scan(ctx)
	return inv, wrap("fetch invitation", notFound(err, "invitation"))
}

// AcceptInvitation gives the user the invitation's role and deletes the
// invitation, in one transaction; an invitation used or revoked meanwhile
// is not found.
func (s *Store) AcceptInvitation(ctx context.Context, inv *Invitation, userID int64) (*Membership, error) {
	var m *Membership
	err := s.InTx(ctx, func(tx *Store) error {
		var err error
		m, err = tx.accept(ctx, inv, userID)
		return err
	})
	return m, wrap("accept invitation", err)
}

// accept does the work of AcceptInvitation inside a transaction.
func (s *Store) accept(ctx context.Context, inv *Invitation, userID int64) (*Membership, error) {
	res, err := s.db.NewDelete().Model((*Invitation)(nil)).Where("id = ?", inv.ID).Exec(ctx)
	if err := mustAffect(res, err, "invitation"); err != nil {
		return nil, err
	}
	return s.Tenant(inv.OrganizationID).AddMember(ctx, userID, inv.Role)
}

// AcceptInvitationAsNewUser creates the invited email's account with the
// given password hash and accepts the invitation for it, in one
// transaction. An existing account with that email is a conflict.
func (s *Store) AcceptInvitationAsNewUser(ctx context.Context, inv *Invitation, name, passwordHash string) (*User, error) {
	var u *User
	err := s.InTx(ctx, func(tx *Store) error {
		var err error
		if u, err = tx.CreateUser(ctx, inv.Email, name, passwordHash); err != nil {
			return err
		}
		_, err = tx.accept(ctx, inv, u.ID)
		return err
	})
	return u, wrap("accept invitation", err)
}
