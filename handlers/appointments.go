package handlers

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/api"
	"switchboard/apperr"
	"switchboard/integrations/reference"
	"switchboard/integrations/syncer"
	"switchboard/models"
	"switchboard/records"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/idempotency"
	"switchboard/web/session"
)

// AppointmentHandler serves appointments to staff (pages) and to API
// clients (JSON) over the records service.
type AppointmentHandler struct {
	svc *records.Service
	ref *reference.Service
}

// NewAppointmentHandler returns an AppointmentHandler; ref fills the
// forms' pickers.
func NewAppointmentHandler(svc *records.Service, ref *reference.Service) *AppointmentHandler {
	return &AppointmentHandler{svc: svc, ref: ref}
}

var appointmentFormFields = append(models.FormFieldNames(models.AppointmentFields), records.FieldAllowOutsideHours)

// Index handles GET /appointments.
func (h *AppointmentHandler) Index(c echo.Context) error {
	var q AppointmentsPageQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	return h.renderIndex(c, http.StatusOK, q, pages.RecordForm{Values: q.prefill()})
}

func (h *AppointmentHandler) renderIndex(c echo.Context, status int, q AppointmentsPageQuery, form pages.RecordForm) error {
	ctx, orgID := c.Request().Context(), session.OrgID(c)
	from, to := q.From, q.To
	as, err := h.svc.Appointments(ctx, orgID, pageFilter(c, q))
	if err != nil {
		return err
	}
	page := pages.AppointmentsPage{From: from, To: to, Form: form}
	if page.Patients, err = patientPicker(ctx, h.svc, orgID, "", form.Values["patient_id"]); err != nil {
		return err
	}
	var labels refLabels
	if page.Pickers, labels, err = h.pickersAndLabels(c, form.Values); err != nil {
		return err
	}
	if page.Rows, err = appointmentRows(ctx, h.svc, labels, session.Zone(c), as); err != nil {
		return err
	}
	page.Past = q.When == "past"
	if taken := form.SlotTaken; taken != nil && taken.AppointmentID > 0 {
		if msg := slotTakenMessage(ctx, h.svc, labels, session.Zone(c), orgID, form.Values, taken.AppointmentID); msg != "" {
			taken.Message = msg
		}
	}
	return web.Render(c, status, pages.Appointments(page))
}

// pageFilter reads the page's filters: from and to are practice-local
// days (to included); a bad one filters nothing. The list is in start
// order: upcoming ones first (from now on, earliest first), the past ones
// with when=past (latest first).
func pageFilter(c echo.Context, q AppointmentsPageQuery) models.AppointmentFilter {
	f := models.AppointmentFilter{Limit: 200, Order: models.OrderByStart}
	z := session.Zone(c)
	if t, err := records.ParseListEdge(z, q.From, false); err == nil {
		f.From = t
	}
	if t, err := records.ParseListEdge(z, q.To, true); err == nil {
		f.To = t
	}
	now := time.Now()
	if q.When == "past" {
		f.Order = models.OrderByStartDesc
		if f.To.IsZero() || f.To.After(now) {
			f.To = now
		}
	} else if f.From.IsZero() && f.To.IsZero() {
		// Upcoming: from the start of today (today's earlier ones stay in view).
		f.From, _ = records.ParseListEdge(z, z.In(now).Format(time.DateOnly), false)
	}
	return f
}

// Create handles POST /appointments.
func (h *AppointmentHandler) Create(c echo.Context) error {
	v := web.PostedOf(c, appointmentFormFields...)
	a, states, err := h.svc.CreateAppointment(c.Request().Context(), session.From(c).Org.ID, bookingValues(v), nil)
	if ps := web.Problems(err); ps != nil {
		return h.renderIndex(c, http.StatusUnprocessableEntity, AppointmentsPageQuery{}, pages.RecordForm{Values: v, Errors: web.ProblemMap(ps)})
	}
	if taken := slotTakenOf(err); taken != nil {
		return h.renderIndex(c, http.StatusConflict, AppointmentsPageQuery{}, pages.RecordForm{Values: v, SlotTaken: taken})
	}
	if err != nil {
		return err
	}
	session.Flash(c, "success", bookedWords(h.svc.NotYetSynced(c.Request().Context(), session.From(c).Org.ID,
		"appointment", a.ID, states, bookedWait)))
	return web.Redirect(c, web.URLs(c).Appointment(a.ID))
}

// bookedWait is how long a booking from the page waits for its first
// sync attempts before the flash message says where it is.
const bookedWait = 2 * time.Second

// bookedWords is the flash message of a booking: booked, and which
// practice systems it has not reached yet (the sync retries them).
func bookedWords(notYet []string) string {
	if len(notYet) == 0 {
		return "The appointment was booked."
	}
	return "The appointment was booked — not yet in " + strings.Join(notYet, " or ") + ", retrying."
}

// slotTakenOf is the booking form's problem of a slot_taken error (nil
// for any other).
func slotTakenOf(err error) *pages.SlotTaken {
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.CodeSlotTaken {
		return nil
	}
	id, _ := e.ConflictingAppointmentID()
	return &pages.SlotTaken{Message: e.Message, AppointmentID: id}
}

// bookingValues reads the booking form: a patient or duration that is not
// a number counts as not given, and the datetime-local input (no offset)
// is practice time, which the records service reads in the practice's
// zone.
func bookingValues(v map[string]string) records.Values {
	in := records.Values{}
	for _, name := range []string{"provider_ref", "operatory_ref", "appointment_type", "location_ref", "notes"} {
		if value, ok := v[name]; ok {
			in[name] = value
		}
	}
	if _, err := strconv.ParseInt(v["patient_id"], 10, 64); err == nil {
		in["patient_id"] = v["patient_id"]
	}
	if s := strings.TrimSpace(v["start"]); s != "" {
		in["start"] = s
	}
	if _, err := strconv.Atoi(v["duration_minutes"]); err == nil {
		in["duration_minutes"] = v["duration_minutes"]
	}
	if v[records.FieldAllowOutsideHours] == "true" {
		in[records.FieldAllowOutsideHours] = "true"
	}
	return in
}

// Show handles GET /appointments/:id.
func (h *AppointmentHandler) Show(c echo.Context) error {
	a, err := h.appointment(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	states, err := h.svc.AppointmentStates(ctx, a.OrganizationID, a.ID)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("patient %d", a.PatientID)
	if p, err := h.svc.Patient(ctx, a.OrganizationID, a.PatientID); err == nil {
		name = p.FirstName + " " + p.LastName
	}
	l := labelsOf(ctx, h.ref, session.From(c).Org)
	history, err := historyRows(ctx, h.svc, a.OrganizationID, records.TargetAppointment, a.ID, session.Zone(c))
	if err != nil {
		return err
	}
	return web.Render(c, http.StatusOK, pages.Appointment(pages.AppointmentPage{ID: a.ID, Patient: name, PatientID: a.PatientID, History: history,
		Start: session.Zone(c).FormatPage(a.Start), End: session.Zone(c).FormatPage(a.End),
		Status: a.Status, Type: l.of("appointment_type", a.AppointmentType), Provider: l.of("provider_ref", a.ProviderRef),
		Operatory: l.of("operatory_ref", a.OperatoryRef), Location: l.of("location_ref", a.LocationRef),
		Notes: a.Notes, Sync: badges(states)}))
}

// Edit handles GET /appointments/:id/edit: the form with the current
// values, the start in practice time.
func (h *AppointmentHandler) Edit(c echo.Context) error {
	a, err := h.appointment(c)
	if err != nil {
		return err
	}
	v := formValues(models.AppointmentFields, a)
	v["start"] = session.Zone(c).FormatInput(a.Start)
	v["duration_minutes"] = strconv.Itoa(a.DurationMinutes)
	return h.renderEdit(c, http.StatusOK, a, pages.RecordForm{Values: v})
}

func (h *AppointmentHandler) renderEdit(c echo.Context, status int, a *models.Appointment, form pages.RecordForm) error {
	pickers, labels, err := h.pickersAndLabels(c, form.Values)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	names, err := h.svc.PatientNames(ctx, a.OrganizationID, []models.Appointment{*a})
	if err != nil {
		return err
	}
	if taken := form.SlotTaken; taken != nil && taken.AppointmentID > 0 {
		if msg := slotTakenMessage(ctx, h.svc, labels, session.Zone(c), a.OrganizationID, form.Values, taken.AppointmentID); msg != "" {
			taken.Message = msg
		}
	}
	return web.Render(c, status, pages.AppointmentEdit(pages.AppointmentEditPage{ID: a.ID, Patient: names[a.PatientID], Form: form, Pickers: pickers}))
}

// Save handles POST /appointments/:id/edit: the records service's update
// (the slot check and the practice systems' checks included).
func (h *AppointmentHandler) Save(c echo.Context) error {
	a, err := h.appointment(c)
	if err != nil {
		return err
	}
	v := web.PostedOf(c, appointmentFormFields...)
	delete(v, "patient_id")
	_, _, err = h.svc.UpdateAppointment(c.Request().Context(), a.OrganizationID, a.ID, bookingValues(v), nil)
	if ps := web.Problems(err); ps != nil {
		return h.renderEdit(c, http.StatusUnprocessableEntity, a, pages.RecordForm{Values: v, Errors: web.ProblemMap(ps)})
	}
	if taken := slotTakenOf(err); taken != nil {
		return h.renderEdit(c, http.StatusConflict, a, pages.RecordForm{Values: v, SlotTaken: taken})
	}
	if err != nil {
		return err
	}
	session.Flash(c, "success", "The appointment was saved.")
	return web.Redirect(c, web.URLs(c).Appointment(a.ID))
}

// PatientPickerQuery is the query of GET /patients/picker: what the
// search box holds, and the patient chosen (kept among the options).
type PatientPickerQuery struct {
	Q         string `query:"q"`
	PatientID string `query:"patient_id"`
}

// PatientPicker handles GET /patients/picker?q=&patient_id=: the booking
// form's patient options matching q.
func (h *AppointmentHandler) PatientPicker(c echo.Context) error {
	var q PatientPickerQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	pp, err := patientPicker(c.Request().Context(), h.svc, session.OrgID(c), q.Q, q.PatientID)
	if err != nil {
		return err
	}
	return web.Render(c, http.StatusOK, pages.PatientOptions(pp))
}

// Cancel handles POST /appointments/:id/cancel.
func (h *AppointmentHandler) Cancel(c echo.Context) error {
	a, err := h.appointment(c)
	if err != nil {
		return err
	}
	if _, _, err := h.svc.CancelAppointment(c.Request().Context(), a.OrganizationID, a.ID, nil); err != nil {
		return err
	}
	session.Flash(c, "success", "The appointment was cancelled.")
	return web.Redirect(c, web.URLs(c).Appointment(a.ID))
}

func (h *AppointmentHandler) appointment(c echo.Context) (*models.Appointment, error) {
	id, err := web.PathID(c, "id")
	if err != nil {
		return nil, apperr.NotFound("appointment")
	}
	return h.svc.Appointment(c.Request().Context(), session.From(c).Org.ID, id)
}

// answerStep stores the answer of a keyed request with the write (see
// idempotency.AnswerStep).
func (h *AppointmentHandler) answerStep(c echo.Context, status int) records.LastSteps[models.Appointment] {
	return func(a *models.Appointment) []syncer.LastStep {
		return idempotency.AnswerStep(c, status, idempotency.Answer(appointmentAnswer(c, a)))
	}
}

// appointmentAnswer answers the appointment with its times in practice
// time, read when the answer is made (after the write).
func appointmentAnswer(c echo.Context, a *models.Appointment) func([]syncer.State) any {
	return func(s []syncer.State) any { return api.AppointmentAnswer{Appointment: a.In(session.Zone(c)), Sync: s} }
}
