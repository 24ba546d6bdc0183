package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchboard/api"
	"switchboard/records"
	"switchboard/web"
	"switchboard/web/session"
)

// APIAvailability handles GET /api/availability?from=&to=&duration_minutes=&provider_ref=&operatory_ref=&step_minutes=.
func (h *AppointmentHandler) APIAvailability(c echo.Context) error {
	var q api.AvailabilityQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	av, err := h.svc.Availability(c.Request().Context(), session.From(c).Org.ID, records.AvailabilityQuery(q))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.AvailabilityOf(av))
}
