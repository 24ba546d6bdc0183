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
	p := currentPrincipal(c)
	ms, err := h.store.Tenant(p.Org.ID).Members(c.Request().Context())
	if err != nil {
		return err
	}
	for _, m := range ms {
		page.Rows = append(page.Rows, pages.UserRow{UserID: m.UserID, Email: m.User.Email, Name: m.User.Name,
			Role: m.Role, Self: m.UserID == p.User.ID, Since: m.CreatedAt.Format("2006-01-02")})
	}
	return render(c, status, pages.Users(page))
}

// Create handles POST /users: adds an existing account to the organization,
// or creates one with a temporary password shown once.
func (h *UserHandler) Create(c echo.Context) error {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	var f newUserForm
	errs, err := bindForm(c, &f)
	if err != nil {
		return err
	}
	form := pages.NewUserForm{Email: f.Email, Name: f.Name, Role: f.Role, Errors: errs}
	if errs != nil {
		return h.renderIndex(c, http.StatusUnprocessableEntity, pages.UsersPage{Form: form})
	}
	var temp string
	var user *models.User
	err = h.store.InTx(ctx, func(tx *models.Store) error {
		existing, err := tx.UserByEmail(ctx, f.Email)
		switch {
		case err == nil:
			user = existing
		case apperr.IsNotFound(err):
			temp = auth.RandomPassword()
			hash, err := auth.HashPassword(temp)
			if err != nil {
				return err
			}
			if user, err = tx.CreateUser(ctx, f.Email, f.Name, hash); err != nil {
				return err
			}
		default:
			return err
		}
		_, err = tx.Tenant(p.Org.ID).AddMember(ctx, user.ID, f.Role)
		return err
	})
	if e, ok := apperr.As(err); ok && e.Code == apperr.CodeConflict {
		form.Errors = map[string]string{"email": "is already a member of this organization"}
		return h.renderIndex(c, http.StatusUnprocessableEntity, pages.UsersPage{Form: form})
	}
	if err != nil {
		return err
	}
	writeAudit(c, h.store, h.logger, models.AuditEvent{OrganizationID: &p.Org.ID, ActorUserID: p.ActorID(), Actor: p.Actor(),
		Action: models.AuditUserAdded, TargetType: "user", TargetID: fmt.Sprint(user.ID),
		Details: map[string]any{"email": user.Email, "role": f.Role, "new_account": temp != ""}})
	if temp == "" {
		addFlash(c, "success", user.Email+" now has access as "+f.Role+".")
		return redirect(c, "/users")
	}
	return h.renderIndex(c, http.StatusOK, pages.UsersPage{TempPassword: temp, TempEmail: user.Email})
}

// SetRole handles POST /users/:id/role.
func (h *UserHandler) SetRole(c echo.Context) error {
	p := currentPrincipal(c)
	id, err := pathID(c, "id")
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
	addFlash(c, "success", before.User.Email+" is now "+role+".")
	return redirect(c, "/users")
}

// Remove handles POST /users/:id/remove.
func (h *UserHandler) Remove(c echo.Context) error {
	p := currentPrincipal(c)
	id, err := pathID(c, "id")
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
	addFlash(c, "success", before.User.Email+" no longer has access.")
	return redirect(c, "/users")
}

// flashOr shows conflicts and validation problems as a flash on the list;
// anything else is a real error.
func (h *UserHandler) flashOr(c echo.Context, err error) error {
	if e, ok := apperr.As(err); ok && (e.Code == apperr.CodeConflict || e.Code == apperr.CodeValidationFailed) {
		msg := e.Message
		if len(e.Fields) > 0 {
			msg = e.Fields[0].Field + " " + e.Fields[0].Message
		}
		addFlash(c, "error", msg)
		return redirect(c, "/users")
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
