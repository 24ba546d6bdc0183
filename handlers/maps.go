package handlers

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"switchboard/integrations/definition"
	"switchboard/integrations/transform"
	"switchboard/views/pages"
)

// Maps handles GET /integrations/:id/maps.
func (h *IntegrationHandler) Maps(c echo.Context) error {
	return h.renderMaps(c, http.StatusOK, pages.MapForm{Direction: "both"})
}

func (h *IntegrationHandler) renderMaps(c echo.Context, status int, form pages.MapForm) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	l, err := h.load(c.Request().Context(), currentPrincipal(c).Org.ID, id)
	if err != nil {
		return err
	}
	page := pages.MapsPage{Header: headerOf(&l.rows.Integration, "maps"), Transforms: transform.Names(), Form: form}
	for i, m := range l.doc.ParameterMaps {
		page.Rows = append(page.Rows, pages.MapRow{ID: l.hints.Maps[i], Internal: m.Internal, External: m.External,
			Transform: m.Transform, Endpoint: m.Endpoint, Direction: m.Direction})
	}
	for _, e := range l.doc.Endpoints {
		page.Functions = append(page.Functions, e.Function)
	}
	return render(c, status, pages.Maps(page))
}

// CreateMapPage handles POST /integrations/:id/maps.
func (h *IntegrationHandler) CreateMapPage(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	p := currentPrincipal(c)
	m := definition.ParameterMap{Internal: strings.TrimSpace(c.FormValue("internal")), External: strings.TrimSpace(c.FormValue("external")),
		Transform: strings.TrimSpace(c.FormValue("transform")), Endpoint: c.FormValue("endpoint"), Direction: c.FormValue("direction")}
	form := pages.MapForm{Internal: m.Internal, External: m.External, Transform: m.Transform, Endpoint: m.Endpoint, Direction: m.Direction}
	l, err := h.load(c.Request().Context(), p.Org.ID, id)
	if err != nil {
		return err
	}
	l.doc.ParameterMaps = append(l.doc.ParameterMaps, m)
	l.hints.Maps = append(l.hints.Maps, 0)
	err = h.save(c.Request().Context(), p.Org.ID, l)
	if err == nil {
		h.audit(c, "parameter_map_created", "integration", id, map[string]any{"internal": m.Internal, "external": m.External})
		addFlash(c, "success", fmt.Sprintf("%s → %s was added.", m.Internal, m.External))
		return redirect(c, fmt.Sprintf("/integrations/%d/maps", id))
	}
	ps := problemsOf(err)
	if ps == nil {
		return err
	}
	// Problems name the new map as parameter_maps[N].field: show them on
	// the form's fields.
	prefix := fmt.Sprintf("parameter_maps[%d].", len(l.doc.ParameterMaps)-1)
	form.Errors = map[string]string{}
	for _, pr := range ps {
		field := strings.TrimPrefix(pr.Field, prefix)
		if field == pr.Field {
			field = "internal"
		}
		if form.Errors[field] == "" {
			form.Errors[field] = pr.Message
		}
	}
	return h.renderMaps(c, http.StatusUnprocessableEntity, form)
}

// DeleteMapPage handles POST /parameter-maps/:id/delete.
func (h *IntegrationHandler) DeleteMapPage(c echo.Context) error {
	p := currentPrincipal(c)
	l, i, err := h.mapContext(c)
	if err != nil {
		return err
	}
	m := l.doc.ParameterMaps[i]
	l.doc.ParameterMaps = append(l.doc.ParameterMaps[:i], l.doc.ParameterMaps[i+1:]...)
	l.hints.Maps = append(l.hints.Maps[:i], l.hints.Maps[i+1:]...)
	if err := h.save(c.Request().Context(), p.Org.ID, l); err != nil {
		return err
	}
	h.audit(c, "parameter_map_deleted", "integration", l.rows.Integration.ID, map[string]any{"internal": m.Internal, "external": m.External})
	addFlash(c, "success", fmt.Sprintf("%s → %s was deleted.", m.Internal, m.External))
	return redirect(c, fmt.Sprintf("/integrations/%d/maps", l.rows.Integration.ID))
}
