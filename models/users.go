package models

import (
	"context"
	"strings"

	"switchboard/apperr"
)

// NormalizeEmail lower-cases and trims an email address.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// CreateUser inserts a user with an already hashed password.
func (s *Store) CreateUser(ctx context.Context, email, name, passwordHash string) (*User, error) {
	now := s.now()
	u := &User{Email: NormalizeEmail(email), Name: strings.TrimSpace(name), PasswordHash: passwordHash, CreatedAt: now, UpdatedAt: now}
	if _, err := s.db.NewInsert().Model(u).Exec(ctx); err != nil {
		return nil, wrap("create user", conflictOr(err, "a user with email %s already exists", u.Email))
	}
	return u, nil
}

// UserByEmail returns the user with that email.
func (s *Store) UserByEmail(ctx context.Context, email string) (*User, error) {
	u := new(User)
	err := s.db.NewSelect().Model(u).Where("u.email = ?", NormalizeEmail(email)).Scan(ctx)
	return u, wrap("fetch user", notFound(err, "user"))
}

// UserByID returns one user.
func (s *Store) UserByID(ctx context.Context, id int64) (*User, error) {
	u := new(User)
	err := s.db.NewSelect().Model(u).Where("u.id = ?", id).Scan(ctx)
	return u, wrap("fetch user", notFound(err, "user"))
}

// SetPassword stores a new password hash.
func (s *Store) SetPassword(ctx context.Context, userID int64, hash string) error {
	res, err := s.db.NewUpdate().Model((*User)(nil)).
		Set("password_hash = ?", hash).Set("updated_at = ?", s.now()).
		Where("id = ?", userID).Exec(ctx)
	return wrap("set password", mustAffect(res, err, "user"))
}

// AnyUser reports whether at least one user exists (setup is done).
func (s *Store) AnyUser(ctx context.Context) (bool, error) {
	ok, err := s.db.NewSelect().Model((*User)(nil)).Limit(1).Exists(ctx)
	return ok, wrap("check users", err)
}

// MembershipsOfUser lists the organizations a user belongs to, by name.
func (s *Store) MembershipsOfUser(ctx context.Context, userID int64) ([]Membership, error) {
	var ms []Membership
	err := s.db.NewSelect().Model(&ms).Relation("Organization").
		Where("m.user_id = ?", userID).OrderExpr("organization.name ASC").Scan(ctx)
	return ms, wrap("list memberships", err)
}

// Members lists the organization's users with their roles.
func (t *Tenant) Members(ctx context.Context) ([]Membership, error) {
	var ms []Membership
	err := t.selectQ(&ms).Relation("User").OrderExpr(`"user"."email" ASC`).Scan(ctx)
	return ms, wrap("list members", err)
}

// Member returns the membership of one user in the organization.
func (t *Tenant) Member(ctx context.Context, userID int64) (*Membership, error) {
	m := new(Membership)
	err := t.selectQ(m).Relation("User").Where("m.user_id = ?", userID).Scan(ctx)
	return m, wrap("fetch member", notFound(err, "user"))
}

// AddMember gives a user a role in the organization.
func (t *Tenant) AddMember(ctx context.Context, userID int64, role string) (*Membership, error) {
	if !ValidRole(role) {
		return nil, apperr.Validation(apperr.FieldError{Field: "role", Message: "must be owner, admin or staff"})
	}
	now := t.now()
	m := &Membership{OrganizationID: t.orgID, UserID: userID, Role: role, CreatedAt: now, UpdatedAt: now}
	if _, err := t.db.NewInsert().Model(m).Exec(ctx); err != nil {
		return nil, wrap("add member", conflictOr(err, "that user is already a member"))
	}
	return m, nil
}

// SetRole changes a member's role. The last owner cannot be demoted.
func (t *Tenant) SetRole(ctx context.Context, userID int64, role string) error {
	if !ValidRole(role) {
		return apperr.Validation(apperr.FieldError{Field: "role", Message: "must be owner, admin or staff"})
	}
	return t.InTx(ctx, func(tx *Tenant) error {
		m, err := tx.Member(ctx, userID)
		if err != nil {
			return err
		}
		if m.Role == RoleOwner && role != RoleOwner {
			if err := tx.keepAnOwner(ctx, userID); err != nil {
				return err
			}
		}
		res, err := tx.updateQ((*Membership)(nil)).Set("role = ?", role).Set("updated_at = ?", tx.now()).
			Where("m.user_id = ?", userID).Exec(ctx)
		return wrap("set role", mustAffect(res, err, "user"))
	})
}

// RemoveMember removes a user from the organization (the user row stays for
// other organizations). The last owner cannot be removed.
func (t *Tenant) RemoveMember(ctx context.Context, userID int64) error {
	return t.InTx(ctx, func(tx *Tenant) error {
		m, err := tx.Member(ctx, userID)
		if err != nil {
			return err
		}
		if m.Role == RoleOwner {
			if err := tx.keepAnOwner(ctx, userID); err != nil {
				return err
			}
		}
		res, err := tx.deleteQ((*Membership)(nil)).Where("m.user_id = ?", userID).Exec(ctx)
		if err := mustAffect(res, err, "user"); err != nil {
			return wrap("remove member", err)
		}
		_, err = tx.db.NewDelete().Model((*Session)(nil)).
			Where("user_id = ? AND organization_id = ?", userID, tx.orgID).Exec(ctx)
		return wrap("end removed member's sessions", err)
	})
}

func (t *Tenant) keepAnOwner(ctx context.Context, exceptUserID int64) error {
	n, err := t.selectQ((*Membership)(nil)).Where("m.role = ?", RoleOwner).Where("m.user_id <> ?", exceptUserID).Count(ctx)
	if err != nil {
		return wrap("count owners", err)
	}
	if n == 0 {
		return apperr.New(apperr.CodeConflict, "an organization needs at least one owner; make someone else owner first")
	}
	return nil
}

// ValidRole reports whether r is a membership role.
func ValidRole(r string) bool { return r == RoleOwner || r == RoleAdmin || r == RoleStaff }
