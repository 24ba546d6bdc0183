package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

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

// ReferenceQuery is the query of GET /api/reference/{kind}: the
// integration (slug) to ask; left out, the first enabled sync target that
// lists the kind.
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
	var q ReferenceQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	list, err := h.svc.Get(c.Request().Context(), session.From(c).Org, c.Param("kind"), q.Integration)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ReferenceAnswer{Integration: list.Integration, Kind: list.Kind, Items: list.Items,
		Meta: ReferenceMeta{Cached: list.Cached}})
}
