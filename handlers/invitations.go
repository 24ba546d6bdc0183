package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/apperr"
	"switchboard/models"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

// InvitationHandler serves the page an invitation link opens and its two
// ways to accept: as the signed-in invited account, or as a new account.
type InvitationHandler struct {
	accounts *accounts.Service
}

// NewInvitationHandler returns an InvitationHandler.
func NewInvitationHandler(accts *accounts.Service) *InvitationHandler {
	return &InvitationHandler{accounts: accts}
}

type registerForm struct {
	Name            string `form:"name" validate:"max=200"`
	Password        string `form:"password" validate:"required"`
	PasswordConfirm string `form:"password_confirm" validate:"required,eqfield=Password"`
}

func (h *InvitationHandler) load(c echo.Context) (*models.Invitation, error) {
	return h.accounts.Invitation(c.Request().Context(), c.Param("token"))
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
	if err := h.accounts.Accept(c.Request().Context(), session.Actor(c), inv, session.From(c).Signed()); err != nil {
		return err
	}
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
	pg := h.page(c, inv)
	pg.Name = f.Name
	_, err = h.accounts.Register(c.Request().Context(), session.Actor(c), inv, accounts.Registration{Name: f.Name, Password: f.Password, Invalid: errs})
	if pg.Errors = web.Invalid(err); pg.Errors != nil {
		return web.Render(c, http.StatusUnprocessableEntity, pages.Invitation(pg))
	}
	if apperr.Code(err) == apperr.CodeConflict {
		pg.Error = "An account with this email exists already: sign in as " + inv.Email + " and accept."
		return web.Render(c, http.StatusConflict, pages.Invitation(pg))
	}
	if err != nil {
		return err
	}
	session.Flash(c, "success", "Your account is ready. Sign in to work in "+inv.Organization.Name+".")
	return web.Redirect(c, web.URLs(c).Login())
}
