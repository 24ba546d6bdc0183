package handlers

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/auth"
	"switchboard/models"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

// InvitationLifetime is how long an invitation link can be accepted.
const InvitationLifetime = 7 * 24 * time.Hour

// InvitationHandler serves the page an invitation link opens and its two
// ways to accept: as the signed-in invited account, or as a new account.
type InvitationHandler struct {
	store  *models.Store
	logger *slog.Logger
}

// NewInvitationHandler returns an InvitationHandler.
func NewInvitationHandler(store *models.Store, logger *slog.Logger) *InvitationHandler {
	return &InvitationHandler{store: store, logger: logger}
}

type registerForm struct {
	Name            string `form:"name" validate:"max=200"`
	Password        string `form:"password" validate:"required"`
	PasswordConfirm string `form:"password_confirm" validate:"required,eqfield=Password"`
}

// load finds the live invitation of the link's token; a used, revoked or
// expired one is not found.
func (h *InvitationHandler) load(c echo.Context) (*models.Invitation, error) {
	inv, err := h.store.InvitationByTokenHash(c.Request().Context(), auth.HashToken(c.Param("token")))
	if apperr.IsNotFound(err) {
		return nil, apperr.New(apperr.CodeNotFound, "this invitation link is not valid: it was used, revoked or has expired")
	}
	return inv, err
}

func (h *InvitationHandler) page(c echo.Context, inv *models.Invitation) pages.InvitationPage {
	pg := pages.InvitationPage{Token: c.Param("token"), OrgName: inv.Organization.Name, Role: inv.Role, Email: inv.Email, Name: inv.Name}
	if p := session.From(c); p != nil && p.User != nil {
		pg.SignedInAs = p.User.Email
	}
	return pg
}

// Show handles GET /invitations/:token.
func (h *InvitationHandler) Show(c echo.Context) error {
	inv, err := h.load(c)
	if err != nil {
		return err
	}
	return web.Render(c, http.StatusOK, pages.Invitation(h.page(c, inv)))
}

// Accept handles POST /invitations/:token/accept: the signed-in user whose
// email was invited joins, and works in the organization from now on.
func (h *InvitationHandler) Accept(c echo.Context) error {
	inv, err := h.load(c)
	if err != nil {
		return err
	}
	p := session.From(c)
	if p == nil || p.User == nil || p.User.Email != inv.Email {
		return apperr.New(apperr.CodeForbidden, "sign in as %s to accept this invitation", inv.Email)
	}
	if _, err := h.store.AcceptInvitation(c.Request().Context(), inv, p.User.ID); err != nil {
		return err
	}
	if err := h.store.SetSessionOrganization(c.Request().Context(), p.Session.ID, inv.OrganizationID); err != nil {
		return err
	}
	h.audit(c, inv, p.User)
	session.Flash(c, "success", "You joined "+inv.Organization.Name+" as "+inv.Role+".")
	return web.Redirect(c, web.URLs(c).Dashboard())
}

// Register handles POST /invitations/:token/register: a person without an
// account chooses a password; the account and the membership are created
// together. An existing account must sign in and accept instead.
func (h *InvitationHandler) Register(c echo.Context) error {
	inv, err := h.load(c)
	if err != nil {
		return err
	}
	var f registerForm
	errs, err := web.BindForm(c, &f)
	if err != nil {
		return err
	}
	if errs == nil {
		errs = map[string]string{}
	}
	if msg := auth.CheckPasswordPolicy(f.Password); msg != "" && errs["password"] == "" {
		errs["password"] = msg
	}
	pg := h.page(c, inv)
	pg.Name, pg.Errors = f.Name, errs
	if len(errs) > 0 {
		return web.Render(c, http.StatusUnprocessableEntity, pages.Invitation(pg))
	}
	hash, err := auth.HashPassword(f.Password)
	if err != nil {
		return err
	}
	user, err := h.store.AcceptInvitationAsNewUser(c.Request().Context(), inv, f.Name, hash)
	if e, ok := apperr.As(err); ok && e.Code == apperr.CodeConflict {
		pg.Error = "An account with this email exists already: sign in as " + inv.Email + " and accept."
		return web.Render(c, http.StatusConflict, pages.Invitation(pg))
	}
	if err != nil {
		return err
	}
	h.audit(c, inv, user)
	session.Flash(c, "success", "Your account is ready. Sign in to work in "+inv.Organization.Name+".")
	return web.Redirect(c, web.URLs(c).Login())
}

func (h *InvitationHandler) audit(c echo.Context, inv *models.Invitation, user *models.User) {
	writeAudit(c, h.store, h.logger, models.AuditEvent{OrganizationID: &inv.OrganizationID, ActorUserID: &user.ID, Actor: user.Email,
		Action: models.AuditInvitationAccepted, TargetType: "user", TargetID: fmt.Sprint(user.ID),
		Details: map[string]any{"email": inv.Email, "role": inv.Role, "invitation_id": inv.ID}})
}
