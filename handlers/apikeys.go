package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/models"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

// APIKeyHandler manages the organization's agent and admin API keys.
type APIKeyHandler struct {
	accounts *accounts.Service
}

// NewAPIKeyHandler returns an APIKeyHandler.
func NewAPIKeyHandler(accts *accounts.Service) *APIKeyHandler {
	return &APIKeyHandler{accounts: accts}
}

type newKeyForm struct {
	Name string `form:"name" validate:"required,max=100"`
	Role string `form:"role" validate:"required,oneof=agent admin"`
	// Scopes are the ticked scopes (none ticked: all); Integrations the
	// comma-separated slugs the key may execute (empty: all).
	Scopes       []string `form:"scopes" validate:"dive,oneof=execute:read execute:write records:read records:write admin:read admin:write credentials:write"`
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
	keys, err := h.accounts.APIKeys(c.Request().Context(), session.OrgID(c))
	if err != nil {
		return err
	}
	zone := session.Zone(c)
	for _, k := range keys {
		row := pages.APIKeyRow{ID: k.ID, Name: k.Name, Role: k.Role, Prefix: k.Prefix, Scopes: k.ScopeList(), Integrations: k.IntegrationList(),
			Created: zone.FormatPage(k.CreatedAt), LastUsed: "never", Revoked: k.Revoked()}
		if k.LastUsedAt != nil {
			row.LastUsed = zone.FormatPage(*k.LastUsedAt)
		}
		page.Rows = append(page.Rows, row)
	}
	return web.Render(c, status, pages.APIKeys(page))
}

// Create handles POST /api-keys: the key is shown once, in this answer.
func (h *APIKeyHandler) Create(c echo.Context) error {
	var f newKeyForm
	errs, err := web.BindForm(c, &f)
	if err != nil {
		return err
	}
	if errs != nil {
		return h.renderIndex(c, http.StatusUnprocessableEntity, pages.APIKeysPage{Form: pages.NewAPIKeyForm{Name: f.Name, Role: f.Role, Scopes: f.Scopes, Integrations: f.Integrations, Errors: errs}})
	}
	key, _, err := h.accounts.CreateAPIKey(c.Request().Context(), session.Actor(c),
		accounts.NewKey{Name: f.Name, Role: f.Role, Scopes: f.Scopes, Integrations: accounts.SplitList(f.Integrations)})
	if err != nil {
		return err
	}
	return h.renderIndex(c, http.StatusCreated, pages.APIKeysPage{NewKey: key, NewKeyName: f.Name, Form: newKeyFormDefaults()})
}

// Revoke handles POST /api-keys/:id/revoke.
func (h *APIKeyHandler) Revoke(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	k, err := h.accounts.RevokeAPIKey(c.Request().Context(), session.Actor(c), id)
	if err != nil {
		return err
	}
	session.Flash(c, "success", "Key “"+k.Name+"” was revoked.")
	return web.Redirect(c, web.URLs(c).APIKeys())
}
