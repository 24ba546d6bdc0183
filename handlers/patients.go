package handlers

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"switchboard/api"
	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/integrations/reference"
	"switchboard/integrations/syncer"
	"switchboard/models"
	"switchboard/records"
	"switchboard/urls"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/idempotency"
	"switchboard/web/session"
)

// PatientHandler serves patients to staff (pages) and to API clients
// (JSON) over the records service.
type PatientHandler struct {
	svc *records.Service
	ref *reference.Service
}

// NewPatientHandler returns a PatientHandler; ref labels the providers
// and operatories of the patient's appointments (nil: their ids).
func NewPatientHandler(svc *records.Service, ref *reference.Service) *PatientHandler {
	return &PatientHandler{svc: svc, ref: ref}
}

var (
	patientFormFields = models.FormFieldNames(models.PatientFields)
	patientInputs     = formFields(models.PatientFields)
)

// patientForm is the patient form with its values and errors.
func patientForm(values, errors map[string]string) pages.RecordForm {
	return pages.RecordForm{Values: values, Errors: errors, Fields: patientInputs}
}

// PatientsPageQuery is the query of GET /patients: a search and the
// last id of the previous page (a bad one starts from the first).
type PatientsPageQuery struct {
	Q      string `query:"q"`
	Cursor string `query:"cursor"`
}

// Index handles GET /patients.
func (h *PatientHandler) Index(c echo.Context) error {
	var q PatientsPageQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	return h.renderIndex(c, http.StatusOK, q, patientForm(nil, nil))
}

func (h *PatientHandler) renderIndex(c echo.Context, status int, pq PatientsPageQuery, form pages.RecordForm) error {
	after, _ := strconv.ParseInt(pq.Cursor, 10, 64)
	q := pq.Q
	ps, err := h.svc.Patients(c.Request().Context(), session.OrgID(c), models.PatientFilter{Search: q, AfterID: after, Limit: 50})
	if err != nil {
		return err
	}
	page := pages.PatientsPage{Search: q, Form: form}
	for _, p := range ps {
		page.Rows = append(page.Rows, pages.PatientRow{ID: p.ID, Name: p.FirstName + " " + p.LastName, Birthdate: p.Birthdate, Phone: p.Phone, Email: p.Email})
	}
	if len(ps) == 50 {
		page.NextURL = urls.WithQuery(web.URLs(c).Patients(), url.Values{"q": {q}, "cursor": {strconv.FormatInt(ps[len(ps)-1].ID, 10)}})
	}
	return web.Render(c, status, pages.Patients(page))
}

// Create handles POST /patients.
func (h *PatientHandler) Create(c echo.Context) error {
	v := web.FormOf(c, patientFormFields...)
	p, _, err := h.svc.CreatePatient(c.Request().Context(), session.From(c).Org.ID, records.Values(v), nil)
	if ps := web.Problems(err); ps != nil {
		return h.renderIndex(c, http.StatusUnprocessableEntity, PatientsPageQuery{}, patientForm(v, web.ProblemMap(ps)))
	}
	if err != nil {
		return err
	}
	session.Flash(c, "success", p.FirstName+" "+p.LastName+" was created.")
	return web.Redirect(c, web.URLs(c).Patient(p.ID))
}

// Show handles GET /patients/:id.
func (h *PatientHandler) Show(c echo.Context) error {
	p, err := h.patient(c)
	if err != nil {
		return err
	}
	return h.renderShow(c, http.StatusOK, p, patientForm(formValues(models.PatientFields, p), nil))
}

// Edit handles GET /patients/:id/edit: the patient's edit form (saved by
// POST /patients/:id).
func (h *PatientHandler) Edit(c echo.Context) error {
	p, err := h.patient(c)
	if err != nil {
		return err
	}
	return web.Render(c, http.StatusOK, pages.PatientEdit(pages.PatientPage{ID: p.ID, Name: p.FirstName + " " + p.LastName,
		Form: patientForm(formValues(models.PatientFields, p), nil)}))
}

func (h *PatientHandler) renderShow(c echo.Context, status int, p *models.Patient, form pages.RecordForm) error {
	ctx := c.Request().Context()
	states, err := h.svc.PatientStates(ctx, p.OrganizationID, p.ID)
	if err != nil {
		return err
	}
	as, err := h.svc.Appointments(ctx, p.OrganizationID, models.AppointmentFilter{PatientID: p.ID, Order: models.OrderByStartDesc, Limit: 200})
	if err != nil {
		return err
	}
	rows, err := appointmentRows(ctx, h.svc, labelsOf(ctx, h.ref, session.From(c).Org), session.Zone(c), as)
	if err != nil {
		return err
	}
	history, err := historyRows(ctx, h.svc, p.OrganizationID, records.TargetPatient, p.ID, session.Zone(c))
	if err != nil {
		return err
	}
	return web.Render(c, status, pages.Patient(pages.PatientPage{ID: p.ID, Name: p.FirstName + " " + p.LastName, Form: form, Sync: badges(states),
		Appointments: rows, History: history}))
}

// Update handles POST /patients/:id.
func (h *PatientHandler) Update(c echo.Context) error {
	p, err := h.patient(c)
	if err != nil {
		return err
	}
	v := web.FormOf(c, patientFormFields...)
	_, _, err = h.svc.UpdatePatient(c.Request().Context(), p.OrganizationID, p.ID, records.Values(v), nil)
	if ps := web.Problems(err); ps != nil {
		return h.renderShow(c, http.StatusUnprocessableEntity, p, patientForm(v, web.ProblemMap(ps)))
	}
	if err != nil {
		return err
	}
	session.Flash(c, "success", "Saved.")
	return web.Redirect(c, web.URLs(c).Patient(p.ID))
}

func (h *PatientHandler) patient(c echo.Context) (*models.Patient, error) {
	id, err := web.PathID(c, "id")
	if err != nil {
		return nil, apperr.NotFound("patient")
	}
	return h.svc.Patient(c.Request().Context(), session.From(c).Org.ID, id)
}

// APICreate handles POST /api/patients.
func (h *PatientHandler) APICreate(c echo.Context) error {
	var in api.PatientRequest
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	if _, err := waitFor(c); err != nil {
		return err
	}
	p, states, err := h.svc.CreatePatient(c.Request().Context(), session.From(c).Org.ID, api.Values(in), h.answerStep(c, http.StatusCreated))
	if err != nil {
		return err
	}
	return answerRecord(c, h.svc, http.StatusCreated, definition.EntityPatient, p.ID, states, func(s []syncer.State) any { return api.PatientAnswer{Patient: p.In(session.Zone(c)), Sync: s} })
}

// APIGet handles GET /api/patients/:id.
func (h *PatientHandler) APIGet(c echo.Context) error {
	p, err := h.patient(c)
	if err != nil {
		return err
	}
	states, err := h.svc.PatientStates(c.Request().Context(), p.OrganizationID, p.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.PatientAnswer{Patient: p.In(session.Zone(c)), Sync: web.NonNil(states)})
}

// APIList handles GET /api/patients?q=&phone=&cursor=&limit=.
func (h *PatientHandler) APIList(c echo.Context) error {
	var q api.PatientListQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	after, limit, err := q.Page()
	if err != nil {
		return err
	}
	ps, err := h.svc.Patients(c.Request().Context(), session.OrgID(c),
		models.PatientFilter{Search: q.Q, Phone: q.Phone, AfterID: after, Limit: limit})
	if err != nil {
		return err
	}
	states, err := h.svc.PatientStatesOf(c.Request().Context(), session.From(c).Org.ID, ps)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, web.CursorList(api.PatientsOf(ps, session.Zone(c), states), limit, func(a *api.PatientAnswer) int64 { return a.ID }))
}

// APIUpdate handles PATCH /api/patients/:id.
func (h *PatientHandler) APIUpdate(c echo.Context) error {
	p, err := h.patient(c)
	if err != nil {
		return err
	}
	var in api.PatientRequest
	if err := web.DecodeJSON(c, &in); err != nil {
		return err
	}
	p, states, err := h.svc.UpdatePatient(c.Request().Context(), p.OrganizationID, p.ID, api.Values(in), h.answerStep(c, http.StatusOK))
	if err != nil {
		return err
	}
	return answerRecord(c, h.svc, http.StatusOK, definition.EntityPatient, p.ID, states, func(s []syncer.State) any { return api.PatientAnswer{Patient: p.In(session.Zone(c)), Sync: s} })
}

// APIDelete handles DELETE /api/patients/:id.
func (h *PatientHandler) APIDelete(c echo.Context) error {
	p, err := h.patient(c)
	if err != nil {
		return err
	}
	deleted := func(s []syncer.State) any { return api.DeletedAnswer{Deleted: true, ID: p.ID, Sync: s} }
	states, err := h.svc.DeletePatient(c.Request().Context(), p.OrganizationID, p.ID,
		func(*models.Patient) []syncer.LastStep {
			return idempotency.AnswerStep(c, http.StatusOK, idempotency.Answer(deleted))
		})
	if err != nil {
		return err
	}
	return answerRecord(c, h.svc, http.StatusOK, definition.EntityPatient, p.ID, states, deleted)
}

// answerStep stores the answer of a keyed request with the write (see
// idempotency.AnswerStep).
func (h *PatientHandler) answerStep(c echo.Context, status int) records.LastSteps[models.Patient] {
	return func(p *models.Patient) []syncer.LastStep {
		return idempotency.AnswerStep(c, status, idempotency.Answer(func(s []syncer.State) any { return api.PatientAnswer{Patient: p.In(session.Zone(c)), Sync: s} }))
	}
}
