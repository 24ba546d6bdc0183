package handlers

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"switchboard/integrations/definition"
	"switchboard/integrations/syncer"
	"switchboard/models"
	"switchboard/records"
	"switchboard/web"
	"switchboard/web/idempotency"
	"switchboard/web/session"
)

// APICreate handles POST /api/appointments.
func (h *AppointmentHandler) APICreate(c echo.Context) error {
	var in AppointmentRequest
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	if _, err := waitFor(c); err != nil {
		return err
	}
	a, states, err := h.svc.CreateAppointment(c.Request().Context(), session.From(c).Org.ID, valuesOf(in), h.seal(c, http.StatusCreated))
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
	return c.JSON(http.StatusOK, AppointmentAnswer{a.In(session.Zone(c)), web.NonNil(states)})
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
	items := make([]AppointmentAnswer, 0, len(as))
	for _, a := range inZone(as, session.Zone(c)) {
		items = append(items, AppointmentAnswer{&a, states[a.ID]})
	}
	return c.JSON(http.StatusOK, web.CursorList(items, f.Limit, func(a *AppointmentAnswer) int64 { return a.ID }))
}

// AppointmentListQuery is the query of GET /api/appointments.
type AppointmentListQuery struct {
	// From and To are practice time: a day (YYYY-MM-DD, To included) or a
	// date-time (see records.ParseTimeRange).
	From      string `query:"from"`
	To        string `query:"to"`
	PatientID int64  `query:"patient_id" invalid:"must be a number"`
	Status    string `query:"status"`
	web.PageQuery
}

// apiAppointmentFilter reads the list's query: a bad from or to is a
// validation error naming the field; a patient_id that is not a number is
// an invalid request.
func apiAppointmentFilter(c echo.Context) (models.AppointmentFilter, error) {
	var q AppointmentListQuery
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
	var in AppointmentRequest
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	a, states, err := h.svc.UpdateAppointment(c.Request().Context(), a.OrganizationID, a.ID, valuesOf(in), h.seal(c, http.StatusOK))
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
	// The kept answer is the appointment as the transaction cancelled it.
	sealCancelled := func(a *models.Appointment) []syncer.Seal {
		return idempotency.AnswerStep(c, http.StatusOK, func(ctx context.Context, tx *models.Tenant, s []syncer.State) (any, error) {
			cancelled, err := tx.Appointment(ctx, a.ID)
			if err != nil {
				return nil, err
			}
			return AppointmentAnswer{cancelled.In(session.Zone(c)), s}, nil
		})
	}
	a, states, err := h.svc.CancelAppointment(c.Request().Context(), a.OrganizationID, a.ID, sealCancelled)
	if err != nil {
		return err
	}
	return answerRecord(c, h.svc, http.StatusOK, definition.EntityAppointment, a.ID, states, appointmentAnswer(c, a))
}
