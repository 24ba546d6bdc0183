package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

// ResetLink handles POST /users/:id/reset-link: a one-time password-reset
// link for the user, shown once on the users page.
func (h *UserHandler) ResetLink(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	token, user, err := h.accounts.IssuePasswordReset(c.Request().Context(), session.Actor(c), id)
	if err != nil {
		return h.flashOr(c, err)
	}
	return h.renderIndex(c, http.StatusOK, pages.UsersPage{ResetEmail: user.Email, ResetLink: web.BaseURL(c) + web.URLs(c).PasswordReset(token)})
}

// ResetShow handles GET /password-reset/:token.
func (h *UserHandler) ResetShow(c echo.Context) error {
	token := c.Param("token")
	_, user, err := h.accounts.PasswordReset(c.Request().Context(), token)
	if e, ok := apperr.As(err); ok && e.Code == apperr.CodeNotFound {
		return web.Render(c, http.StatusNotFound, pages.PasswordReset(pages.PasswordResetPage{Invalid: e.Message}))
	}
	if err != nil {
		return err
	}
	return web.Render(c, http.StatusOK, pages.PasswordReset(pages.PasswordResetPage{Token: token, Email: user.Email}))
}

// ResetSave handles POST /password-reset/:token: sets the password, then
// sends the person to sign in.
func (h *UserHandler) ResetSave(c echo.Context) error {
	token := c.Param("token")
	err := h.accounts.ResetPassword(c.Request().Context(), session.Actor(c), token, c.FormValue("password"), nil)
	if e, ok := apperr.As(err); ok {
		switch e.Code {
		case apperr.CodeNotFound:
			return web.Render(c, http.StatusNotFound, pages.PasswordReset(pages.PasswordResetPage{Invalid: e.Message}))
		case apperr.CodeValidationFailed:
			_, user, _ := h.accounts.PasswordReset(c.Request().Context(), token)
			page := pages.PasswordResetPage{Token: token, Errors: web.FieldMap(e.Fields)}
			if user != nil {
				page.Email = user.Email
			}
			return web.Render(c, http.StatusUnprocessableEntity, pages.PasswordReset(page))
		}
	}
	if err != nil {
		return err
	}
	session.Flash(c, "success", "Password set. Sign in with it.")
	return web.Redirect(c, web.URLs(c).Login())
}
