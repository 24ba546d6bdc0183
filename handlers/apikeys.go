package handlers

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"switchboard/auth"
	"switchboard/models"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

// APIKeyHandler manages the organization's agent and admin API keys.
type APIKeyHandler struct {
	store  *models.Store
	keys   *auth.KeyAuthenticator
	logger *slog.Logger
}

// NewAPIKeyHandler returns an APIKeyHandler.
func NewAPIKeyHandler(store *models.Store, keys *auth.KeyAuthenticator, logger *slog.Logger) *APIKeyHandler {
	return &APIKeyHandler{store: store, keys: keys, logger: logger}
}

type newKeyForm struct {
	Name string `form:"name" validate:"required,max=100"`
	Role string `form:"role" validate:"required,oneof=agent admin"`
	// Scopes are the ticked scopes (none ticked: all); Integrations the
	// comma-separated slugs the key may execute (empty: all).
	Scopes       []string `form:"scopes" validate:"dive,oneof=execute:read execute:write records:read records:write"`
	Integrations string   `form:"integrations" validate:"max=500"`
}

// Index handles GET /api-keys.
func (h *APIKeyHandler) Index(c echo.Context) error {
	return h.renderIndex(c, http.StatusOK, pages.APIKeysPage{Form: newKeyFormDefaults()})
}

// newKeyFormDefaults is the empty create form: an agent key with every scope.
func newKeyFormDefaults() pages.NewAPIKeyForm {
	return pages.NewAPIKeyForm{Role: models.KeyRoleAgent, Scopes: models.AllScopes}
}

func (h *APIKeyHandler) renderIndex(c echo.Context, status int, page pages.APIKeysPage) error {
	p := session.From(c)
	keys, err := h.store.Tenant(p.Org.ID).APIKeys(c.Request().Context())
	if err != nil {
		return err
	}
	for _, k := range keys {
		row := pages.APIKeyRow{ID: k.ID, Name: k.Name, Role: k.Role, Prefix: k.Prefix, Scopes: k.ScopeList(), Integrations: k.IntegrationList(),
			Created: session.Zone(c).FormatPage(k.CreatedAt), LastUsed: "never", Revoked: k.Revoked()}
		if k.LastUsedAt != nil {
			row.LastUsed = session.Zone(c).FormatPage(*k.LastUsedAt)
		}
		page.Rows = append(page.Rows, row)
	}
	return web.Render(c, status, pages.APIKeys(page))
}

// Create handles POST /api-keys: the key is shown once, in this answer.
func (h *APIKeyHandler) Create(c echo.Context) error {
	p := session.From(c)
	var f newKeyForm
	errs, err := web.BindForm(c, &f)
	if err != nil {
		return err
	}
	if errs != nil {
		return h.renderIndex(c, http.StatusUnprocessableEntity, pages.APIKeysPage{Form: pages.NewAPIKeyForm{Name: f.Name, Role: f.Role, Scopes: f.Scopes, Integrations: f.Integrations, Errors: errs}})
	}
	key, k, err := createAPIKey(c, h.store, h.logger, p, f.Name, f.Role)
	if err != nil {
		return err
	}
	if _, err := h.store.Tenant(p.Org.ID).SetAPIKeyScopes(c.Request().Context(), k.ID, f.Scopes, strings.Split(f.Integrations, ",")); err != nil {
		return err
	}
	return h.renderIndex(c, http.StatusCreated, pages.APIKeysPage{NewKey: key, NewKeyName: f.Name, Form: newKeyFormDefaults()})
}

// createAPIKey makes a key, audits it and returns the plain key.
func createAPIKey(c echo.Context, store *models.Store, logger *slog.Logger, p *session.Principal, name, role string) (string, *models.APIKey, error) {
	key, prefix, hash := auth.NewAPIKey()
	k, err := store.Tenant(p.Org.ID).CreateAPIKey(c.Request().Context(), name, role, prefix, hash, p.ActorID())
	if err != nil {
		return "", nil, err
	}
	writeAudit(c, store, logger, models.AuditEvent{OrganizationID: &p.Org.ID, ActorUserID: p.ActorID(), Actor: p.Actor(),
		Action: models.AuditAPIKeyCreated, TargetType: "api_key", TargetID: fmt.Sprint(k.ID),
		Details: map[string]any{"name": name, "role": role, "prefix": prefix}})
	return key, k, nil
}

// Revoke handles POST /api-keys/:id/revoke.
func (h *APIKeyHandler) Revoke(c echo.Context) error {
	p := session.From(c)
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	k, err := h.store.Tenant(p.Org.ID).RevokeAPIKey(c.Request().Context(), id)
	if err != nil {
		return err
	}
	h.keys.Invalidate()
	writeAudit(c, h.store, h.logger, models.AuditEvent{OrganizationID: &p.Org.ID, ActorUserID: p.ActorID(), Actor: p.Actor(),
		Action: models.AuditAPIKeyRevoked, TargetType: "api_key", TargetID: fmt.Sprint(k.ID),
		Details: map[string]any{"name": k.Name, "prefix": k.Prefix}})
	session.Flash(c, "success", "Key “"+k.Name+"” was revoked.")
	return web.Redirect(c, web.URLs(c).APIKeys())
}
