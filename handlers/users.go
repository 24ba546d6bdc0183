package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/apperr"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

// UserHandler lets owners manage the organization's users, roles and
// invitations, over the accounts service.
type UserHandler struct {
	accounts *accounts.Service
}

// NewUserHandler returns a UserHandler.
func NewUserHandler(accts *accounts.Service) *UserHandler {
	return &UserHandler{accounts: accts}
}

type newUserForm struct {
	Email string `form:"email" validate:"required,email,max=254"`
	Name  string `form:"name" validate:"max=200"`
	Role  string `form:"role" validate:"required,oneof=owner admin staff"`
}

// Index handles GET /users.
func (h *UserHandler) Index(c echo.Context) error {
	return h.renderIndex(c, http.StatusOK, pages.UsersPage{})
}

func (h *UserHandler) renderIndex(c echo.Context, status int, page pages.UsersPage) error {
	p := session.From(c)
	ctx, zone := c.Request().Context(), session.Zone(c)
	ms, err := h.accounts.Members(ctx, p.Org.ID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		page.Rows = append(page.Rows, pages.UserRow{UserID: m.UserID, Email: m.User.Email, Name: m.User.Name,
			Role: m.Role, Self: m.UserID == p.User.ID, Since: m.CreatedAt.Format("2006-01-02")})
	}
	invs, err := h.accounts.Invitations(ctx, p.Org.ID)
	if err != nil {
		return err
	}
	now := h.accounts.Now()
	for _, inv := range invs {
		page.Invitations = append(page.Invitations, pages.InvitationRow{ID: inv.ID, Email: inv.Email, Role: inv.Role,
			Expires: zone.FormatPage(inv.ExpiresAt), Expired: inv.Expired(now)})
	}
	return web.Render(c, status, pages.Users(page))
}

// Create handles POST /users: invites an email to the organization. The
// answer is the same whether or not an account has that email anywhere,
// and nothing is granted until the invited person accepts the link.
func (h *UserHandler) Create(c echo.Context) error {
	ctx := c.Request().Context()
	var f newUserForm
	errs, err := web.BindForm(c, &f)
	if err != nil {
		return err
	}
	form := pages.NewUserForm{Email: f.Email, Name: f.Name, Role: f.Role, Errors: errs}
	if errs == nil {
		if member, err := h.accounts.IsMember(ctx, session.OrgID(c), f.Email); err == nil && member {
			form.Errors = map[string]string{"email": "is already a member of this organization"}
		}
	}
	if form.Errors != nil {
		return h.renderIndex(c, http.StatusUnprocessableEntity, pages.UsersPage{Form: form})
	}
	inv, token, err := h.accounts.Invite(ctx, session.Actor(c), f.Email, f.Name, f.Role)
	if err != nil {
		return err
	}
	return h.renderIndex(c, http.StatusOK, pages.UsersPage{InvitedEmail: inv.Email, InviteLink: web.BaseURL(c) + web.URLs(c).Invitation(token),
		InviteExpiry: session.Zone(c).FormatPage(inv.ExpiresAt)})
}

// RevokeInvitation handles POST /users/invitations/:id/revoke.
func (h *UserHandler) RevokeInvitation(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	inv, err := h.accounts.RevokeInvitation(c.Request().Context(), session.Actor(c), id)
	if err != nil {
		return err
	}
	session.Flash(c, "success", "The invitation to "+inv.Email+" was revoked; its link no longer works.")
	return web.Redirect(c, web.URLs(c).Users())
}

// SetRole handles POST /users/:id/role.
func (h *UserHandler) SetRole(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	role := c.FormValue("role")
	before, err := h.accounts.SetRole(c.Request().Context(), session.Actor(c), id, role)
	if before == nil || err != nil {
		return h.flashOr(c, err)
	}
	session.Flash(c, "success", before.User.Email+" is now "+role+".")
	return web.Redirect(c, web.URLs(c).Users())
}

// Remove handles POST /users/:id/remove.
func (h *UserHandler) Remove(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	before, err := h.accounts.RemoveMember(c.Request().Context(), session.Actor(c), id)
	if before == nil || err != nil {
		return h.flashOr(c, err)
	}
	session.Flash(c, "success", before.User.Email+" no longer has access.")
	return web.Redirect(c, web.URLs(c).Users())
}

// flashOr shows conflicts and validation problems as a flash on the list;
// anything else is a real error.
func (h *UserHandler) flashOr(c echo.Context, err error) error {
	if e, ok := apperr.As(err); ok && (e.Code == apperr.CodeConflict || e.Code == apperr.CodeValidationFailed) {
		msg := e.Message
		if len(e.Fields) > 0 {
			msg = e.Fields[0].Field + " " + e.Fields[0].Message
		}
		session.Flash(c, "error", msg)
		return web.Redirect(c, web.URLs(c).Users())
	}
	return err
}
