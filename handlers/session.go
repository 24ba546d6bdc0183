package handlers

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/auth"
	"switchboard/models"
	"switchboard/secret"
	"switchboard/views"
)

// SessionCookie is the name of the session cookie; scripts rely on it, so
// it does not change.
const SessionCookie = "switchboard_session"

// SessionLifetime is the absolute lifetime of a signed-in session.
const SessionLifetime = 8 * time.Hour

const (
	keySession   = "sb.session"
	keyPrincipal = "sb.principal"
	valToken     = "token"
	valCSRF      = "csrf"
	valFlashes   = "flashes"
	flashSep     = "\x1e"
)

// principal is who is making the request: a signed-in user acting in one
// organization, or an API key.
type principal struct {
	User       *models.User
	Org        *models.Organization
	Role       string
	Session    *models.Session
	TokenHash  string
	APIKey     *models.APIKey
	Membership []models.Membership
}

// IsKey reports whether the request is authenticated by an API key.
func (p *principal) IsKey() bool { return p.APIKey != nil }

// Actor names the principal in the audit log.
func (p *principal) Actor() string {
	if p.APIKey != nil {
		return "api key " + p.APIKey.Name + " (" + p.APIKey.Prefix + "…)"
	}
	return p.User.Email
}

// ActorID is the user id for the audit log, if a user.
func (p *principal) ActorID() *int64 {
	if p.User == nil {
		return nil
	}
	return &p.User.ID
}

// roleRank orders roles so that a check can say "at least admin".
func roleRank(role string) int {
	switch role {
	case models.RoleOwner:
		return 3
	case models.RoleAdmin: // also models.KeyRoleAdmin
		return 2
	case models.RoleStaff, models.KeyRoleAgent:
		return 1
	}
	return 0
}

// sessionManager keeps the session cookie: signed and encrypted with keys
// derived from the secret key; HttpOnly, SameSite=Lax, Secure behind TLS,
// eight hours. The cookie holds the session token (its row is the truth),
// the CSRF token and flashes.
type sessionManager struct {
	store *sessions.CookieStore
}

func newSessionManager(masterKey []byte, secure bool) *sessionManager {
	cs := sessions.NewCookieStore(secret.Derive(masterKey, "session-hash", 64), secret.Derive(masterKey, "session-block", 32))
	cs.Options = &sessions.Options{
		Path:     "/",
		MaxAge:   int(SessionLifetime / time.Second),
		HttpOnly: true,
		Secure:   secure,
		SameSite: http.SameSiteLaxMode,
	}
	cs.MaxAge(cs.Options.MaxAge)
	return &sessionManager{store: cs}
}

// cookieSession returns the decoded cookie session of the request.
func cookieSession(c echo.Context) *sessions.Session {
	s, _ := c.Get(keySession).(*sessions.Session)
	return s
}

// currentPrincipal returns who is signed in, or nil.
func currentPrincipal(c echo.Context) *principal {
	p, _ := c.Get(keyPrincipal).(*principal)
	return p
}

func saveSession(c echo.Context) error {
	s := cookieSession(c)
	if s == nil {
		return nil
	}
	return s.Save(c.Request(), c.Response())
}

// addFlash queues a message for the next page and saves the cookie.
func addFlash(c echo.Context, kind, msg string) {
	s := cookieSession(c)
	if s == nil {
		return
	}
	prev, _ := s.Values[valFlashes].(string)
	entry := kind + ":" + msg
	if prev != "" {
		entry = prev + flashSep + entry
	}
	s.Values[valFlashes] = entry
	_ = saveSession(c)
}

func popFlashes(s *sessions.Session) []views.Flash {
	raw, _ := s.Values[valFlashes].(string)
	if raw == "" {
		return nil
	}
	delete(s.Values, valFlashes)
	var out []views.Flash
	for _, e := range strings.Split(raw, flashSep) {
		kind, msg, _ := strings.Cut(e, ":")
		out = append(out, views.Flash{Kind: kind, Message: msg})
	}
	return out
}

// loadSession decodes the cookie, makes sure it carries a CSRF token, and
// resolves the signed-in user from the sessions table. A cookie whose row is
// gone (logged out, expired, password changed) signs nobody in. Pages know
// only cookie sessions: an Authorization header means nothing here.
func (h *AuthHandler) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		s, dirty, err := h.openSession(c)
		if err != nil {
			return err
		}
		var flashes []views.Flash
		if req.Method == http.MethodGet && !isPartial(c) {
			if flashes = popFlashes(s); len(flashes) > 0 {
				dirty = true
			}
		}
		if dirty {
			if err := s.Save(req, c.Response()); err != nil {
				return err
			}
		}
		c.SetRequest(req.WithContext(views.WithShell(req.Context(), h.shell(c, flashes))))
		return next(c)
	}
}

// openSession decodes the session cookie into the context (a bad cookie
// yields a new session), gives it a CSRF token when it has none, and signs
// in the user its token names. It reports whether the cookie changed and
// must be saved.
func (h *AuthHandler) openSession(c echo.Context) (*sessions.Session, bool, error) {
	s, _ := h.sessions.store.New(c.Request(), SessionCookie)
	c.Set(keySession, s)
	dirty := false
	if tok, _ := s.Values[valCSRF].(string); tok == "" {
		s.Values[valCSRF] = auth.NewToken()
		dirty = true
	}
	if tok, _ := s.Values[valToken].(string); tok != "" {
		p, err := h.resolve(c, tok)
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

// resolve loads the session row, the user and the membership.
func (h *AuthHandler) resolve(c echo.Context, token string) (*principal, error) {
	ctx := c.Request().Context()
	hash := auth.HashToken(token)
	sess, err := h.store.SessionByTokenHash(ctx, hash)
	if err != nil {
		return nil, err
	}
	user, err := h.store.UserByID(ctx, sess.UserID)
	if err != nil {
		return nil, err
	}
	ms, err := h.store.MembershipsOfUser(ctx, user.ID)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if m.OrganizationID == sess.OrganizationID {
			return &principal{User: user, Org: m.Organization, Role: m.Role, Session: sess, TokenHash: hash, Membership: ms}, nil
		}
	}
	return nil, apperr.NotFound("membership") // removed from the organization
}

// csrfProtect guards the pages' state-changing requests with checkCSRF.
// Webhooks are signed and carry no cookie authority, so they are exempt.
func csrfProtect(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if strings.HasPrefix(c.Request().URL.Path, "/webhooks/") {
			return next(c)
		}
		if err := checkCSRF(c); err != nil {
			return err
		}
		return next(c)
	}
}

// checkCSRF refuses state-changing cookie requests that do not prove they
// come from our own pages: a cross-site Sec-Fetch-Site or a foreign Origin
// is refused outright, and the token from X-CSRF-Token or the _csrf form
// field must match the one in the session cookie. Safe methods pass.
func checkCSRF(c echo.Context) error {
	req := c.Request()
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	csrfErr := apperr.New(codeCSRFFailed, "the request failed the CSRF check: reload the page and try again")
	if site := req.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		return csrfErr
	}
	if origin := req.Header.Get("Origin"); origin != "" && origin != "null" {
		u, err := url.Parse(origin)
		if err != nil || u.Host != req.Host {
			return csrfErr
		}
	}
	var want string
	if s := cookieSession(c); s != nil {
		want, _ = s.Values[valCSRF].(string)
	}
	// Never from the query string: a token in a URL leaks through logs,
	// history and Referer.
	got := req.Header.Get("X-CSRF-Token")
	if got == "" {
		got = req.PostFormValue("_csrf")
	}
	if want == "" || got == "" || subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
		return csrfErr
	}
	return nil
}

// requireUser sends visitors who are not signed in to the login page (or
// answers 401 to API clients).
func requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if currentPrincipal(c) != nil {
			return next(c)
		}
		if wantsProblem(c) {
			return apperr.New(apperr.CodeUnauthorized, "sign in first")
		}
		u := routes(c)
		target := u.Login()
		if c.Request().Method == http.MethodGet && c.Request().URL.Path != u.Dashboard() {
			target += "?next=" + url.QueryEscape(c.Request().URL.RequestURI())
		}
		return redirect(c, target)
	}
}

// requireRole refuses principals below the given role with 403.
func requireRole(min string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			p := currentPrincipal(c)
			if p == nil {
				return apperr.New(apperr.CodeUnauthorized, "sign in first")
			}
			if roleRank(p.Role) < roleRank(min) {
				return apperr.New(apperr.CodeForbidden, "your role (%s) may not open this; ask an %s of %s", p.Role, min, p.Org.Name)
			}
			return next(c)
		}
	}
}

// bearerToken returns the token of an Authorization: Bearer header.
func bearerToken(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

// safeNext accepts only a clean path of this site as the post-login
// destination: one leading slash (not "//" or "/\", which browsers read as
// another host), no backslash or control character anywhere (browsers drop
// tabs and newlines, turning "/\t/host" into "//host"), and no scheme or
// host once parsed. Anything else goes to the dashboard.
func safeNext(next string) string {
	if len(next) < 1 || next[0] != '/' || strings.HasPrefix(next, "//") || !utf8.ValidString(next) {
		return "/"
	}
	for _, r := range next {
		if r == '\\' || unicode.IsControl(r) || unicode.IsSpace(r) {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" || u.User != nil ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return next
}
