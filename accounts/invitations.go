package accounts

import (
	"context"
	"time"

	"switchboard/apperr"
	"switchboard/auth"
	"switchboard/models"
)

// InvitationLifetime is how long an invitation link can be accepted.
const InvitationLifetime = 7 * 24 * time.Hour

// Invitations lists the organization's pending (and expired) invitations.
func (s *Service) Invitations(ctx context.Context, orgID int64) ([]models.Invitation, error) {
	return s.store.Tenant(orgID).Invitations(ctx)
}

// Now is the store's clock (an invitation's expiry is compared with it).
func (s *Service) Now() time.Time { return s.store.Now() }

// Invite records a pending invitation of email to the organization with
// role and returns it with the token of its one-time link (only its hash
// is stored). An earlier invitation to the same email stops working.
// Nothing is granted until the invited person accepts.
func (s *Service) Invite(ctx context.Context, by Actor, email, name, role string) (*models.Invitation, string, error) {
	token := auth.NewToken()
	inv := &models.Invitation{Email: email, Name: name, Role: role, TokenHash: auth.HashToken(token),
		InvitedBy: by.UserID, ExpiresAt: s.store.Now().Add(InvitationLifetime)}
	if err := s.store.Tenant(by.OrgID).Invite(ctx, inv); err != nil {
		return nil, "", err
	}
	s.audit.Record(ctx, by, ActionInvitationSent, TargetOf("invitation", inv.ID), map[string]any{"email": inv.Email, "role": inv.Role})
	return inv, token, nil
}

// RevokeInvitation deletes a pending invitation (its link stops working)
// and returns it.
func (s *Service) RevokeInvitation(ctx context.Context, by Actor, id int64) (*models.Invitation, error) {
	inv, err := s.store.Tenant(by.OrgID).RevokeInvitation(ctx, id)
	if err != nil {
		return nil, err
	}
	s.audit.Record(ctx, by, ActionInvitationRevoked, TargetOf("invitation", inv.ID), map[string]any{"email": inv.Email, "role": inv.Role})
	return inv, nil
}

// Invitation finds the live invitation of a link's token; a used, revoked
// or expired one is not found.
func (s *Service) Invitation(ctx context.Context, token string) (*models.Invitation, error) {
	inv, err := s.store.InvitationByTokenHash(ctx, auth.HashToken(token))
	if apperr.IsNotFound(err) {
		return nil, apperr.New(apperr.CodeNotFound, "this invitation link is not valid: it was used, revoked or has expired")
	}
	return inv, err
}

// Accept lets the signed-in account whose email was invited join: it gets
// the invitation's role, and its session works in the organization from
// now on.
func (s *Service) Accept(ctx context.Context, from Actor, inv *models.Invitation, signed *Signed) error {
	if signed == nil || signed.User.Email != inv.Email {
		return apperr.New(apperr.CodeForbidden, "sign in as %s to accept this invitation", inv.Email)
	}
	if _, err := s.store.AcceptInvitation(ctx, inv, signed.User.ID); err != nil {
		return err
	}
	if err := s.store.SetSessionOrganization(ctx, signed.Session.ID, inv.OrganizationID); err != nil {
		return err
	}
	s.auditAccepted(ctx, from, inv, signed.User)
	return nil
}

// Registration is a person without an account accepting an invitation:
// the name and password they chose, and the problems the form already
// found (by field name).
type Registration struct {
	Name     string
	Password string
	Invalid  map[string]string
}

// Register creates the invited email's account and its membership
// together. An existing account must sign in and accept instead: that is
// a conflict.
func (s *Service) Register(ctx context.Context, from Actor, inv *models.Invitation, in Registration) (*models.User, error) {
	bad := fields(in.Invalid)
	bad.policy("password", in.Password)
	if err := bad.err(); err != nil {
		return nil, err
	}
	hash, err := auth.HashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	user, err := s.store.AcceptInvitationAsNewUser(ctx, inv, in.Name, hash)
	if err != nil {
		return nil, err
	}
	s.auditAccepted(ctx, from, inv, user)
	return user, nil
}

func (s *Service) auditAccepted(ctx context.Context, from Actor, inv *models.Invitation, user *models.User) {
	from.OrgID, from.UserID, from.Name = inv.OrganizationID, &user.ID, user.Email
	s.audit.Record(ctx, from, ActionInvitationAccepted, TargetOf("user", user.ID),
		map[string]any{"email": inv.Email, "role": inv.Role, "invitation_id": inv.ID})
}
