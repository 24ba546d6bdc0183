package handlers

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/integrations/syncer"
	"switchboard/models"
)

// RecordsAPI is the JSON API of local patients and appointments with their
// sync state per integration (the "sync" items of each answer). Writes go
// through the sync manager, which commits the local row and its sync jobs
// together.
type RecordsAPI struct {
	store *models.Store
	sync  *syncer.Manager
}

// NewRecordsAPI returns a RecordsAPI.
func NewRecordsAPI(store *models.Store, sync *syncer.Manager) *RecordsAPI {
	return &RecordsAPI{store: store, sync: sync}
}

type patientOut struct {
	*models.Patient
	Sync []syncer.State `json:"sync"`
}

type appointmentOut struct {
	*models.Appointment
	Sync []syncer.State `json:"sync"`
}

// deletedOut is the answer of a delete.
func deletedOut(id int64, states []syncer.State) map[string]any {
	return map[string]any{"id": id, "deleted": true, "sync": states}
}

// maxWait caps ?wait=.
const maxWait = 10 * time.Second

// waitFor parses ?wait=2s.
func waitFor(c echo.Context) (time.Duration, error) {
	v := c.QueryParam("wait")
	if v == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, &apperr.Error{Code: apperr.CodeInvalidRequest, Message: "wait must be a duration such as 2s",
			Fields: []apperr.FieldError{{Field: "wait", Message: "must be a duration such as 2s"}}}
	}
	return min(d, maxWait), nil
}

// states waits for the first attempts when asked to, then reads the states.
func (h *RecordsAPI) states(c echo.Context, entity string, id int64, states []syncer.State) ([]syncer.State, error) {
	wait, err := waitFor(c)
	if err != nil {
		return nil, err
	}
	if wait > 0 {
		return h.sync.WaitFirstAttempt(c.Request().Context(), currentPrincipal(c).Org.ID, entity, id, wait)
	}
	if states == nil {
		states = []syncer.State{}
	}
	return states, nil
}

// CreatePatient handles POST /api/patients.
func (h *RecordsAPI) CreatePatient(c echo.Context) error {
	var in patientIn
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if _, err := waitFor(c); err != nil {
		return err
	}
	p := &models.Patient{}
	if err := in.apply(p); err != nil {
		return err
	}
	states, err := h.sync.CreatePatient(c.Request().Context(), currentPrincipal(c).Org.ID, p,
		sealWith(c, http.StatusCreated, answer(func(s []syncer.State) any { return patientOut{p, s} }))...)
	if err != nil {
		return err
	}
	if states, err = h.states(c, "patient", p.ID, states); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, patientOut{p, states})
}

// GetPatient handles GET /api/patients/:id.
func (h *RecordsAPI) GetPatient(c echo.Context) error {
	p, err := h.patient(c)
	if err != nil {
		return err
	}
	states, err := h.sync.States(c.Request().Context(), p.OrganizationID, "patient", p.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, patientOut{p, nonNil(states)})
}

func (h *RecordsAPI) patient(c echo.Context) (*models.Patient, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, apperr.NotFound("patient")
	}
	return h.store.Tenant(currentPrincipal(c).Org.ID).Patient(c.Request().Context(), id)
}

// ListPatients handles GET /api/patients?q=&phone=&cursor=&limit=.
func (h *RecordsAPI) ListPatients(c echo.Context) error {
	after, limit, err := paging(c)
	if err != nil {
		return err
	}
	ps, err := h.store.Tenant(currentPrincipal(c).Org.ID).Patients(c.Request().Context(),
		models.PatientFilter{Search: c.QueryParam("q"), Phone: c.QueryParam("phone"), AfterID: after, Limit: limit})
	if err != nil {
		return err
	}
	out := list[models.Patient]{Items: nonNil(ps)}
	if len(ps) == limit {
		out.NextCursor = strconv.FormatInt(ps[len(ps)-1].ID, 10)
	}
	return c.JSON(http.StatusOK, out)
}

// UpdatePatient handles PATCH /api/patients/:id.
func (h *RecordsAPI) UpdatePatient(c echo.Context) error {
	p, err := h.patient(c)
	if err != nil {
		return err
	}
	var in patientIn
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := in.apply(p); err != nil {
		return err
	}
	states, err := h.sync.UpdatePatient(c.Request().Context(), p.OrganizationID, p,
		sealWith(c, http.StatusOK, answer(func(s []syncer.State) any { return patientOut{p, s} }))...)
	if err != nil {
		return err
	}
	if states, err = h.states(c, "patient", p.ID, states); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, patientOut{p, states})
}

// DeletePatient handles DELETE /api/patients/:id.
func (h *RecordsAPI) DeletePatient(c echo.Context) error {
	p, err := h.patient(c)
	if err != nil {
		return err
	}
	states, err := h.sync.DeletePatient(c.Request().Context(), p.OrganizationID, p.ID,
		sealWith(c, http.StatusOK, answer(func(s []syncer.State) any { return deletedOut(p.ID, s) }))...)
	if err != nil {
		return err
	}
	if states, err = h.states(c, "patient", p.ID, states); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, deletedOut(p.ID, states))
}

// CreateAppointment handles POST /api/appointments.
func (h *RecordsAPI) CreateAppointment(c echo.Context) error {
	var in appointmentIn
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if _, err := waitFor(c); err != nil {
		return err
	}
	a := &models.Appointment{}
	if err := in.apply(a, true); err != nil {
		return err
	}
	orgID := currentPrincipal(c).Org.ID
	states, err := h.sync.CreateAppointment(c.Request().Context(), orgID, a,
		sealWith(c, http.StatusCreated, answer(func(s []syncer.State) any { return appointmentOut{a, s} }))...)
	if err != nil {
		return err
	}
	if states, err = h.states(c, "appointment", a.ID, states); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, appointmentOut{a, states})
}

func (h *RecordsAPI) appointment(c echo.Context) (*models.Appointment, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, apperr.NotFound("appointment")
	}
	return h.store.Tenant(currentPrincipal(c).Org.ID).Appointment(c.Request().Context(), id)
}

// GetAppointment handles GET /api/appointments/:id.
func (h *RecordsAPI) GetAppointment(c echo.Context) error {
	a, err := h.appointment(c)
	if err != nil {
		return err
	}
	states, err := h.sync.States(c.Request().Context(), a.OrganizationID, "appointment", a.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, appointmentOut{a, nonNil(states)})
}

// ListAppointments handles GET /api/appointments?from=&to=&patient_id=&status=&cursor=&limit=.
func (h *RecordsAPI) ListAppointments(c echo.Context) error {
	after, limit, err := paging(c)
	if err != nil {
		return err
	}
	f := models.AppointmentFilter{Status: c.QueryParam("status"), AfterID: after, Limit: limit}
	var bad []apperr.FieldError
	for name, dst := range map[string]*time.Time{"from": &f.From, "to": &f.To} {
		if v := c.QueryParam(name); v != "" {
			t, err := parseDateOrTime(v)
			if err != nil {
				bad = append(bad, apperr.FieldError{Field: name, Message: "must be a date (YYYY-MM-DD) or an RFC 3339 time"})
			}
			*dst = t
		}
	}
	if v := c.QueryParam("patient_id"); v != "" {
		if f.PatientID, err = strconv.ParseInt(v, 10, 64); err != nil {
			bad = append(bad, apperr.FieldError{Field: "patient_id", Message: "must be a number"})
		}
	}
	if len(bad) > 0 {
		e := apperr.Validation(bad...)
		e.Code = apperr.CodeInvalidRequest
		return e
	}
	as, err := h.store.Tenant(currentPrincipal(c).Org.ID).Appointments(c.Request().Context(), f)
	if err != nil {
		return err
	}
	out := list[models.Appointment]{Items: nonNil(as)}
	if len(as) == limit {
		out.NextCursor = strconv.FormatInt(as[len(as)-1].ID, 10)
	}
	return c.JSON(http.StatusOK, out)
}

// UpdateAppointment handles PATCH /api/appointments/:id.
func (h *RecordsAPI) UpdateAppointment(c echo.Context) error {
	a, err := h.appointment(c)
	if err != nil {
		return err
	}
	var in appointmentIn
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := in.apply(a, false); err != nil {
		return err
	}
	states, err := h.sync.UpdateAppointment(c.Request().Context(), a.OrganizationID, a,
		sealWith(c, http.StatusOK, answer(func(s []syncer.State) any { return appointmentOut{a, s} }))...)
	if err != nil {
		return err
	}
	if states, err = h.states(c, "appointment", a.ID, states); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, appointmentOut{a, states})
}

// CancelAppointment handles DELETE /api/appointments/:id (cancels).
func (h *RecordsAPI) CancelAppointment(c echo.Context) error {
	a, err := h.appointment(c)
	if err != nil {
		return err
	}
	a, states, err := h.sync.CancelAppointment(c.Request().Context(), a.OrganizationID, a.ID,
		sealWith(c, http.StatusOK, func(ctx context.Context, tx *models.Tenant, s []syncer.State) (any, error) {
			cancelled, err := tx.Appointment(ctx, a.ID)
			return appointmentOut{cancelled, s}, err
		})...)
	if err != nil {
		return err
	}
	if states, err = h.states(c, "appointment", a.ID, states); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, appointmentOut{a, states})
}

func paging(c echo.Context) (after int64, limit int, err error) {
	limit = 50
	if v := c.QueryParam("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 200 {
			return 0, 0, &apperr.Error{Code: apperr.CodeInvalidRequest, Message: "limit must be between 1 and 200",
				Fields: []apperr.FieldError{{Field: "limit", Message: "must be between 1 and 200"}}}
		}
	}
	if v := c.QueryParam("cursor"); v != "" {
		if after, err = strconv.ParseInt(v, 10, 64); err != nil {
			return 0, 0, &apperr.Error{Code: apperr.CodeInvalidRequest, Message: "cursor is not valid",
				Fields: []apperr.FieldError{{Field: "cursor", Message: "is not valid"}}}
		}
	}
	return after, limit, nil
}

func parseDateOrTime(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.Parse("2006-01-02", v)
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
