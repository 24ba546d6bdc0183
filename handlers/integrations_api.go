package handlers

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/api"
	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/integrations/registry"
	"switchboard/models"
	"switchboard/web"
	"switchboard/web/session"
)

// IntegrationAPI is the admin JSON API of integrations, endpoints,
// parameter maps and imports. It decodes, calls the registry service and
// answers; every write goes through a whole definition document, validated
// before it is saved.
type IntegrationAPI struct{ registryDeps }

// NewIntegrationAPI returns an IntegrationAPI.
func NewIntegrationAPI(svc *registry.Service, log *accounts.Audit) *IntegrationAPI {
	return &IntegrationAPI{registryDeps{svc: svc, log: log}}
}

// registryDeps are what the integration pages and API share: the registry
// service and the audit log.
type registryDeps struct {
	svc *registry.Service
	log *accounts.Audit
}

// resolve is the integration of the :id path parameter (an id or a
// slug), refused to a key limited to other integrations.
func (h registryDeps) resolve(c echo.Context) (*models.Integration, error) {
	in, err := h.svc.Resolve(c.Request().Context(), session.From(c).Org.ID, c.Param("id"))
	if err != nil {
		return nil, err
	}
	return in, session.IntegrationAllowed(c, in.Slug)
}

// loadRef is the draft of the integration of the :id path parameter,
// refused to a key limited to other integrations.
func (h registryDeps) loadRef(c echo.Context) (*registry.Draft, error) {
	d, err := h.svc.LoadRef(c.Request().Context(), session.From(c).Org.ID, c.Param("id"))
	if err != nil {
		return nil, err
	}
	return d, session.IntegrationAllowed(c, d.Integration.Slug)
}

// allowedIn refuses the draft of an endpoint's or a map's own id (a
// lookup's answer) to a key limited to other integrations.
func allowedIn(c echo.Context) func(d *registry.Draft, _ int, err error) error {
	return func(d *registry.Draft, _ int, err error) error {
		if err != nil {
			return err
		}
		return session.IntegrationAllowed(c, d.Integration.Slug)
	}
}

// hostChange is the request's context carrying its stand on moving
// stored credentials to a new host (registry.HostChange).
func (h registryDeps) hostChange(c echo.Context, confirmed bool) (context.Context, *registry.HostChange) {
	hc := &registry.HostChange{Confirmed: confirmed}
	return registry.WithHostChange(c.Request().Context(), hc), hc
}

// auditHostChange records a confirmed move of stored credentials to a new
// host, naming the fields that moved.
func (h registryDeps) auditHostChange(c echo.Context, integrationID int64, hc *registry.HostChange) {
	if len(hc.Changed) > 0 {
		h.audit(c, accounts.ActionCredentialsHostConfirmed, integrationID, map[string]any{"fields": hc.Changed})
	}
}

// audit records a change of an integration.
func (h registryDeps) audit(c echo.Context, action accounts.Action, integrationID int64, details map[string]any) {
	record(c, h.log, action, accounts.TargetOf("integration", integrationID), details)
}

// deleteEndpoint deletes endpoint id and records it.
func (h registryDeps) deleteEndpoint(c echo.Context, id int64) (*registry.Draft, string, error) {
	if err := allowedIn(c)(h.svc.Endpoint(c.Request().Context(), session.From(c).Org.ID, id)); err != nil {
		return nil, "", err
	}
	d, fn, err := h.svc.DeleteEndpoint(c.Request().Context(), session.From(c).Org.ID, id)
	if err != nil {
		return nil, "", err
	}
	h.audit(c, accounts.ActionEndpointDeleted, d.Integration.ID, map[string]any{"function": fn})
	return d, fn, nil
}

// deleteMap deletes the parameter map of the :id path parameter and
// records it.
func (h registryDeps) deleteMap(c echo.Context) (*registry.Draft, definition.ParameterMap, error) {
	id, err := web.PathID(c, "id")
	if err != nil {
		return nil, definition.ParameterMap{}, err
	}
	if err := allowedIn(c)(h.svc.Map(c.Request().Context(), session.From(c).Org.ID, id)); err != nil {
		return nil, definition.ParameterMap{}, err
	}
	d, m, err := h.svc.DeleteMap(c.Request().Context(), session.From(c).Org.ID, id)
	if err != nil {
		return nil, m, err
	}
	h.audit(c, accounts.ActionMapDeleted, d.Integration.ID, map[string]any{"internal": m.Internal, "external": m.External})
	return d, m, nil
}

// List handles GET /api/admin/integrations.
func (h *IntegrationAPI) List(c echo.Context) error {
	ins, err := h.svc.List(c.Request().Context(), session.From(c).Org.ID)
	if err != nil {
		return err
	}
	allowed := session.AllowedIntegration(c)
	out := make([]api.IntegrationSummary, 0, len(ins))
	for i := range ins {
		if allowed(ins[i].Slug) {
			out = append(out, api.SummaryOf(&ins[i]))
		}
	}
	return c.JSON(http.StatusOK, web.ListOf(out))
}

// readDocument parses a definition document from the body: YAML when the
// content type says so, JSON otherwise.
func readDocument(c echo.Context) (*definition.Document, error) {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return nil, web.JSONError(err)
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil, apperr.New(apperr.CodeInvalidRequest, "the request body is empty: send a definition document")
	}
	return registry.ParseDocument(body, strings.Contains(c.Request().Header.Get("Content-Type"), "yaml"))
}

// Create handles POST /api/admin/integrations.
func (h *IntegrationAPI) Create(c echo.Context) error {
	doc, err := readDocument(c)
	if err != nil {
		return err
	}
	in, err := h.svc.Create(c.Request().Context(), session.From(c).Org.ID, doc)
	if err != nil {
		return err
	}
	h.audit(c, accounts.ActionIntegrationCreated, in.ID, map[string]any{"slug": in.Slug})
	return h.writeDocument(c, http.StatusCreated, in.ID)
}

// FromCatalog handles POST /api/admin/integrations/from-catalog.
func (h *IntegrationAPI) FromCatalog(c echo.Context) error {
	var req api.FromCatalogRequest
	if err := web.DecodeValidJSON(c, &req); err != nil {
		return err
	}
	in, err := h.svc.CreateFromCatalog(c.Request().Context(), session.From(c).Org.ID, req.Catalog, req.Slug, req.Name)
	if err != nil {
		return err
	}
	h.audit(c, accounts.ActionIntegrationCreated, in.ID, map[string]any{"slug": in.Slug, "catalog": req.Catalog})
	return h.writeDocument(c, http.StatusCreated, in.ID)
}

// Get handles GET /api/admin/integrations/:id: the bare document.
func (h *IntegrationAPI) Get(c echo.Context) error {
	in, err := h.resolve(c)
	if err != nil {
		return err
	}
	return h.writeDocument(c, http.StatusOK, in.ID)
}

// Update handles PUT /api/admin/integrations/:id with a whole document.
func (h *IntegrationAPI) Update(c echo.Context) error {
	orgID := session.From(c).Org.ID
	in, err := h.resolve(c)
	if err != nil {
		return err
	}
	var q api.IntegrationUpdateQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	doc, err := readDocument(c)
	if err != nil {
		return err
	}
	ctx, hc := h.hostChange(c, q.ConfirmCredentialsHost)
	if _, err := h.svc.Replace(ctx, orgID, in.ID, doc); err != nil {
		return err
	}
	h.audit(c, accounts.ActionIntegrationUpdated, in.ID, map[string]any{"slug": doc.Slug})
	h.auditHostChange(c, in.ID, hc)
	return h.writeDocument(c, http.StatusOK, in.ID)
}

// Delete handles DELETE /api/admin/integrations/:id.
func (h *IntegrationAPI) Delete(c echo.Context) error {
	orgID := session.From(c).Org.ID
	in, err := h.resolve(c)
	if err != nil {
		return err
	}
	if _, err := h.svc.Delete(c.Request().Context(), orgID, in.ID); err != nil {
		return err
	}
	h.audit(c, accounts.ActionIntegrationDeleted, in.ID, map[string]any{"slug": in.Slug})
	return c.NoContent(http.StatusNoContent)
}

// Export handles GET /api/admin/integrations/:id/export: YAML when asked
// for application/yaml or ?format=yaml, JSON otherwise.
func (h *IntegrationAPI) Export(c echo.Context) error {
	d, err := h.loadRef(c)
	if err != nil {
		return err
	}
	var q api.ExportQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	if q.Format == "yaml" || strings.Contains(c.Request().Header.Get("Accept"), "yaml") {
		b, err := registry.EncodeDocument(d.Doc, "yaml")
		if err != nil {
			return err
		}
		c.Response().Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.yaml"`, d.Integration.Slug))
		return c.Blob(http.StatusOK, "application/yaml", b)
	}
	c.Response().Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.json"`, d.Integration.Slug))
	return c.JSONPretty(http.StatusOK, d.Doc, "  ")
}

func (h *IntegrationAPI) writeDocument(c echo.Context, status int, id int64) error {
	d, err := h.svc.Load(c.Request().Context(), session.From(c).Org.ID, id)
	if err != nil {
		return err
	}
	c.Response().Header().Set("X-Integration-Id", fmt.Sprint(id))
	return c.JSON(status, d.Doc)
}
