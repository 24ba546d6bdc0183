package accounts

import (
	"context"
	"fmt"

	"switchboard/apperr"
	"switchboard/auth"
	"switchboard/models"
)

// Member says who should belong to an organization, with which role. An
// existing account keeps its name; its password is set when one is given.
type Member struct {
	Email    string
	Name     string
	Password string
	Role     string
	// KeepRole leaves the role of an existing member as it is.
	KeepRole bool
}

// Joined is what EnsureMember did, for the operator.
type Joined struct {
	Org         *models.Organization
	User        *models.User
	CreatedOrg  bool
	CreatedUser bool
}

// EnsureMember makes sure the organization of orgSlug exists (created with
// name orgName when missing) and that m is a member of it: the account is
// created when missing, else its password is set, and it gets the role.
// All of it in one transaction. The CLI and the demo use it.
func (s *Service) EnsureMember(ctx context.Context, orgSlug, orgName string, m Member) (*Joined, error) {
	hash, err := auth.HashPassword(m.Password)
	if err != nil {
		return nil, err
	}
	out := &Joined{}
	err = s.store.InTx(ctx, func(tx *models.Store) error {
		out.Org, err = tx.OrganizationBySlug(ctx, orgSlug)
		if apperr.IsNotFound(err) {
			out.Org, err = tx.CreateOrganization(ctx, orgSlug, orgName)
			out.CreatedOrg = err == nil
		}
		if err != nil {
			return err
		}
		out.User, out.CreatedUser, err = join(ctx, tx, out.Org, m, hash)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("accounts: member %s of %s: %w", m.Email, orgSlug, err)
	}
	return out, nil
}

// join makes the account of m (created when missing, else given the
// password hash) a member of org with m's role, inside tx, and reports
// whether it created the account.
func join(ctx context.Context, tx *models.Store, org *models.Organization, m Member, hash string) (*models.User, bool, error) {
	user, err := tx.UserByEmail(ctx, m.Email)
	created := apperr.IsNotFound(err)
	switch {
	case created:
		user, err = tx.CreateUser(ctx, m.Email, m.Name, hash)
	case err == nil:
		err = tx.SetPassword(ctx, user.ID, hash)
	}
	if err != nil {
		return nil, false, err
	}
	t := tx.Tenant(org.ID)
	if _, err := t.Member(ctx, user.ID); apperr.IsNotFound(err) {
		_, err = t.AddMember(ctx, user.ID, m.Role)
		return user, created, err
	} else if err != nil || m.KeepRole {
		return user, created, err
	}
	return user, created, t.SetRole(ctx, user.ID, m.Role)
}

// Members lists the organization's members with their accounts.
func (s *Service) Members(ctx context.Context, orgID int64) ([]models.Membership, error) {
	return s.store.Tenant(orgID).Members(ctx)
}

// IsMember reports whether the email belongs to a member of the
// organization.
func (s *Service) IsMember(ctx context.Context, orgID int64, email string) (bool, error) {
	ms, err := s.Members(ctx, orgID)
	if err != nil {
		return false, err
	}
	for _, m := range ms {
		if m.User.Email == models.NormalizeEmail(email) {
			return true, nil
		}
	}
	return false, nil
}

// SetRole changes a member's role (an organization keeps an owner) and
// returns the membership as it was.
func (s *Service) SetRole(ctx context.Context, by Actor, userID int64, role string) (*models.Membership, error) {
	t := s.store.Tenant(by.OrgID)
	before, err := t.Member(ctx, userID)
	if err != nil {
		return nil, err
	}
	if err := t.SetRole(ctx, userID, role); err != nil {
		return before, err
	}
	s.audit.Record(ctx, by, ActionRoleChanged, TargetOf("user", userID),
		map[string]any{"email": before.User.Email, "from": before.Role, "to": role})
	return before, nil
}

// RemoveMember takes a member out of the organization (an organization
// keeps an owner) and returns the membership as it was.
func (s *Service) RemoveMember(ctx context.Context, by Actor, userID int64) (*models.Membership, error) {
	t := s.store.Tenant(by.OrgID)
	before, err := t.Member(ctx, userID)
	if err != nil {
		return nil, err
	}
	if err := t.RemoveMember(ctx, userID); err != nil {
		return before, err
	}
	s.audit.Record(ctx, by, ActionUserRemoved, TargetOf("user", userID), map[string]any{"email": before.User.Email, "role": before.Role})
	return before, nil
}
