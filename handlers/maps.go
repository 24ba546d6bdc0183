package handlers

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/integrations/definition"
	"switchboard/integrations/transform"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

// Maps handles GET /integrations/:id/maps.
func (h *IntegrationHandler) Maps(c echo.Context) error {
	return h.renderMaps(c, http.StatusOK, pages.MapForm{Direction: "both"})
}

func (h *IntegrationHandler) renderMaps(c echo.Context, status int, form pages.MapForm) error {
	d, err := h.draft(c)
	if err != nil {
		return err
	}
	page := pages.MapsPage{Header: headerOf(&d.Integration, "maps"), Transforms: transform.Names(), Form: form, Functions: d.Functions()}
	for i, m := range d.Doc.ParameterMaps {
		page.Rows = append(page.Rows, pages.MapRow{ID: d.MapID(i), Internal: m.Internal, External: m.External,
			Transform: m.Transform, Endpoint: m.Endpoint, Direction: m.Direction})
	}
	return web.Render(c, status, pages.Maps(page))
}

// CreateMapPage handles POST /integrations/:id/maps.
func (h *IntegrationHandler) CreateMapPage(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	orgID := session.From(c).Org.ID
	m := definition.ParameterMap{Internal: strings.TrimSpace(c.FormValue("internal")), External: strings.TrimSpace(c.FormValue("external")),
		Transform: strings.TrimSpace(c.FormValue("transform")), Endpoint: c.FormValue("endpoint"), Direction: c.FormValue("direction")}
	before, err := h.svc.Load(c.Request().Context(), orgID, id)
	if err != nil {
		return err
	}
	_, _, err = h.svc.AddMap(c.Request().Context(), orgID, id, m)
	if err == nil {
		h.audit(c, accounts.ActionMapCreated, id, map[string]any{"internal": m.Internal, "external": m.External})
		session.Flash(c, "success", fmt.Sprintf("%s → %s was added.", m.Internal, m.External))
		return web.Redirect(c, web.URLs(c).IntegrationMaps(id))
	}
	ps := web.Problems(err)
	if ps == nil {
		return err
	}
	form := pages.MapForm{Internal: m.Internal, External: m.External, Transform: m.Transform, Endpoint: m.Endpoint, Direction: m.Direction,
		Errors: mapFormErrors(ps, len(before.Doc.ParameterMaps))}
	return h.renderMaps(c, http.StatusUnprocessableEntity, form)
}

// mapFormErrors puts the problems of the new map, named
// parameter_maps[index].field in the document, on the form's fields.
func mapFormErrors(ps []pages.DocProblem, index int) map[string]string {
	prefix := fmt.Sprintf("parameter_maps[%d].", index)
	errs := map[string]string{}
	for _, pr := range ps {
		field := strings.TrimPrefix(pr.Field, prefix)
		if field == pr.Field {
			field = "internal"
		}
		if errs[field] == "" {
			errs[field] = pr.Message
		}
	}
	return errs
}

// DeleteMapPage handles POST /parameter-maps/:id/delete.
func (h *IntegrationHandler) DeleteMapPage(c echo.Context) error {
	d, m, err := h.deleteMap(c)
	if err != nil {
		return err
	}
	session.Flash(c, "success", fmt.Sprintf("%s → %s was deleted.", m.Internal, m.External))
	return web.Redirect(c, web.URLs(c).IntegrationMaps(d.Integration.ID))
}
