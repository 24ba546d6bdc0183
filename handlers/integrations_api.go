package handlers

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"sigs.k8s.io/yaml"

	"switchboard/apperr"
	"switchboard/integrations/catalog"
	"switchboard/integrations/definition"
	"switchboard/integrations/registry"
	"switchboard/models"
)

// IntegrationAPI is the admin JSON API of integrations, endpoints and
// parameter maps (SPEC §4). Every write goes through a whole definition
// document, validated before it is saved.
type IntegrationAPI struct {
	store    *models.Store
	registry *registry.Registry
	logger   *slog.Logger
}

// NewIntegrationAPI returns an IntegrationAPI.
func NewIntegrationAPI(store *models.Store, reg *registry.Registry, logger *slog.Logger) *IntegrationAPI {
	return &IntegrationAPI{store: store, registry: reg, logger: logger}
}

// integrationSummary is one item of GET /api/admin/integrations.
type integrationSummary struct {
	ID           int64  `json:"id"`
	Slug         string `json:"slug"`
	Name         string `json:"name"`
	Description  string `json:"description,omitempty"`
	Catalog      string `json:"catalog,omitempty"`
	AuthType     string `json:"auth_type"`
	Enabled      bool   `json:"enabled"`
	TestFunction string `json:"test_function,omitempty"`
	Version      int64  `json:"version"`
	UpdatedAt    string `json:"updated_at"`
}

func summarize(in *models.Integration) integrationSummary {
	return integrationSummary{ID: in.ID, Slug: in.Slug, Name: in.Name, Description: in.Description, Catalog: in.Catalog,
		AuthType: in.AuthType, Enabled: in.Enabled, TestFunction: in.TestFunction, Version: in.Version,
		UpdatedAt: in.UpdatedAt.UTC().Format("2006-01-02T15:04:05Z")}
}

// List handles GET /api/admin/integrations.
func (h *IntegrationAPI) List(c echo.Context) error {
	p := currentPrincipal(c)
	ins, err := h.store.Tenant(p.Org.ID).Integrations(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]integrationSummary, 0, len(ins))
	for i := range ins {
		out = append(out, summarize(&ins[i]))
	}
	return c.JSON(http.StatusOK, listOf(out))
}

// readDocument parses a definition document from the body: YAML when the
// content type says so, JSON otherwise.
func readDocument(c echo.Context) (*definition.Document, error) {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return nil, jsonError(err)
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil, apperr.New(apperr.CodeInvalidRequest, "the request body is empty: send a definition document")
	}
	ct := c.Request().Header.Get("Content-Type")
	var doc *definition.Document
	if strings.Contains(ct, "yaml") {
		doc, err = definition.ParseYAML(body)
	} else {
		doc, err = definition.ParseJSON(body)
	}
	if err != nil {
		return nil, documentError(err)
	}
	return doc, nil
}

// documentError turns a parse error into a 400 naming the field.
func documentError(err error) error {
	if ve := registry.ValidationError(err); ve != err {
		return ve
	}
	return apperr.New(apperr.CodeInvalidRequest, "%s", strings.TrimPrefix(err.Error(), "definition: "))
}

// Create handles POST /api/admin/integrations.
func (h *IntegrationAPI) Create(c echo.Context) error {
	p := currentPrincipal(c)
	doc, err := readDocument(c)
	if err != nil {
		return err
	}
	in, err := h.registry.Create(c.Request().Context(), p.Org.ID, doc, "")
	if err != nil {
		return err
	}
	h.audit(c, "integration_created", "integration", in.ID, map[string]any{"slug": in.Slug})
	return h.writeDocument(c, http.StatusCreated, in.ID)
}

// FromCatalog handles POST /api/admin/integrations/from-catalog.
func (h *IntegrationAPI) FromCatalog(c echo.Context) error {
	var req struct {
		Catalog string `json:"catalog"`
		Slug    string `json:"slug"`
		Name    string `json:"name"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	in, err := addFromCatalog(c, h.registry, currentPrincipal(c).Org.ID, req.Catalog, req.Slug, req.Name)
	if err != nil {
		return err
	}
	h.audit(c, "integration_created", "integration", in.ID, map[string]any{"slug": in.Slug, "catalog": req.Catalog})
	return h.writeDocument(c, http.StatusCreated, in.ID)
}

// addFromCatalog copies a catalog definition into the organization.
func addFromCatalog(c echo.Context, reg *registry.Registry, orgID int64, slug, asSlug, asName string) (*models.Integration, error) {
	if slug == "" {
		return nil, apperr.Validation(apperr.FieldError{Field: "catalog", Message: "is required"})
	}
	entry, err := catalog.Get(slug)
	if err != nil {
		return nil, apperr.Validation(apperr.FieldError{Field: "catalog", Message: fmt.Sprintf("no catalog definition %q; see `switchboard catalog list`", slug)})
	}
	doc, err := definition.ParseYAML(entry.Raw)
	if err != nil {
		return nil, err
	}
	if asSlug != "" {
		doc.Slug = asSlug
	}
	if asName != "" {
		doc.Name = asName
	}
	return reg.Create(c.Request().Context(), orgID, doc, slug)
}

// Get handles GET /api/admin/integrations/:id: the bare document.
func (h *IntegrationAPI) Get(c echo.Context) error {
	in, err := h.registry.Resolve(c.Request().Context(), currentPrincipal(c).Org.ID, c.Param("id"))
	if err != nil {
		return err
	}
	return h.writeDocument(c, http.StatusOK, in.ID)
}

// Update handles PUT /api/admin/integrations/:id with a whole document.
func (h *IntegrationAPI) Update(c echo.Context) error {
	p := currentPrincipal(c)
	in, err := h.registry.Resolve(c.Request().Context(), p.Org.ID, c.Param("id"))
	if err != nil {
		return err
	}
	doc, err := readDocument(c)
	if err != nil {
		return err
	}
	if _, err := h.registry.Replace(c.Request().Context(), p.Org.ID, in.ID, doc, registry.Hints{}); err != nil {
		return err
	}
	h.audit(c, "integration_updated", "integration", in.ID, map[string]any{"slug": doc.Slug})
	return h.writeDocument(c, http.StatusOK, in.ID)
}

// Delete handles DELETE /api/admin/integrations/:id.
func (h *IntegrationAPI) Delete(c echo.Context) error {
	p := currentPrincipal(c)
	in, err := h.registry.Resolve(c.Request().Context(), p.Org.ID, c.Param("id"))
	if err != nil {
		return err
	}
	if _, err := h.registry.Delete(c.Request().Context(), p.Org.ID, in.ID); err != nil {
		return err
	}
	h.audit(c, "integration_deleted", "integration", in.ID, map[string]any{"slug": in.Slug})
	return c.NoContent(http.StatusNoContent)
}

// Export handles GET /api/admin/integrations/:id/export: YAML when asked
// for application/yaml or ?format=yaml, JSON otherwise.
func (h *IntegrationAPI) Export(c echo.Context) error {
	p := currentPrincipal(c)
	in, err := h.registry.Resolve(c.Request().Context(), p.Org.ID, c.Param("id"))
	if err != nil {
		return err
	}
	doc, _, err := h.registry.Load(c.Request().Context(), p.Org.ID, in.ID)
	if err != nil {
		return err
	}
	wantYAML := c.QueryParam("format") == "yaml" || strings.Contains(c.Request().Header.Get("Accept"), "yaml")
	if wantYAML {
		b, err := yaml.Marshal(doc)
		if err != nil {
			return err
		}
		c.Response().Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.yaml"`, in.Slug))
		return c.Blob(http.StatusOK, "application/yaml", b)
	}
	c.Response().Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.json"`, in.Slug))
	return c.JSONPretty(http.StatusOK, doc, "  ")
}

func (h *IntegrationAPI) writeDocument(c echo.Context, status int, id int64) error {
	doc, _, err := h.registry.Load(c.Request().Context(), currentPrincipal(c).Org.ID, id)
	if err != nil {
		return err
	}
	c.Response().Header().Set("X-Integration-Id", fmt.Sprint(id))
	return c.JSON(status, doc)
}

func (h *IntegrationAPI) audit(c echo.Context, action, targetType string, targetID int64, details map[string]any) {
	auditChange(c, h.store, h.logger, action, targetType, targetID, details)
}

// auditChange records a change made by the current principal.
func auditChange(c echo.Context, store *models.Store, logger *slog.Logger, action, targetType string, targetID int64, details map[string]any) {
	p := currentPrincipal(c)
	writeAudit(c, store, logger, models.AuditEvent{OrganizationID: &p.Org.ID, ActorUserID: p.ActorID(), Actor: p.Actor(),
		Action: action, TargetType: targetType, TargetID: fmt.Sprint(targetID), Details: details})
}
