package handlers

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

// genericLoginError is the one message for every failed sign-in, so that it
// tells nobody which accounts exist.
const genericLoginError = "That email and password do not match an account."

// AuthHandler signs people in and out and runs the first-run setup, over
// the accounts service; the session manager keeps the cookie.
type AuthHandler struct {
	accounts *accounts.Service
	sessions *session.Manager
}

// NewAuthHandler returns an AuthHandler.
func NewAuthHandler(accts *accounts.Service, sessions *session.Manager) *AuthHandler {
	return &AuthHandler{accounts: accts, sessions: sessions}
}

// LoginQuery is the query of GET /login: the page to go to once signed in
// (a path of this site; see session.SafeNext).
type LoginQuery struct {
	Next string `query:"next"`
}

// LoginPage handles GET /login.
func (h *AuthHandler) LoginPage(c echo.Context) error {
	if session.From(c) != nil {
		return c.Redirect(http.StatusSeeOther, web.URLs(c).Dashboard())
	}
	var q LoginQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	return web.Render(c, http.StatusOK, pages.Login(pages.LoginForm{Next: q.Next}))
}

// Login handles POST /login: failed attempts slow down per account and per
// address (429 with Retry-After), and every failure says the same.
func (h *AuthHandler) Login(c echo.Context) error {
	form := pages.LoginForm{Email: c.FormValue("email"), Next: c.FormValue("next")}
	res, err := h.accounts.SignIn(c.Request().Context(), session.Actor(c), form.Email, c.FormValue("password"))
	if err != nil {
		return err
	}
	form.Email = res.Email
	switch {
	case res.Wait > 0:
		form.Error = fmt.Sprintf("Too many failed attempts. Try again in %s.", accounts.RoundUp(res.Wait))
		c.Response().Header().Set("Retry-After", fmt.Sprint(int(res.Wait.Seconds()+0.999)))
		return web.Render(c, http.StatusTooManyRequests, pages.Login(form))
	case res.User == nil:
		form.Error = genericLoginError
		return web.Render(c, http.StatusUnprocessableEntity, pages.Login(form))
	}
	if err := h.sessions.SignIn(c, res.User, res.OrgID, true); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, session.SafeNext(form.Next))
}

// Logout handles POST /logout: the session row is deleted, so the old
// cookie is worthless even if replayed.
func (h *AuthHandler) Logout(c echo.Context) error {
	if p := session.From(c); p != nil {
		if err := h.accounts.SignOut(c.Request().Context(), session.Actor(c), p.TokenHash); err != nil {
			return err
		}
	}
	session.SignOut(c)
	session.Flash(c, "success", "You are signed out.")
	return web.Redirect(c, web.URLs(c).Login())
}

// LogoutEverywhere handles POST /logout/everywhere.
func (h *AuthHandler) LogoutEverywhere(c echo.Context) error {
	n, err := h.accounts.SignOutEverywhere(c.Request().Context(), session.Actor(c))
	if err != nil {
		return err
	}
	session.SignOut(c)
	session.Flash(c, "success", fmt.Sprintf("Signed out of %d sessions.", n))
	return web.Redirect(c, web.URLs(c).Login())
}
