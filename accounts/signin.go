package accounts

import (
	"context"
	"fmt"
	"strings"
	"time"

	"switchboard/apperr"
	"switchboard/auth"
	"switchboard/models"
)

// SessionLifetime is the absolute lifetime of a signed-in session.
const SessionLifetime = 8 * time.Hour

// SignInResult is how a sign-in went: User and OrgID when it succeeded;
// Wait when too many attempts failed lately (nothing was checked); neither
// when the email and password do not match an account with a membership.
type SignInResult struct {
	// Email is the email as the account would be named (normalized).
	Email string
	User  *models.User
	OrgID int64
	Wait  time.Duration
}

// SignIn checks an email and password, slowed down per account and per
// address after failures (the attempt is reserved before the check, so
// parallel attempts past the limit are refused without one), and records
// the outcome in the audit log. It takes as long for an unknown email as
// for a known one.
func (s *Service) SignIn(ctx context.Context, from Actor, email, password string) (*SignInResult, error) {
	email = models.NormalizeEmail(email)
	from.Name = email
	attempt, wait, err := s.throttle.Begin(ctx, email, from.IP)
	if err != nil {
		return nil, err
	}
	if attempt == nil {
		s.audit.Record(ctx, from, ActionLoginThrottled, Target{Type: "user"}, map[string]any{"email": email, "wait_seconds": int(wait.Seconds() + 0.5)})
		return &SignInResult{Email: email, Wait: wait}, nil
	}
	defer attempt.Abandon() // released uncounted if the check could not run
	user, ms, err := s.checkPassword(ctx, email, password)
	if err != nil {
		return nil, err
	}
	if user == nil || len(ms) == 0 {
		if err := attempt.Fail(); err != nil {
			return nil, err
		}
		s.auditFailure(ctx, from, user)
		return &SignInResult{Email: email}, nil
	}
	if err := attempt.Succeed(); err != nil {
		return nil, err
	}
	return &SignInResult{Email: email, User: user, OrgID: ms[0].OrganizationID}, nil
}

// checkPassword finds the account and checks its password. It returns the
// user (nil when unknown) and, when the password is right, its
// memberships.
func (s *Service) checkPassword(ctx context.Context, email, password string) (*models.User, []models.Membership, error) {
	user, err := s.store.UserByEmail(ctx, email)
	if apperr.IsNotFound(err) {
		auth.BurnPasswordCheck(password)
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	if auth.VerifyPassword(user.PasswordHash, password) != nil {
		return user, nil, nil
	}
	ms, err := s.store.MembershipsOfUser(ctx, user.ID)
	return user, ms, err
}

// auditFailure records a failed sign-in: once without an organization for
// an unknown account, else once in each organization of the account.
func (s *Service) auditFailure(ctx context.Context, from Actor, user *models.User) {
	if user == nil {
		s.audit.Record(ctx, from, ActionLoginFailed, Target{Type: "user"}, map[string]any{"email": from.Name, "reason": "unknown account"})
		return
	}
	from.UserID = &user.ID
	target := TargetOf("user", user.ID)
	ms, err := s.store.MembershipsOfUser(ctx, user.ID)
	if err != nil || len(ms) == 0 {
		s.audit.Record(ctx, from, ActionLoginFailed, target, nil)
		return
	}
	for _, m := range ms {
		from.OrgID = m.OrganizationID
		s.audit.Record(ctx, from, ActionLoginFailed, target, map[string]any{"reason": "wrong password"})
	}
}

// NewSession is a session to start: the user signed in, the organization
// it works in, the token of the session it replaces (its row is deleted),
// and where the request came from.
type NewSession struct {
	User      *models.User
	OrgID     int64
	Replaces  string
	IP        string
	UserAgent string
	// Audit records a sign-in (a first-run setup records itself).
	Audit bool
}

// StartSession creates the row of a new session and returns its token,
// which only the cookie keeps (the row holds its hash).
func (s *Service) StartSession(ctx context.Context, in NewSession) (string, error) {
	if in.Replaces != "" {
		if err := s.store.DeleteSession(ctx, auth.HashToken(in.Replaces)); err != nil {
			return "", err
		}
	}
	token := auth.NewToken()
	row := &models.Session{TokenHash: auth.HashToken(token), UserID: in.User.ID, OrganizationID: in.OrgID,
		IP: in.IP, UserAgent: truncate(in.UserAgent, 300), ExpiresAt: s.store.Now().Add(SessionLifetime)}
	if err := s.store.CreateSession(ctx, row); err != nil {
		return "", err
	}
	if in.Audit {
		s.audit.Record(ctx, Actor{OrgID: in.OrgID, UserID: &in.User.ID, Name: in.User.Email, IP: in.IP, UserAgent: in.UserAgent},
			ActionLogin, TargetOf("user", in.User.ID), nil)
	}
	return token, nil
}

// Signed is a signed-in session: its row, its user, the organization it
// works in with the user's role there, and all the user's memberships.
type Signed struct {
	Session     *models.Session
	TokenHash   string
	User        *models.User
	Org         *models.Organization
	Role        string
	Memberships []models.Membership
}

// Resolve finds the session of a token. A session gone (logged out,
// expired, password changed) or whose user left the organization is not
// found.
func (s *Service) Resolve(ctx context.Context, token string) (*Signed, error) {
	hash := auth.HashToken(token)
	sess, err := s.store.SessionByTokenHash(ctx, hash)
	if err != nil {
		return nil, err
	}
	user, err := s.store.UserByID(ctx, sess.UserID)
	if err != nil {
		return nil, err
	}
	ms, err := s.store.MembershipsOfUser(ctx, user.ID)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if m.OrganizationID == sess.OrganizationID {
			return &Signed{Session: sess, TokenHash: hash, User: user, Org: m.Organization, Role: m.Role, Memberships: ms}, nil
		}
	}
	return nil, apperr.NotFound("membership") // removed from the organization
}

// SignOut ends one session: its row is deleted, so its cookie is worthless
// even if replayed.
func (s *Service) SignOut(ctx context.Context, by Actor, tokenHash string) error {
	if err := s.store.DeleteSession(ctx, tokenHash); err != nil {
		return err
	}
	s.audit.Record(ctx, by, ActionLogout, TargetOf("user", *by.UserID), nil)
	return nil
}

// SignOutEverywhere ends every session of the user and says how many.
func (s *Service) SignOutEverywhere(ctx context.Context, by Actor) (int64, error) {
	n, err := s.store.DeleteUserSessions(ctx, *by.UserID, "")
	if err != nil {
		return 0, err
	}
	s.audit.Record(ctx, by, ActionLogoutAll, TargetOf("user", *by.UserID), map[string]any{"sessions": n})
	return n, nil
}

// SwitchOrganization moves a session to another organization of the
// user's memberships.
func (s *Service) SwitchOrganization(ctx context.Context, by Actor, signed *Signed, orgID int64) (*models.Membership, error) {
	var target *models.Membership
	for i := range signed.Memberships {
		if signed.Memberships[i].OrganizationID == orgID {
			target = &signed.Memberships[i]
		}
	}
	if target == nil {
		return nil, apperr.NotFound("organization")
	}
	if err := s.store.SetSessionOrganization(ctx, signed.Session.ID, orgID); err != nil {
		return nil, err
	}
	by.OrgID = orgID
	s.audit.Record(ctx, by, ActionOrgSwitched, TargetOf("organization", orgID), map[string]any{"from": signed.Org.Slug})
	return target, nil
}

// PasswordChange is a user's change of their own password: the current
// and the new one, the hash of the session to keep (the user's others
// end), and the problems the form already found (by field name).
type PasswordChange struct {
	User    *models.User
	Current string
	New     string
	Keep    string
	Invalid map[string]string
}

// ChangePassword checks the current password and the policy (field errors
// named current_password and new_password, besides the form's own), sets
// the new password and ends the user's other sessions.
func (s *Service) ChangePassword(ctx context.Context, by Actor, in PasswordChange) error {
	bad := fields(in.Invalid)
	if in.Current != "" && auth.VerifyPassword(in.User.PasswordHash, in.Current) != nil {
		bad.set("current_password", "is not your current password")
	}
	bad.policy("new_password", in.New)
	if err := bad.err(); err != nil {
		return err
	}
	hash, err := auth.HashPassword(in.New)
	if err != nil {
		return err
	}
	if err := s.store.SetPassword(ctx, in.User.ID, hash); err != nil {
		return err
	}
	ended, err := s.store.DeleteUserSessions(ctx, in.User.ID, in.Keep)
	if err != nil {
		return err
	}
	s.audit.Record(ctx, by, ActionPasswordChange, TargetOf("user", in.User.ID), map[string]any{"other_sessions_ended": ended})
	return nil
}

// RoundUp words a wait for people: seconds under a minute, else minutes.
func RoundUp(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%d seconds", int(d.Seconds()+0.999))
	}
	return fmt.Sprintf("%d minutes", int(d.Minutes()+0.999))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}
