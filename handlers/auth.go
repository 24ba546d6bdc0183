package handlers

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/auth"
	"switchboard/models"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

// genericLoginError is the one message for every failed sign-in, so that it
// tells nobody which accounts exist.
const genericLoginError = "That email and password do not match an account."

// AuthHandler signs people in and out and runs the first-run setup.
type AuthHandler struct {
	store    *models.Store
	sessions *session.Manager
	throttle *auth.Throttle
	logger   *slog.Logger
	// setupDone caches "a user exists" once it is true.
	setupDone atomic.Bool
}

// NewAuthHandler returns an AuthHandler.
func NewAuthHandler(store *models.Store, sm *session.Manager, throttle *auth.Throttle, logger *slog.Logger) *AuthHandler {
	return &AuthHandler{store: store, sessions: sm, throttle: throttle, logger: logger}
}

func (h *AuthHandler) isSetupDone(ctx context.Context) (bool, error) {
	if h.setupDone.Load() {
		return true, nil
	}
	ok, err := h.store.AnyUser(ctx)
	if err != nil {
		return false, err
	}
	if ok {
		h.setupDone.Store(true)
	}
	return ok, nil
}

// requireSetup sends every page to /setup while no user exists.
func (h *AuthHandler) requireSetup(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		done, err := h.isSetupDone(c.Request().Context())
		if err != nil {
			return err
		}
		if done || c.Request().URL.Path == web.URLs(c).Setup() {
			return next(c)
		}
		if web.WantsProblem(c) {
			return apperr.New(apperr.CodeUnavailable, "Switchboard is not set up yet: open /setup in a browser")
		}
		return web.Redirect(c, web.URLs(c).Setup())
	}
}

// LoginPage handles GET /login.
func (h *AuthHandler) LoginPage(c echo.Context) error {
	if session.From(c) != nil {
		return c.Redirect(http.StatusSeeOther, web.URLs(c).Dashboard())
	}
	return web.Render(c, http.StatusOK, pages.Login(pages.LoginForm{Next: c.QueryParam("next")}))
}

// Login handles POST /login.
func (h *AuthHandler) Login(c echo.Context) error {
	ctx := c.Request().Context()
	email := models.NormalizeEmail(c.FormValue("email"))
	password := c.FormValue("password")
	form := pages.LoginForm{Email: email, Next: c.FormValue("next")}
	ip := c.RealIP()

	// The attempt is reserved before the password check, so parallel
	// attempts past the limit are refused without one.
	attempt, wait := h.throttle.Begin(email, ip)
	if attempt == nil {
		h.audit(c, nil, nil, email, models.AuditLoginThrottled, "user", "", map[string]any{"email": email, "wait_seconds": int(wait.Seconds() + 0.5)})
		form.Error = fmt.Sprintf("Too many failed attempts. Try again in %s.", roundUp(wait))
		c.Response().Header().Set("Retry-After", fmt.Sprint(int(wait.Seconds()+0.999)))
		return web.Render(c, http.StatusTooManyRequests, pages.Login(form))
	}
	defer attempt.Abandon() // released uncounted if the check could not run
	user, ms, err := h.checkPassword(ctx, email, password)
	if err != nil {
		return err
	}
	if user == nil || len(ms) == 0 {
		attempt.Fail()
		h.auditLoginFailure(c, user, email)
		form.Error = genericLoginError
		return web.Render(c, http.StatusUnprocessableEntity, pages.Login(form))
	}
	attempt.Succeed()
	if err := h.startSession(c, user, ms[0].OrganizationID); err != nil {
		return err
	}
	orgID := ms[0].OrganizationID
	h.audit(c, &orgID, &user.ID, user.Email, models.AuditLogin, "user", fmt.Sprint(user.ID), nil)
	return c.Redirect(http.StatusSeeOther, session.SafeNext(form.Next))
}

func (h *AuthHandler) auditLoginFailure(c echo.Context, user *models.User, email string) {
	if user == nil {
		h.audit(c, nil, nil, email, models.AuditLoginFailed, "user", "", map[string]any{"email": email, "reason": "unknown account"})
		return
	}
	ms, err := h.store.MembershipsOfUser(c.Request().Context(), user.ID)
	if err != nil || len(ms) == 0 {
		h.audit(c, nil, &user.ID, email, models.AuditLoginFailed, "user", fmt.Sprint(user.ID), nil)
		return
	}
	for _, m := range ms {
		org := m.OrganizationID
		h.audit(c, &org, &user.ID, email, models.AuditLoginFailed, "user", fmt.Sprint(user.ID), map[string]any{"reason": "wrong password"})
	}
}

// startSession signs user in to the organization (see session.SignIn).
func (h *AuthHandler) startSession(c echo.Context, user *models.User, orgID int64) error {
	return h.sessions.SignIn(c, user, orgID)
}

// Logout handles POST /logout: the session row is deleted, so the old
// cookie is worthless even if replayed.
func (h *AuthHandler) Logout(c echo.Context) error {
	p := session.From(c)
	if p != nil {
		if err := h.store.DeleteSession(c.Request().Context(), p.TokenHash); err != nil {
			return err
		}
		h.audit(c, &p.Org.ID, &p.User.ID, p.User.Email, models.AuditLogout, "user", fmt.Sprint(p.User.ID), nil)
	}
	h.endCookie(c)
	session.Flash(c, "success", "You are signed out.")
	return web.Redirect(c, web.URLs(c).Login())
}

// LogoutEverywhere handles POST /logout/everywhere.
func (h *AuthHandler) LogoutEverywhere(c echo.Context) error {
	p := session.From(c)
	n, err := h.store.DeleteUserSessions(c.Request().Context(), p.User.ID, "")
	if err != nil {
		return err
	}
	h.audit(c, &p.Org.ID, &p.User.ID, p.User.Email, models.AuditLogoutAll, "user", fmt.Sprint(p.User.ID), map[string]any{"sessions": n})
	h.endCookie(c)
	session.Flash(c, "success", fmt.Sprintf("Signed out of %d sessions.", n))
	return web.Redirect(c, web.URLs(c).Login())
}

func (h *AuthHandler) endCookie(c echo.Context) { session.SignOut(c) }

// audit writes an audit entry; a failure is logged, never shown.
func (h *AuthHandler) audit(c echo.Context, orgID, actorID *int64, actor, action, targetType, targetID string, details map[string]any) {
	writeAudit(c, h.store, h.logger, models.AuditEvent{OrganizationID: orgID, ActorUserID: actorID, Actor: actor,
		Action: action, TargetType: targetType, TargetID: targetID, Details: details})
}

// writeAudit records an event with the request's address and user agent.
func writeAudit(c echo.Context, store *models.Store, logger *slog.Logger, ev models.AuditEvent) {
	ev.IP = c.RealIP()
	ev.UserAgent = c.Request().UserAgent()
	if err := store.WriteAudit(c.Request().Context(), ev); err != nil {
		logger.ErrorContext(c.Request().Context(), "unable to write the audit log", "err", err, "action", ev.Action)
	}
}

func roundUp(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%d seconds", int(d.Seconds()+0.999))
	}
	return fmt.Sprintf("%d minutes", int(d.Minutes()+0.999))
}

// checkPassword finds the account and checks its password, taking as long
// for an unknown email as for a known one. It returns the user (nil when
// unknown) and, when the password is right, its memberships.
func (h *AuthHandler) checkPassword(ctx context.Context, email, password string) (*models.User, []models.Membership, error) {
	user, err := h.store.UserByEmail(ctx, email)
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
	ms, err := h.store.MembershipsOfUser(ctx, user.ID)
	return user, ms, err
}
