package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

// ProfileHandler lets a user change their own password.
type ProfileHandler struct {
	accounts *accounts.Service
}

// NewProfileHandler returns a ProfileHandler.
func NewProfileHandler(accts *accounts.Service) *ProfileHandler {
	return &ProfileHandler{accounts: accts}
}

type passwordForm struct {
	Current string `form:"current_password" validate:"required"`
	New     string `form:"new_password" validate:"required"`
	Confirm string `form:"new_password_confirm" validate:"required,eqfield=New"`
}

// Show handles GET /profile.
func (h *ProfileHandler) Show(c echo.Context) error {
	p := session.From(c)
	return web.Render(c, http.StatusOK, pages.Profile(pages.ProfilePage{Email: p.User.Email, Name: p.User.Name}))
}

// ChangePassword handles POST /profile/password. Every other session of the
// user ends; this one stays.
func (h *ProfileHandler) ChangePassword(c echo.Context) error {
	p := session.From(c)
	var f passwordForm
	errs, err := web.BindForm(c, &f)
	if err != nil {
		return err
	}
	err = h.accounts.ChangePassword(c.Request().Context(), session.Actor(c),
		accounts.PasswordChange{User: p.User, Current: f.Current, New: f.New, Keep: p.TokenHash, Invalid: errs})
	if errs := web.Invalid(err); errs != nil {
		return web.Render(c, http.StatusUnprocessableEntity, pages.Profile(pages.ProfilePage{Email: p.User.Email, Name: p.User.Name, Errors: errs}))
	}
	if err != nil {
		return err
	}
	session.Flash(c, "success", "Your password was changed. Your other sessions were signed out.")
	return web.Redirect(c, web.URLs(c).Profile())
}
