package handlers

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"switchboard/auth"
	"switchboard/models"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

// ProfileHandler lets a user change their own password.
type ProfileHandler struct {
	store  *models.Store
	logger *slog.Logger
}

// NewProfileHandler returns a ProfileHandler.
func NewProfileHandler(store *models.Store, logger *slog.Logger) *ProfileHandler {
	return &ProfileHandler{store: store, logger: logger}
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
	ctx := c.Request().Context()
	var f passwordForm
	errs, err := web.BindForm(c, &f)
	if err != nil {
		return err
	}
	if errs == nil {
		errs = map[string]string{}
	}
	if f.Current != "" && auth.VerifyPassword(p.User.PasswordHash, f.Current) != nil {
		errs["current_password"] = "is not your current password"
	}
	if msg := auth.CheckPasswordPolicy(f.New); msg != "" && errs["new_password"] == "" {
		errs["new_password"] = msg
	}
	if len(errs) > 0 {
		return web.Render(c, http.StatusUnprocessableEntity, pages.Profile(pages.ProfilePage{Email: p.User.Email, Name: p.User.Name, Errors: errs}))
	}
	hash, err := auth.HashPassword(f.New)
	if err != nil {
		return err
	}
	if err := h.store.SetPassword(ctx, p.User.ID, hash); err != nil {
		return err
	}
	ended, err := h.store.DeleteUserSessions(ctx, p.User.ID, p.TokenHash)
	if err != nil {
		return err
	}
	writeAudit(c, h.store, h.logger, models.AuditEvent{OrganizationID: &p.Org.ID, ActorUserID: p.ActorID(), Actor: p.Actor(),
		Action: models.AuditPasswordChange, TargetType: "user", TargetID: fmt.Sprint(p.User.ID),
		Details: map[string]any{"other_sessions_ended": ended}})
	session.Flash(c, "success", "Your password was changed. Your other sessions were signed out.")
	return web.Redirect(c, web.URLs(c).Profile())
}
