package session

import (
	"context"
	"net/http"
	"time"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/apperr"
	"switchboard/auth"
	"switchboard/secret"
	"switchboard/views"
	"switchboard/web"
)

// Cookie is the name of the session cookie; scripts rely on it, so it does
// not change.
const Cookie = "switchboard_session"

// Lifetime is the absolute lifetime of a signed-in session.
const Lifetime = accounts.SessionLifetime

const (
	keySession = "sb.session"
	valToken   = "token"
	valCSRF    = "csrf"
)

// Manager keeps the session cookie: signed and encrypted with keys derived
// from the secret key; HttpOnly, SameSite=Lax, Secure behind TLS, eight
// hours. The cookie holds the session token (its row is the truth), the
// CSRF token and flashes.
type Manager struct {
	cookies    *sessions.CookieStore
	accounts   *accounts.Service
	keys       *auth.KeyAuthenticator
	demo       bool
	openErrors OpenErrors
}

// OpenErrors counts an organization's open sync errors, for the menu's
// badge (syncer.Manager.OpenErrors).
type OpenErrors func(ctx context.Context, orgID int64) (int, error)

// Config is what a Manager is built from.
type Config struct {
	// MasterKey is the secret key the cookie keys derive from.
	MasterKey []byte
	// Secure marks the cookie Secure (TLS deployments).
	Secure bool
	// Accounts resolves and starts sessions.
	Accounts *accounts.Service
	// Keys authenticates the JSON API's API keys.
	Keys *auth.KeyAuthenticator
	// Demo shows the demo banner on every page.
	Demo bool
	// OpenErrors, when set, puts the open sync errors on the menu.
	OpenErrors OpenErrors
}

// New returns a Manager.
func New(cfg Config) *Manager {
	cs := sessions.NewCookieStore(secret.Derive(cfg.MasterKey, "session-hash", 64), secret.Derive(cfg.MasterKey, "session-block", 32))
	cs.Options = &sessions.Options{
		Path:     "/",
		MaxAge:   int(Lifetime / time.Second),
		HttpOnly: true,
		Secure:   cfg.Secure,
		SameSite: http.SameSiteLaxMode,
	}
	cs.MaxAge(cs.Options.MaxAge)
	return &Manager{cookies: cs, accounts: cfg.Accounts, keys: cfg.Keys, demo: cfg.Demo, openErrors: cfg.OpenErrors}
}

// cookieSession returns the decoded cookie session of the request.
func cookieSession(c echo.Context) *sessions.Session {
	s, _ := c.Get(keySession).(*sessions.Session)
	return s
}

// save writes the cookie session back, when the request has one.
func save(c echo.Context) error {
	s := cookieSession(c)
	if s == nil {
		return nil
	}
	return s.Save(c.Request(), c.Response())
}

// Load decodes the cookie, makes sure it carries a CSRF token, and
// resolves the signed-in user from the sessions table. A cookie whose row is
// gone (logged out, expired, password changed) signs nobody in. Pages know
// only cookie sessions: an Authorization header means nothing here.
func (m *Manager) Load(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		s, dirty, err := m.open(c)
		if err != nil {
			return err
		}
		var flashes []views.Flash
		if req.Method == http.MethodGet && !web.IsPartial(c) {
			if flashes = popFlashes(s); len(flashes) > 0 {
				dirty = true
			}
		}
		if dirty {
			if err := s.Save(req, c.Response()); err != nil {
				return err
			}
		}
		c.SetRequest(req.WithContext(views.WithShell(req.Context(), m.shell(c, flashes))))
		return next(c)
	}
}

// open decodes the session cookie into the context (a bad cookie yields a
// new session), gives it a CSRF token when it has none, and signs in the
// user its token names. It reports whether the cookie changed and must be
// saved.
func (m *Manager) open(c echo.Context) (*sessions.Session, bool, error) {
	s, _ := m.cookies.New(c.Request(), Cookie)
	c.Set(keySession, s)
	dirty := false
	if tok, _ := s.Values[valCSRF].(string); tok == "" {
		s.Values[valCSRF] = auth.NewToken()
		dirty = true
	}
	if tok, _ := s.Values[valToken].(string); tok != "" {
		p, err := m.resolve(c, tok)
		switch {
		case apperr.IsNotFound(err):
			delete(s.Values, valToken)
			dirty = true
		case err != nil:
			return nil, false, err
		default:
			c.Set(keyPrincipal, p)
		}
	}
	return s, dirty, nil
}

// resolve signs in the session of the cookie's token.
func (m *Manager) resolve(c echo.Context, token string) (*Principal, error) {
	sg, err := m.accounts.Resolve(c.Request().Context(), token)
	if err != nil {
		return nil, err
	}
	return &Principal{User: sg.User, Org: sg.Org, Role: sg.Role, Session: sg.Session, TokenHash: sg.TokenHash, Membership: sg.Memberships}, nil
}

// RequireSetup sends every page to /setup while no user exists.
func (m *Manager) RequireSetup(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		done, err := m.accounts.SetupDone(c.Request().Context())
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
