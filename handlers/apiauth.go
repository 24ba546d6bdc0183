package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/auth"
)

// apiAuth is the one authentication of /api/: it decides once how the
// caller proves who it is. With an Authorization header, that is an API key
// (Bearer; anything else is a 401) and no CSRF token is asked for, since a
// browser never adds that header on its own. Without one, the admin app's
// session cookie must sign a user in, and its unsafe requests must pass the
// CSRF check. Neither is a 401 problem document, whatever the method.
func (h *AuthHandler) apiAuth(keys *auth.KeyAuthenticator) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			var err error
			if c.Request().Header.Get("Authorization") != "" {
				err = authenticateKey(c, keys)
			} else {
				err = h.authenticateCookie(c)
			}
			if err != nil {
				return err
			}
			return next(c)
		}
	}
}

// authenticateKey signs the request in as the API key of its Bearer token.
func authenticateKey(c echo.Context, keys *auth.KeyAuthenticator) error {
	req := c.Request()
	token := bearerToken(req)
	if token == "" {
		return apperr.New(apperr.CodeUnauthorized, "use Authorization: Bearer <API key>")
	}
	kp, err := keys.Authenticate(req.Context(), token)
	if err != nil {
		return err
	}
	key, org := kp.Key, kp.Org
	c.Set(keyPrincipal, &principal{APIKey: &key, Org: &org, Role: key.Role})
	return nil
}

// authenticateCookie signs the request in through the admin app's session
// cookie; unsafe methods must also pass the CSRF check.
func (h *AuthHandler) authenticateCookie(c echo.Context) error {
	s, dirty, err := h.openSession(c)
	if err != nil {
		return err
	}
	if currentPrincipal(c) == nil {
		return apperr.New(apperr.CodeUnauthorized, "an API key is required: send Authorization: Bearer <key>")
	}
	if err := checkCSRF(c); err != nil {
		return err
	}
	if dirty {
		return s.Save(c.Request(), c.Response())
	}
	return nil
}

// requireAPIAdmin lets through admin keys and owner/admin sessions.
func requireAPIAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		p := currentPrincipal(c)
		if p == nil || roleRank(p.Role) < roleRank("admin") {
			return apperr.New(apperr.CodeForbidden, "this needs an admin API key or an owner or admin session")
		}
		return next(c)
	}
}

// requireExecutor guards the execution API (list, status, execute,
// functions): it is for agents, so any API key passes, and among people
// only owners and admins, who set integrations up and try them. A staff
// session may not run upstream functions, writes included, nor read sync
// settings and credential test results.
func requireExecutor(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		p := currentPrincipal(c)
		if p == nil || (!p.IsKey() && roleRank(p.Role) < roleRank("admin")) {
			return apperr.New(apperr.CodeForbidden, "the execution API needs an API key or an owner or admin session")
		}
		return next(c)
	}
}

// MeAnswer is the answer of GET /api/me: the caller's organization and
// role, and the key or the user it came with.
type MeAnswer struct {
	Organization MeOrganization `json:"organization"`
	Role         string         `json:"role"`
	APIKey       *MeKey         `json:"api_key,omitempty"`
	User         *MeUser        `json:"user,omitempty"`
}

// MeOrganization is the caller's organization.
type MeOrganization struct {
	ID   int64  `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// MeKey is the API key a call came with (never its secret).
type MeKey struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Prefix string `json:"prefix"`
}

// MeUser is the signed-in user a call came with.
type MeUser struct {
	ID    int64  `json:"id"`
	Email string `json:"email"`
}

// Me handles GET /api/me: who the caller is, so an agent developer can
// check a key.
func Me(c echo.Context) error {
	p := currentPrincipal(c)
	out := MeAnswer{Organization: MeOrganization{ID: p.Org.ID, Slug: p.Org.Slug, Name: p.Org.Name}, Role: p.Role}
	if p.APIKey != nil {
		out.APIKey = &MeKey{ID: p.APIKey.ID, Name: p.APIKey.Name, Prefix: p.APIKey.Prefix}
	} else {
		out.User = &MeUser{ID: p.User.ID, Email: p.User.Email}
	}
	return c.JSON(http.StatusOK, out)
}
