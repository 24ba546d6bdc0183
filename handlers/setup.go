package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/views/components"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

type setupForm struct {
	OrgName         string `form:"org_name" validate:"required,max=200"`
	Name            string `form:"name" validate:"max=200"`
	Email           string `form:"email" validate:"required,email,max=254"`
	Password        string `form:"password" validate:"required"`
	PasswordConfirm string `form:"password_confirm" validate:"required,eqfield=Password"`
	TimeZone        string `form:"time_zone" validate:"required,max=64"`
}

// SetupPage handles GET /setup: the one-time first-run form; 404 afterwards.
func (h *AuthHandler) SetupPage(c echo.Context) error {
	done, err := h.accounts.SetupDone(c.Request().Context())
	if err != nil {
		return err
	}
	if done {
		return echo.ErrNotFound
	}
	return web.Render(c, http.StatusOK, pages.Setup(pages.SetupForm{Zones: components.ZoneOptions("", time.Now())}))
}

// Setup handles POST /setup: creates the first organization and its owner,
// then signs the owner in.
func (h *AuthHandler) Setup(c echo.Context) error {
	ctx := c.Request().Context()
	if done, err := h.accounts.SetupDone(ctx); err != nil {
		return err
	} else if done {
		return echo.ErrNotFound
	}
	var f setupForm
	errs, err := web.BindForm(c, &f)
	if err != nil {
		return err
	}
	org, user, err := h.accounts.Setup(ctx, session.Actor(c), accounts.FirstRun{OrgName: f.OrgName, Name: f.Name, Email: f.Email,
		Password: f.Password, TimeZone: f.TimeZone, Invalid: errs})
	if errs := web.Invalid(err); errs != nil {
		return web.Render(c, http.StatusUnprocessableEntity, pages.Setup(pages.SetupForm{OrgName: f.OrgName, Email: f.Email, Name: f.Name,
			TimeZone: f.TimeZone, Zones: components.ZoneOptions(f.TimeZone, time.Now()), Errors: errs}))
	}
	if err != nil {
		return err
	}
	if err := h.sessions.SignIn(c, user, org.ID, false); err != nil {
		return err
	}
	session.Flash(c, "success", "Welcome! "+org.Name+" is ready. Add an integration to get started.")
	return c.Redirect(http.StatusSeeOther, web.URLs(c).Dashboard())
}
