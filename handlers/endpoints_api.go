package handlers

import (
	"context"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/integrations/registry"
	"switchboard/models"
)

// endpointOut is an endpoint as the API shows it: its id, its integration
// and the document's fields.
type endpointOut struct {
	ID          int64  `json:"id"`
	Integration string `json:"integration"`
	definition.Endpoint
}

// mapOut is a parameter map as the API shows it.
type mapOut struct {
	ID          int64  `json:"id"`
	Integration string `json:"integration"`
	definition.ParameterMap
}

// loaded is an integration's document with the ids of its rows.
type loaded struct {
	doc   *definition.Document
	rows  *models.IntegrationRows
	hints registry.Hints
}

func (h *IntegrationAPI) load(ctx context.Context, orgID, id int64) (*loaded, error) {
	doc, rows, err := h.registry.Load(ctx, orgID, id)
	if err != nil {
		return nil, err
	}
	return &loaded{doc: doc, rows: rows, hints: registry.HintsOf(rows)}, nil
}

// save writes the edited document back with the row-id hints.
func (h *IntegrationAPI) save(ctx context.Context, orgID int64, l *loaded) error {
	_, err := h.registry.Replace(ctx, orgID, l.rows.Integration.ID, l.doc, l.hints)
	return err
}

// ListEndpoints handles GET /api/admin/integrations/:id/endpoints.
func (h *IntegrationAPI) ListEndpoints(c echo.Context) error {
	p := currentPrincipal(c)
	in, err := h.registry.Resolve(c.Request().Context(), p.Org.ID, c.Param("id"))
	if err != nil {
		return err
	}
	l, err := h.load(c.Request().Context(), p.Org.ID, in.ID)
	if err != nil {
		return err
	}
	out := make([]endpointOut, 0, len(l.doc.Endpoints))
	for i, ep := range l.doc.Endpoints {
		out = append(out, endpointOut{ID: l.hints.Endpoints[i], Integration: in.Slug, Endpoint: ep})
	}
	return c.JSON(http.StatusOK, listOf(out))
}

// CreateEndpoint handles POST /api/admin/integrations/:id/endpoints.
func (h *IntegrationAPI) CreateEndpoint(c echo.Context) error {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	in, err := h.registry.Resolve(ctx, p.Org.ID, c.Param("id"))
	if err != nil {
		return err
	}
	var ep definition.Endpoint
	if err := decodeJSON(c, &ep); err != nil {
		return err
	}
	l, err := h.load(ctx, p.Org.ID, in.ID)
	if err != nil {
		return err
	}
	if l.indexOf(ep.Function) >= 0 {
		return apperr.New(apperr.CodeConflict, "%s already has a function %q", in.Slug, ep.Function)
	}
	l.doc.Endpoints = append(l.doc.Endpoints, ep)
	l.hints.Endpoints = append(l.hints.Endpoints, 0)
	if err := h.save(ctx, p.Org.ID, l); err != nil {
		return err
	}
	h.audit(c, "endpoint_created", "integration", in.ID, map[string]any{"function": ep.Function})
	return h.writeEndpoint(c, http.StatusCreated, p.Org.ID, in.ID, ep.Function)
}

func (l *loaded) indexOf(function string) int {
	return slices.IndexFunc(l.doc.Endpoints, func(e definition.Endpoint) bool { return e.Function == function })
}

func (l *loaded) indexOfEndpointID(id int64) int { return slices.Index(l.hints.Endpoints, id) }

func (h *IntegrationAPI) writeEndpoint(c echo.Context, status int, orgID, integrationID int64, function string) error {
	l, err := h.load(c.Request().Context(), orgID, integrationID)
	if err != nil {
		return err
	}
	i := l.indexOf(function)
	if i < 0 {
		return apperr.NotFound("endpoint")
	}
	return c.JSON(status, endpointOut{ID: l.hints.Endpoints[i], Integration: l.rows.Integration.Slug, Endpoint: l.doc.Endpoints[i]})
}

// endpointContext finds an endpoint by its id within the organization.
func (h *IntegrationAPI) endpointContext(c echo.Context) (*loaded, int, error) {
	p := currentPrincipal(c)
	id, err := pathID(c, "id")
	if err != nil {
		return nil, 0, err
	}
	row, err := h.store.Tenant(p.Org.ID).EndpointByID(c.Request().Context(), id)
	if err != nil {
		return nil, 0, err
	}
	l, err := h.load(c.Request().Context(), p.Org.ID, row.IntegrationID)
	if err != nil {
		return nil, 0, err
	}
	i := l.indexOfEndpointID(id)
	if i < 0 {
		return nil, 0, apperr.NotFound("endpoint")
	}
	return l, i, nil
}

// GetEndpoint handles GET /api/admin/endpoints/:id.
func (h *IntegrationAPI) GetEndpoint(c echo.Context) error {
	l, i, err := h.endpointContext(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, endpointOut{ID: l.hints.Endpoints[i], Integration: l.rows.Integration.Slug, Endpoint: l.doc.Endpoints[i]})
}

// UpdateEndpoint handles PUT /api/admin/endpoints/:id. A renamed function
// keeps its id, and the maps, sync functions and test function that named
// it follow the new name.
func (h *IntegrationAPI) UpdateEndpoint(c echo.Context) error {
	p := currentPrincipal(c)
	l, i, err := h.endpointContext(c)
	if err != nil {
		return err
	}
	var ep definition.Endpoint
	if err := decodeJSON(c, &ep); err != nil {
		return err
	}
	old := l.doc.Endpoints[i].Function
	l.doc.Endpoints[i] = ep
	if ep.Function != old {
		renameFunction(l.doc, old, ep.Function)
	}
	if err := h.save(c.Request().Context(), p.Org.ID, l); err != nil {
		return err
	}
	h.audit(c, "endpoint_updated", "integration", l.rows.Integration.ID, map[string]any{"function": ep.Function})
	return h.writeEndpoint(c, http.StatusOK, p.Org.ID, l.rows.Integration.ID, ep.Function)
}

// renameFunction updates every reference to a function's name.
func renameFunction(doc *definition.Document, from, to string) {
	for i := range doc.ParameterMaps {
		if doc.ParameterMaps[i].Endpoint == from {
			doc.ParameterMaps[i].Endpoint = to
		}
	}
	if doc.TestFunction == from {
		doc.TestFunction = to
	}
	for _, s := range doc.Sync {
		if s == nil {
			continue
		}
		for _, f := range []*string{&s.Create, &s.Update, &s.Delete, &s.Get, &s.ListChanged} {
			if *f == from {
				*f = to
			}
		}
	}
}

// DeleteEndpoint handles DELETE /api/admin/endpoints/:id; the maps scoped
// to it go with it. A function the sync or Test Connection still uses is
// refused with the place that names it.
func (h *IntegrationAPI) DeleteEndpoint(c echo.Context) error {
	if _, _, err := h.removeEndpoint(c); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// removeEndpoint deletes the endpoint of the :id path parameter and
// returns its integration and function.
func (h *IntegrationAPI) removeEndpoint(c echo.Context) (int64, string, error) {
	p := currentPrincipal(c)
	l, i, err := h.endpointContext(c)
	if err != nil {
		return 0, "", err
	}
	fn := l.doc.Endpoints[i].Function
	l.doc.Endpoints = slices.Delete(l.doc.Endpoints, i, i+1)
	l.hints.Endpoints = slices.Delete(l.hints.Endpoints, i, i+1)
	for j := len(l.doc.ParameterMaps) - 1; j >= 0; j-- {
		if l.doc.ParameterMaps[j].Endpoint == fn {
			l.doc.ParameterMaps = slices.Delete(l.doc.ParameterMaps, j, j+1)
			l.hints.Maps = slices.Delete(l.hints.Maps, j, j+1)
		}
	}
	if err := h.save(c.Request().Context(), p.Org.ID, l); err != nil {
		return 0, "", err
	}
	h.audit(c, "endpoint_deleted", "integration", l.rows.Integration.ID, map[string]any{"function": fn})
	return l.rows.Integration.ID, fn, nil
}

// ListMaps handles GET /api/admin/integrations/:id/parameter-maps.
func (h *IntegrationAPI) ListMaps(c echo.Context) error {
	p := currentPrincipal(c)
	in, err := h.registry.Resolve(c.Request().Context(), p.Org.ID, c.Param("id"))
	if err != nil {
		return err
	}
	l, err := h.load(c.Request().Context(), p.Org.ID, in.ID)
	if err != nil {
		return err
	}
	out := make([]mapOut, 0, len(l.doc.ParameterMaps))
	for i, m := range l.doc.ParameterMaps {
		out = append(out, mapOut{ID: l.hints.Maps[i], Integration: in.Slug, ParameterMap: m})
	}
	return c.JSON(http.StatusOK, listOf(out))
}

// CreateMap handles POST /api/admin/integrations/:id/parameter-maps.
func (h *IntegrationAPI) CreateMap(c echo.Context) error {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	in, err := h.registry.Resolve(ctx, p.Org.ID, c.Param("id"))
	if err != nil {
		return err
	}
	var m definition.ParameterMap
	if err := decodeJSON(c, &m); err != nil {
		return err
	}
	l, err := h.load(ctx, p.Org.ID, in.ID)
	if err != nil {
		return err
	}
	l.doc.ParameterMaps = append(l.doc.ParameterMaps, m)
	l.hints.Maps = append(l.hints.Maps, 0)
	if err := h.save(ctx, p.Org.ID, l); err != nil {
		return err
	}
	h.audit(c, "parameter_map_created", "integration", in.ID, map[string]any{"internal": m.Internal, "external": m.External})
	after, err := h.load(ctx, p.Org.ID, in.ID)
	if err != nil {
		return err
	}
	last := len(after.doc.ParameterMaps) - 1
	return c.JSON(http.StatusCreated, mapOut{ID: after.hints.Maps[last], Integration: in.Slug, ParameterMap: after.doc.ParameterMaps[last]})
}

// mapContext finds a parameter map by id within the organization.
func (h *IntegrationAPI) mapContext(c echo.Context) (*loaded, int, error) {
	p := currentPrincipal(c)
	id, err := pathID(c, "id")
	if err != nil {
		return nil, 0, err
	}
	row, err := h.store.Tenant(p.Org.ID).ParameterMapByID(c.Request().Context(), id)
	if err != nil {
		return nil, 0, err
	}
	l, err := h.load(c.Request().Context(), p.Org.ID, row.IntegrationID)
	if err != nil {
		return nil, 0, err
	}
	i := slices.Index(l.hints.Maps, id)
	if i < 0 {
		return nil, 0, apperr.NotFound("parameter map")
	}
	return l, i, nil
}

// UpdateMap handles PUT /api/admin/parameter-maps/:id.
func (h *IntegrationAPI) UpdateMap(c echo.Context) error {
	p := currentPrincipal(c)
	l, i, err := h.mapContext(c)
	if err != nil {
		return err
	}
	var m definition.ParameterMap
	if err := decodeJSON(c, &m); err != nil {
		return err
	}
	l.doc.ParameterMaps[i] = m
	if err := h.save(c.Request().Context(), p.Org.ID, l); err != nil {
		return err
	}
	h.audit(c, "parameter_map_updated", "integration", l.rows.Integration.ID, map[string]any{"internal": m.Internal, "external": m.External})
	return c.JSON(http.StatusOK, mapOut{ID: l.hints.Maps[i], Integration: l.rows.Integration.Slug, ParameterMap: m})
}

// DeleteMap handles DELETE /api/admin/parameter-maps/:id.
func (h *IntegrationAPI) DeleteMap(c echo.Context) error {
	p := currentPrincipal(c)
	l, i, err := h.mapContext(c)
	if err != nil {
		return err
	}
	m := l.doc.ParameterMaps[i]
	l.doc.ParameterMaps = slices.Delete(l.doc.ParameterMaps, i, i+1)
	l.hints.Maps = slices.Delete(l.hints.Maps, i, i+1)
	if err := h.save(c.Request().Context(), p.Org.ID, l); err != nil {
		return err
	}
	h.audit(c, "parameter_map_deleted", "integration", l.rows.Integration.ID, map[string]any{"internal": m.Internal, "external": m.External})
	return c.NoContent(http.StatusNoContent)
}
