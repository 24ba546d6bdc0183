package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/apperr"
	"switchboard/integrations/registry"
	"switchboard/models"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

// IntegrationHandler serves the integration pages: list, catalog,
// settings, the whole-document editor, the endpoint registry, parameter
// maps and imports. It decodes forms, calls the registry service and
// renders.
type IntegrationHandler struct {
	registryDeps
	previews *registry.Previews
}

// NewIntegrationHandler returns an IntegrationHandler; previews keep the
// import page's uploads until they are applied.
func NewIntegrationHandler(svc *registry.Service, previews *registry.Previews, log *accounts.Audit) *IntegrationHandler {
	return &IntegrationHandler{registryDeps{svc: svc, log: log}, previews}
}

// Index handles GET /integrations.
func (h *IntegrationHandler) Index(c echo.Context) error {
	sums, items, err := h.svc.Overview(c.Request().Context(), session.From(c).Org.ID)
	if err != nil {
		return err
	}
	var page pages.IntegrationsPage
	for _, s := range sums {
		page.Rows = append(page.Rows, pages.IntegrationRow{ID: s.ID, Slug: s.Slug, Name: s.Name, AuthType: s.AuthType,
			Endpoints: s.Endpoints, Enabled: s.Enabled, Credential: s.Credential})
	}
	for _, e := range items {
		page.Catalog = append(page.Catalog, pages.CatalogCard{Slug: e.Slug, Name: e.Name, Description: e.Description,
			Category: e.Category, Endpoints: len(e.Doc.Endpoints), Added: e.Added})
	}
	return web.Render(c, http.StatusOK, pages.Integrations(page))
}

// AddFromCatalog handles POST /integrations/from-catalog.
func (h *IntegrationHandler) AddFromCatalog(c echo.Context) error {
	slug := c.FormValue("catalog")
	in, err := h.svc.CreateFromCatalog(c.Request().Context(), session.From(c).Org.ID, slug, "", "")
	if e, ok := apperr.As(err); ok && (e.Code == apperr.CodeConflict || e.Code == apperr.CodeValidationFailed) {
		session.Flash(c, "error", "Could not add it: "+e.Message+fieldSuffix(e))
		return web.Redirect(c, web.URLs(c).Integrations())
	}
	if err != nil {
		return err
	}
	h.audit(c, accounts.ActionIntegrationCreated, in.ID, map[string]any{"slug": in.Slug, "catalog": slug})
	session.Flash(c, "success", in.Name+" was added. Enter its credentials to start using it.")
	return web.Redirect(c, web.URLs(c).IntegrationCredentials(in.ID))
}

func fieldSuffix(e *apperr.Error) string {
	if len(e.Fields) == 0 {
		return ""
	}
	return " (" + e.Fields[0].Field + ": " + e.Fields[0].Message + ")"
}

// New handles GET /integrations/new.
func (h *IntegrationHandler) New(c echo.Context) error {
	return web.Render(c, http.StatusOK, pages.NewIntegration(pages.NewIntegrationPage{Format: "yaml", Document: newDocumentTemplate}))
}

const newDocumentTemplate = `slug: my-api
name: My API
base_url:
  production: https://api.example.com/v1
auth:
  type: bearer
  template: "{{api_key}}"
credential_fields: [api_key]
timeout: 15s
test_function: Ping
endpoints:
  - function: Ping
    method: GET
    path: /ping
`

// Create handles POST /integrations (a pasted document).
func (h *IntegrationHandler) Create(c echo.Context) error {
	text, format := c.FormValue("document"), c.FormValue("format")
	doc, err := registry.ParseDocument([]byte(text), format != "json")
	if err == nil {
		var in *models.Integration
		if in, err = h.svc.Create(c.Request().Context(), session.From(c).Org.ID, doc); err == nil {
			h.audit(c, accounts.ActionIntegrationCreated, in.ID, map[string]any{"slug": in.Slug})
			session.Flash(c, "success", in.Name+" was created.")
			return web.Redirect(c, web.URLs(c).Integration(in.ID))
		}
	}
	problems := web.Problems(err)
	if problems == nil {
		return err
	}
	return web.Render(c, http.StatusUnprocessableEntity, pages.NewIntegration(pages.NewIntegrationPage{Document: text, Format: format, Problems: problems}))
}

// isDuplicateFunction tells the conflict of adding a function twice.
func isDuplicateFunction(err error) bool { return errors.Is(err, registry.ErrDuplicateFunction) }

func headerOf(in *models.Integration, tab string) pages.IntegrationHeader {
	return pages.IntegrationHeader{ID: in.ID, Slug: in.Slug, Name: in.Name, Enabled: in.Enabled, Tab: tab,
		Flows: strings.HasPrefix(in.Slug, "nodered")}
}

// Delete handles POST /integrations/:id/delete.
func (h *IntegrationHandler) Delete(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	in, err := h.svc.Delete(c.Request().Context(), session.From(c).Org.ID, id)
	if err != nil {
		return err
	}
	h.audit(c, accounts.ActionIntegrationDeleted, id, map[string]any{"slug": in.Slug})
	session.Flash(c, "success", in.Name+" was deleted.")
	return web.Redirect(c, web.URLs(c).Integrations())
}
