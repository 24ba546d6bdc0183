package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchboard/integrations/reference"
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

// ReferenceQuery is the query of GET /api/reference/{kind}.
type ReferenceQuery struct {
	Integration string `query:"integration"`
}

// ReferenceAnswer is the answer of GET /api/reference/{kind}.
type ReferenceAnswer struct {
	Integration string           `json:"integration"`
	Kind        string           `json:"kind"`
	Items       []reference.Item `json:"items"`
	Meta        ReferenceMeta    `json:"meta"`
}

// ReferenceMeta says whether the list came from the cache.
type ReferenceMeta struct {
	Cached bool `json:"cached"`
}

// APIList handles GET /api/reference/:kind?integration=SLUG.
func (h *ReferenceHandler) APIList(c echo.Context) error {
	p := session.From(c)
	list, err := h.svc.Get(c.Request().Context(), p.Org, c.Param("kind"), c.QueryParam("integration"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ReferenceAnswer{Integration: list.Integration, Kind: list.Kind, Items: list.Items,
		Meta: ReferenceMeta{Cached: list.Cached}})
}
