package session

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/models"
	"switchboard/web"
)

// RequireUser sends visitors who are not signed in to the login page (or
// answers 401 to API clients).
func RequireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if From(c) != nil {
			return next(c)
		}
		if web.WantsProblem(c) {
			return apperr.New(apperr.CodeUnauthorized, "sign in first")
		}
		u := web.URLs(c)
		target := u.Login()
		if c.Request().Method == http.MethodGet && c.Request().URL.Path != u.Dashboard() {
			target += "?next=" + url.QueryEscape(c.Request().URL.RequestURI())
		}
		return web.Redirect(c, target)
	}
}

// RequireRole refuses principals below the given role with 403.
func RequireRole(min string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			p := From(c)
			if p == nil {
				return apperr.New(apperr.CodeUnauthorized, "sign in first")
			}
			if RoleRank(p.Role) < RoleRank(min) {
				return apperr.New(apperr.CodeForbidden, "your role (%s) may not open this; ask an %s of %s", p.Role, min, p.Org.Name)
			}
			return next(c)
		}
	}
}

// RequireAPIAdmin lets through admin keys and owner/admin sessions.
func RequireAPIAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		p := From(c)
		if p == nil || RoleRank(p.Role) < RoleRank(models.RoleAdmin) {
			return apperr.New(apperr.CodeForbidden, "this needs an admin API key or an owner or admin session")
		}
		return next(c)
	}
}

// RequireExecutor guards the execution API (list, status, execute,
// functions): it is for agents, so any API key passes, and among people
// only owners and admins, who set integrations up and try them. A staff
// session may not run upstream functions, writes included, nor read sync
// settings and credential test results.
func RequireExecutor(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		p := From(c)
		if p == nil || (!p.IsKey() && RoleRank(p.Role) < RoleRank(models.RoleAdmin)) {
			return apperr.New(apperr.CodeForbidden, "the execution API needs an API key or an owner or admin session")
		}
		return next(c)
	}
}
