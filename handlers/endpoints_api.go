package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/api"
	"switchboard/web"
	"switchboard/web/session"
)

// ListEndpoints handles GET /api/admin/integrations/:id/endpoints.
func (h *IntegrationAPI) ListEndpoints(c echo.Context) error {
	d, err := h.loadRef(c)
	if err != nil {
		return err
	}
	out := make([]api.Endpoint, 0, len(d.Doc.Endpoints))
	for i := range d.Doc.Endpoints {
		out = append(out, api.EndpointOf(d, i))
	}
	return c.JSON(http.StatusOK, web.ListOf(out))
}

// CreateEndpoint handles POST /api/admin/integrations/:id/endpoints.
func (h *IntegrationAPI) CreateEndpoint(c echo.Context) error {
	orgID := session.From(c).Org.ID
	in, err := h.resolve(c)
	if err != nil {
		return err
	}
	var req api.EndpointRequest
	if err := web.DecodeValidJSON(c, &req); err != nil {
		return err
	}
	d, i, err := h.svc.AddEndpoint(c.Request().Context(), orgID, in.ID, req)
	if err != nil {
		return err
	}
	h.audit(c, accounts.ActionEndpointCreated, in.ID, map[string]any{"function": req.Function})
	return c.JSON(http.StatusCreated, api.EndpointOf(d, i))
}

// GetEndpoint handles GET /api/admin/endpoints/:id.
func (h *IntegrationAPI) GetEndpoint(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	d, i, err := h.svc.Endpoint(c.Request().Context(), session.From(c).Org.ID, id)
	if err := allowedIn(c)(d, i, err); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.EndpointOf(d, i))
}

// UpdateEndpoint handles PUT /api/admin/endpoints/:id. A renamed function
// keeps its id, and the maps, sync functions and test function that named
// it follow the new name.
func (h *IntegrationAPI) UpdateEndpoint(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	orgID := session.From(c).Org.ID
	if err := allowedIn(c)(h.svc.Endpoint(c.Request().Context(), orgID, id)); err != nil {
		return err
	}
	var req api.EndpointRequest
	if err := web.DecodeValidJSON(c, &req); err != nil {
		return err
	}
	d, i, err := h.svc.UpdateEndpoint(c.Request().Context(), orgID, id, req)
	if err != nil {
		return err
	}
	h.audit(c, accounts.ActionEndpointUpdated, d.Integration.ID, map[string]any{"function": req.Function})
	return c.JSON(http.StatusOK, api.EndpointOf(d, i))
}

// DeleteEndpoint handles DELETE /api/admin/endpoints/:id; the maps scoped
// to it go with it. A function the sync or Test Connection still uses is
// refused with the place that names it.
func (h *IntegrationAPI) DeleteEndpoint(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	if _, _, err := h.deleteEndpoint(c, id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// ListMaps handles GET /api/admin/integrations/:id/parameter-maps.
func (h *IntegrationAPI) ListMaps(c echo.Context) error {
	d, err := h.loadRef(c)
	if err != nil {
		return err
	}
	out := make([]api.Map, 0, len(d.Doc.ParameterMaps))
	for i := range d.Doc.ParameterMaps {
		out = append(out, api.MapOf(d, i))
	}
	return c.JSON(http.StatusOK, web.ListOf(out))
}

// CreateMap handles POST /api/admin/integrations/:id/parameter-maps.
func (h *IntegrationAPI) CreateMap(c echo.Context) error {
	orgID := session.From(c).Org.ID
	in, err := h.resolve(c)
	if err != nil {
		return err
	}
	var req api.MapRequest
	if err := web.DecodeValidJSON(c, &req); err != nil {
		return err
	}
	d, i, err := h.svc.AddMap(c.Request().Context(), orgID, in.ID, req)
	if err != nil {
		return err
	}
	h.audit(c, accounts.ActionMapCreated, in.ID, map[string]any{"internal": req.Internal, "external": req.External})
	return c.JSON(http.StatusCreated, api.MapOf(d, i))
}

// UpdateMap handles PUT /api/admin/parameter-maps/:id; the answer shows
// the map as sent.
func (h *IntegrationAPI) UpdateMap(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	orgID := session.From(c).Org.ID
	if err := allowedIn(c)(h.svc.Map(c.Request().Context(), orgID, id)); err != nil {
		return err
	}
	var req api.MapRequest
	if err := web.DecodeValidJSON(c, &req); err != nil {
		return err
	}
	d, i, err := h.svc.UpdateMap(c.Request().Context(), orgID, id, req)
	if err != nil {
		return err
	}
	h.audit(c, accounts.ActionMapUpdated, d.Integration.ID, map[string]any{"internal": req.Internal, "external": req.External})
	return c.JSON(http.StatusOK, api.Map{ID: d.MapID(i), Integration: d.Integration.Slug, ParameterMap: req})
}

// DeleteMap handles DELETE /api/admin/parameter-maps/:id.
func (h *IntegrationAPI) DeleteMap(c echo.Context) error {
	if _, _, err := h.deleteMap(c); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
