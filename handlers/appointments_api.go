package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchboard/api"
	"switchboard/integrations/definition"
	"switchboard/models"
	"switchboard/records"
	"switchboard/web"
	"switchboard/web/session"
)

// APICreate handles POST /api/appointments.
func (h *AppointmentHandler) APICreate(c echo.Context) error {
	var in api.AppointmentRequest
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	if _, err := waitFor(c); err != nil {
		return err
	}
	a, states, err := h.svc.CreateAppointment(c.Request().Context(), session.From(c).Org.ID, api.Values(in), h.answerStep(c, http.StatusCreated))
	if err != nil {
		return err
	}
	return answerRecord(c, h.svc, http.StatusCreated, definition.EntityAppointment, a.ID, states, appointmentAnswer(c, a))
}

// APIGet handles GET /api/appointments/:id.
func (h *AppointmentHandler) APIGet(c echo.Context) error {
	a, err := h.appointment(c)
	if err != nil {
		return err
	}
	states, err := h.svc.AppointmentStates(c.Request().Context(), a.OrganizationID, a.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.AppointmentAnswer{Appointment: a.In(session.Zone(c)), Sync: web.NonNil(states)})
}

// APIList handles GET /api/appointments?from=&to=&patient_id=&status=&cursor=&limit=.
func (h *AppointmentHandler) APIList(c echo.Context) error {
	f, err := apiAppointmentFilter(c)
	if err != nil {
		return err
	}
	as, err := h.svc.Appointments(c.Request().Context(), session.From(c).Org.ID, f)
	if err != nil {
		return err
	}
	states, err := h.svc.AppointmentStatesOf(c.Request().Context(), session.From(c).Org.ID, as)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, web.CursorList(api.AppointmentsOf(as, session.Zone(c), states), f.Limit, func(a *api.AppointmentAnswer) int64 { return a.ID }))
}

// apiAppointmentFilter reads the list's query: a bad from or to is a
// validation error naming the field; a patient_id that is not a number is
// an invalid request.
func apiAppointmentFilter(c echo.Context) (models.AppointmentFilter, error) {
	var q api.AppointmentListQuery
	if err := web.BindQuery(c, &q); err != nil {
		return models.AppointmentFilter{}, err
	}
	f := models.AppointmentFilter{Status: q.Status, PatientID: q.PatientID}
	var err error
	if f.AfterID, f.Limit, err = q.Page(); err != nil {
		return f, err
	}
	r, err := records.ParseTimeRange(session.Zone(c), q.From, q.To)
	if err != nil {
		return f, err
	}
	f.From, f.To = r.From, r.To
	return f, nil
}

// APIUpdate handles PATCH /api/appointments/:id.
func (h *AppointmentHandler) APIUpdate(c echo.Context) error {
	a, err := h.appointment(c)
	if err != nil {
		return err
	}
	var in api.AppointmentRequest
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	a, states, err := h.svc.UpdateAppointment(c.Request().Context(), a.OrganizationID, a.ID, api.Values(in), h.answerStep(c, http.StatusOK))
	if err != nil {
		return err
	}
	return answerRecord(c, h.svc, http.StatusOK, definition.EntityAppointment, a.ID, states, appointmentAnswer(c, a))
}

// APICancel handles DELETE /api/appointments/:id (cancels).
func (h *AppointmentHandler) APICancel(c echo.Context) error {
	a, err := h.appointment(c)
	if err != nil {
		return err
	}
	// The kept answer is the appointment as the transaction cancels it.
	a, states, err := h.svc.CancelAppointment(c.Request().Context(), a.OrganizationID, a.ID, h.answerStep(c, http.StatusOK))
	if err != nil {
		return err
	}
	return answerRecord(c, h.svc, http.StatusOK, definition.EntityAppointment, a.ID, states, appointmentAnswer(c, a))
}
