package session

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
)

// APIAuth is the one authentication of /api/: it decides once how the
// caller proves who it is. With an Authorization header, that is an API key
// (Bearer; anything else is a 401) and no CSRF token is asked for, since a
// browser never adds that header on its own. Without one, the admin app's
// session cookie must sign a user in, and its unsafe requests must pass the
// CSRF check. Neither is a 401 problem document, whatever the method.
func (m *Manager) APIAuth(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		var err error
		if c.Request().Header.Get("Authorization") != "" {
			err = m.authenticateKey(c)
		} else {
			err = m.authenticateCookie(c)
		}
		if err != nil {
			return err
		}
		return next(c)
	}
}

// authenticateKey signs the request in as the API key of its Bearer token.
func (m *Manager) authenticateKey(c echo.Context) error {
	req := c.Request()
	token := BearerToken(req)
	if token == "" {
		return apperr.New(apperr.CodeUnauthorized, "use Authorization: Bearer <API key>")
	}
	kp, err := m.keys.Authenticate(req.Context(), token)
	if err != nil {
		return err
	}
	key, org := kp.Key, kp.Org
	c.Set(keyPrincipal, &Principal{APIKey: &key, Org: &org, Role: key.Role})
	return nil
}

// authenticateCookie signs the request in through the admin app's session
// cookie; unsafe methods must also pass the CSRF check.
func (m *Manager) authenticateCookie(c echo.Context) error {
	s, dirty, err := m.open(c)
	if err != nil {
		return err
	}
	if From(c) == nil {
		return apperr.New(apperr.CodeUnauthorized, "an API key is required: send Authorization: Bearer <key>")
	}
	if err := CheckCSRF(c); err != nil {
		return err
	}
	if dirty {
		return s.Save(c.Request(), c.Response())
	}
	return nil
}

// BearerToken returns the token of an Authorization: Bearer header.
func BearerToken(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}
