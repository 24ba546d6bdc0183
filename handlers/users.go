package handlers

import (
	"fmt"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/auth"
	"switchboard/models"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

// UserHandler lets owners manage the organization's users and roles.
type UserHandler struct {
	store  *models.Store
	logger *slog.Logger
}

// NewUserHandler returns a UserHandler.
func NewUserHandler(store *models.Store, logger *slog.Logger) *UserHandler {
	return &UserHandler{store: store, logger: logger}
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
	ctx := c.Request().Context()
	t := h.store.Tenant(p.Org.ID)
	ms, err := t.Members(ctx)
	if err != nil {
		return err
	}
	for _, m := range ms {
		page.Rows = append(page.Rows, pages.UserRow{UserID: m.UserID, Email: m.User.Email, Name: m.User.Name,
			Role: m.Role, Self: m.UserID == p.User.ID, Since: m.CreatedAt.Format("2006-01-02")})
	}
	invs, err := t.Invitations(ctx)
	if err != nil {
		return err
	}
	now := h.store.Now()
	for _, inv := range invs {
		page.Invitations = append(page.Invitations, pages.InvitationRow{ID: inv.ID, Email: inv.Email, Role: inv.Role,
			Expires: session.Zone(c).FormatPage(inv.ExpiresAt), Expired: inv.Expired(now)})
	}
	return web.Render(c, status, pages.Users(page))
}

// Create handles POST /users: invites an email to the organization. The
// answer is the same whether or not an account has that email anywhere,
// and nothing is granted until the invited person accepts the link.
func (h *UserHandler) Create(c echo.Context) error {
	p := session.From(c)
	ctx := c.Request().Context()
	var f newUserForm
	errs, err := web.BindForm(c, &f)
	if err != nil {
		return err
	}
	form := pages.NewUserForm{Email: f.Email, Name: f.Name, Role: f.Role, Errors: errs}
	if errs == nil && h.isMember(c, f.Email) {
		form.Errors = map[string]string{"email": "is already a member of this organization"}
	}
	if form.Errors != nil {
		return h.renderIndex(c, http.StatusUnprocessableEntity, pages.UsersPage{Form: form})
	}
	token := auth.NewToken()
	inv := &models.Invitation{Email: f.Email, Name: f.Name, Role: f.Role, TokenHash: auth.HashToken(token),
		InvitedBy: p.ActorID(), ExpiresAt: h.store.Now().Add(InvitationLifetime)}
	if err := h.store.Tenant(p.Org.ID).Invite(ctx, inv); err != nil {
		return err
	}
	writeAudit(c, h.store, h.logger, models.AuditEvent{OrganizationID: &p.Org.ID, ActorUserID: p.ActorID(), Actor: p.Actor(),
		Action: models.AuditInvitationSent, TargetType: "invitation", TargetID: fmt.Sprint(inv.ID),
		Details: map[string]any{"email": inv.Email, "role": inv.Role}})
	link := c.Scheme() + "://" + c.Request().Host + web.URLs(c).Invitation(token)
	return h.renderIndex(c, http.StatusOK, pages.UsersPage{InvitedEmail: inv.Email, InviteLink: link,
		InviteExpiry: session.Zone(c).FormatPage(inv.ExpiresAt)})
}

// isMember reports whether the email belongs to a member of the caller's
// organization (which the owner sees in the list anyway).
func (h *UserHandler) isMember(c echo.Context, email string) bool {
	ms, err := h.store.Tenant(session.From(c).Org.ID).Members(c.Request().Context())
	if err != nil {
		return false
	}
	for _, m := range ms {
		if m.User.Email == models.NormalizeEmail(email) {
			return true
		}
	}
	return false
}

// RevokeInvitation handles POST /users/invitations/:id/revoke.
func (h *UserHandler) RevokeInvitation(c echo.Context) error {
	p := session.From(c)
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	inv, err := h.store.Tenant(p.Org.ID).RevokeInvitation(c.Request().Context(), id)
	if err != nil {
		return err
	}
	writeAudit(c, h.store, h.logger, models.AuditEvent{OrganizationID: &p.Org.ID, ActorUserID: p.ActorID(), Actor: p.Actor(),
		Action: models.AuditInvitationRevoked, TargetType: "invitation", TargetID: fmt.Sprint(inv.ID),
		Details: map[string]any{"email": inv.Email, "role": inv.Role}})
	session.Flash(c, "success", "The invitation to "+inv.Email+" was revoked; its link no longer works.")
	return web.Redirect(c, web.URLs(c).Users())
}

// SetRole handles POST /users/:id/role.
func (h *UserHandler) SetRole(c echo.Context) error {
	p := session.From(c)
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	role := c.FormValue("role")
	t := h.store.Tenant(p.Org.ID)
	before, err := t.Member(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if err := t.SetRole(c.Request().Context(), id, role); err != nil {
		return h.flashOr(c, err)
	}
	writeAudit(c, h.store, h.logger, models.AuditEvent{OrganizationID: &p.Org.ID, ActorUserID: p.ActorID(), Actor: p.Actor(),
		Action: models.AuditRoleChanged, TargetType: "user", TargetID: fmt.Sprint(id),
		Details: map[string]any{"email": before.User.Email, "from": before.Role, "to": role}})
	session.Flash(c, "success", before.User.Email+" is now "+role+".")
	return web.Redirect(c, web.URLs(c).Users())
}

// Remove handles POST /users/:id/remove.
func (h *UserHandler) Remove(c echo.Context) error {
	p := session.From(c)
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	t := h.store.Tenant(p.Org.ID)
	before, err := t.Member(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if err := t.RemoveMember(c.Request().Context(), id); err != nil {
		return h.flashOr(c, err)
	}
	writeAudit(c, h.store, h.logger, models.AuditEvent{OrganizationID: &p.Org.ID, ActorUserID: p.ActorID(), Actor: p.Actor(),
		Action: models.AuditUserRemoved, TargetType: "user", TargetID: fmt.Sprint(id),
		Details: map[string]any{"email": before.User.Email, "role": before.Role}})
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

// pathID parses a numeric path parameter; anything else is not found.
func pathID(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.NotFound("record")
	}
	return id, nil
}
