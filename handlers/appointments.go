package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/clock"
	"switchboard/integrations/syncer"
	"switchboard/models"
	"switchboard/records"
	"switchboard/urls"
	"switchboard/views/components"
	"switchboard/views/pages"
)

// AppointmentHandler serves appointments to staff (pages) and to API
// clients (JSON) over the records service.
type AppointmentHandler struct {
	svc *records.Service
}

// NewAppointmentHandler returns an AppointmentHandler.
func NewAppointmentHandler(svc *records.Service) *AppointmentHandler {
	return &AppointmentHandler{svc: svc}
}

var appointmentFormFields = models.FormFieldNames(models.AppointmentFields)

// Index handles GET /appointments.
func (h *AppointmentHandler) Index(c echo.Context) error {
	return h.renderIndex(c, http.StatusOK, pages.RecordForm{Values: bookingPrefill(c)})
}

func (h *AppointmentHandler) renderIndex(c echo.Context, status int, form pages.RecordForm) error {
	ctx, orgID := c.Request().Context(), currentPrincipal(c).Org.ID
	from, to := c.QueryParam("from"), c.QueryParam("to")
	as, err := h.svc.Appointments(ctx, orgID, pageFilter(c, from, to))
	if err != nil {
		return err
	}
	ps, err := h.svc.Patients(ctx, orgID, models.PatientFilter{Limit: 200})
	if err != nil {
		return err
	}
	page := pages.AppointmentsPage{From: from, To: to, Form: form}
	names := map[int64]string{}
	for _, p := range ps {
		names[p.ID] = p.FirstName + " " + p.LastName
		page.Patients = append(page.Patients, components.SelectOption{Value: strconv.FormatInt(p.ID, 10), Label: names[p.ID]})
	}
	if page.Rows, err = h.rows(ctx, practiceZone(c), as, names); err != nil {
		return err
	}
	if len(as) == 50 {
		page.NextURL = urls.WithQuery(routes(c).Appointments(), url.Values{"from": {from}, "to": {to}, "cursor": {strconv.FormatInt(as[len(as)-1].ID, 10)}})
	}
	return render(c, status, pages.Appointments(page))
}

// pageFilter reads the page's filters: from and to are practice-local
// days (to included); a bad one filters nothing.
func pageFilter(c echo.Context, from, to string) models.AppointmentFilter {
	f := models.AppointmentFilter{Limit: 50}
	f.AfterID, _ = strconv.ParseInt(c.QueryParam("cursor"), 10, 64)
	z := practiceZone(c)
	if t, err := records.ParseListEdge(z, from, false); err == nil {
		f.From = t
	}
	if t, err := records.ParseListEdge(z, to, true); err == nil {
		f.To = t
	}
	return f
}

func (h *AppointmentHandler) rows(ctx context.Context, z clock.Zone, as []models.Appointment, names map[int64]string) ([]pages.AppointmentRow, error) {
	var out []pages.AppointmentRow
	for _, a := range as {
		states, err := h.svc.AppointmentStates(ctx, a.OrganizationID, a.ID)
		if err != nil {
			return nil, err
		}
		name := names[a.PatientID]
		if name == "" {
			name = fmt.Sprintf("patient %d", a.PatientID)
		}
		out = append(out, pages.AppointmentRow{ID: a.ID, Patient: name, Start: z.FormatPage(a.Start),
			Duration: a.DurationMinutes, Status: a.Status, Sync: badges(states)})
	}
	return out, nil
}

// Create handles POST /appointments.
func (h *AppointmentHandler) Create(c echo.Context) error {
	v := formOf(c, appointmentFormFields...)
	a, _, err := h.svc.CreateAppointment(c.Request().Context(), currentPrincipal(c).Org.ID, bookingValues(v), nil)
	if ps := problemsOf(err); ps != nil {
		return h.renderIndex(c, http.StatusUnprocessableEntity, pages.RecordForm{Values: v, Errors: errorMap(ps)})
	}
	if taken := slotTakenOf(err); taken != nil {
		return h.renderIndex(c, http.StatusConflict, pages.RecordForm{Values: v, SlotTaken: taken})
	}
	if err != nil {
		return err
	}
	addFlash(c, "success", "The appointment was booked.")
	return redirect(c, routes(c).Appointment(a.ID))
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
	in := records.Values{"provider_ref": v["provider_ref"], "operatory_ref": v["operatory_ref"], "notes": v["notes"]}
	if _, err := strconv.ParseInt(v["patient_id"], 10, 64); err == nil {
		in["patient_id"] = v["patient_id"]
	}
	if s := strings.TrimSpace(v["start"]); s != "" {
		in["start"] = s
	}
	if _, err := strconv.Atoi(v["duration_minutes"]); err == nil {
		in["duration_minutes"] = v["duration_minutes"]
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
	return render(c, http.StatusOK, pages.Appointment(pages.AppointmentPage{ID: a.ID, Patient: name, PatientID: a.PatientID,
		Start: practiceZone(c).FormatPage(a.Start), End: practiceZone(c).FormatPage(a.End),
		Status: a.Status, Type: a.AppointmentType, Provider: a.ProviderRef, Operatory: a.OperatoryRef, Location: a.LocationRef,
		Notes: a.Notes, Sync: badges(states)}))
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
	addFlash(c, "success", "The appointment was cancelled.")
	return redirect(c, routes(c).Appointment(a.ID))
}

func (h *AppointmentHandler) appointment(c echo.Context) (*models.Appointment, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, apperr.NotFound("appointment")
	}
	return h.svc.Appointment(c.Request().Context(), currentPrincipal(c).Org.ID, id)
}

// seal stores the answer of a keyed request with the write (see sealWith).
func (h *AppointmentHandler) seal(c echo.Context, status int) records.Seals[models.Appointment] {
	return func(a *models.Appointment) []syncer.Seal {
		return sealWith(c, status, answer(appointmentAnswer(c, a)))
	}
}

// appointmentAnswer answers the appointment with its times in practice
// time, read when the answer is made (after the write).
func appointmentAnswer(c echo.Context, a *models.Appointment) func([]syncer.State) any {
	return func(s []syncer.State) any { return AppointmentAnswer{a.In(practiceZone(c)), s} }
}
