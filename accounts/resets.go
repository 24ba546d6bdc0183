package accounts

import (
	"context"
	"time"

	"switchboard/apperr"
	"switchboard/auth"
	"switchboard/models"
)

// PasswordResetLifetime is how long a password-reset link works.
const PasswordResetLifetime = 24 * time.Hour

// IssuePasswordReset makes a one-time password-reset link for a member of
// the actor's organization and returns its token (only its hash is
// stored): shown once, expiring, single use, audited.
func (s *Service) IssuePasswordReset(ctx context.Context, by Actor, userID int64) (string, *models.User, error) {
	m, err := s.store.Tenant(by.OrgID).Member(ctx, userID)
	if err != nil {
		return "", nil, err
	}
	user, err := s.store.UserByID(ctx, m.UserID)
	if err != nil {
		return "", nil, err
	}
	token := auth.NewToken()
	pr := &models.PasswordReset{UserID: user.ID, TokenHash: auth.HashToken(token), CreatedBy: by.UserID,
		ExpiresAt: s.store.Now().Add(PasswordResetLifetime)}
	if err := s.store.Tenant(by.OrgID).CreatePasswordReset(ctx, pr); err != nil {
		return "", nil, err
	}
	s.audit.Record(ctx, by, ActionPasswordResetIssued, TargetOf("user", user.ID), map[string]any{"email": user.Email, "expires_in": "24 hours"})
	return token, user, nil
}

// IssuePasswordResetByEmail is IssuePasswordReset for the operator's CLI:
// the member is named by organization slug and email.
func (s *Service) IssuePasswordResetByEmail(ctx context.Context, orgSlug, email string) (string, error) {
	org, err := s.store.OrganizationBySlug(ctx, orgSlug)
	if err != nil {
		return "", err
	}
	user, err := s.store.UserByEmail(ctx, models.NormalizeEmail(email))
	if err != nil {
		return "", err
	}
	token, _, err := s.IssuePasswordReset(ctx, CLI(org.ID), user.ID)
	return token, err
}

// PasswordReset finds the live reset link of a token and its user.
func (s *Service) PasswordReset(ctx context.Context, token string) (*models.PasswordReset, *models.User, error) {
	pr, err := s.store.PasswordResetByHash(ctx, auth.HashToken(token))
	if apperr.IsNotFound(err) {
		return nil, nil, apperr.New(apperr.CodeNotFound, "this password-reset link is not valid: it was used or has expired; ask an owner for a new one")
	}
	if err != nil {
		return nil, nil, err
	}
	user, err := s.store.UserByID(ctx, pr.UserID)
	return pr, user, err
}

// ResetPassword sets the password of a reset link's user (the policy
// checked, field errors named), spends the link and ends the user's
// sessions everywhere.
func (s *Service) ResetPassword(ctx context.Context, from Actor, token, password string, invalid map[string]string) error {
	pr, user, err := s.PasswordReset(ctx, token)
	if err != nil {
		return err
	}
	bad := fields(invalid)
	bad.policy("password", password)
	if err := bad.err(); err != nil {
		return err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	if err := s.store.UsePasswordReset(ctx, pr, hash); err != nil {
		return err
	}
	ended, err := s.store.DeleteUserSessions(ctx, user.ID, "")
	if err != nil {
		return err
	}
	from.OrgID, from.UserID, from.Name = pr.OrganizationID, &user.ID, user.Email
	s.audit.Record(ctx, from, ActionPasswordResetUsed, TargetOf("user", user.ID), map[string]any{"sessions_ended": ended})
	return nil
}
