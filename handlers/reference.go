package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchboard/api"
	"switchboard/integrations/reference"
	"switchboard/web"
	"switchboard/web/session"
)

// ReferenceHandler answers the practice system's reference data.
type ReferenceHandler struct {
	svc *reference.Service
}

// NewReferenceHandler returns a ReferenceHandler over the service.
func NewReferenceHandler(svc *reference.Service) *ReferenceHandler {
	return &ReferenceHandler{svc: svc}
}

// APIList handles GET /api/reference/:kind?integration=SLUG.
func (h *ReferenceHandler) APIList(c echo.Context) error {
	var q api.ReferenceQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	allow := func(slug string) error { return session.IntegrationAllowed(c, slug) }
	list, err := h.svc.GetAllowed(c.Request().Context(), session.From(c).Org, c.Param("kind"), q.Integration, allow)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.ReferenceAnswer{Integration: list.Integration, Kind: list.Kind, Items: list.Items,
		Meta: api.ReferenceMeta{Cached: list.Cached}})
}
