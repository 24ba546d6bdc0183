package session

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/auth"
	"switchboard/models"
)

// SignIn issues a brand-new session (new token, new CSRF token) for user
// in the organization, so that a session id planted before login is
// worthless afterwards: the row of the cookie's old token, if any, is
// deleted. audit records it as a sign-in.
func (m *Manager) SignIn(c echo.Context, user *models.User, orgID int64, audit bool) error {
	s := cookieSession(c)
	old, _ := s.Values[valToken].(string)
	token, err := m.accounts.StartSession(c.Request().Context(), accounts.NewSession{User: user, OrgID: orgID, Replaces: old,
		IP: c.RealIP(), UserAgent: c.Request().UserAgent(), Audit: audit})
	if err != nil {
		return err
	}
	clear(s.Values)
	s.Values[valToken] = token
	s.Values[valCSRF] = auth.NewToken()
	return save(c)
}

// SignOut empties the cookie session (a fresh CSRF token aside); the
// caller has ended the session's row.
func SignOut(c echo.Context) {
	s := cookieSession(c)
	clear(s.Values)
	s.Values[valCSRF] = auth.NewToken()
}

// SafeNext accepts only a clean path of this site as the post-login
// destination: one leading slash (not "//" or "/\", which browsers read as
// another host), no backslash or control character anywhere (browsers drop
// tabs and newlines, turning "/\t/host" into "//host"), and no scheme or
// host once parsed. Anything else goes to the dashboard.
func SafeNext(next string) string {
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
