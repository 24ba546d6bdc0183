package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/integrations/syncer"
	"switchboard/models"
	"switchboard/views/components"
	"switchboard/views/pages"
)

// RecordPages serves the patients and appointments pages for staff.
type RecordPages struct {
	*RecordsAPI
}

// NewRecordPages returns RecordPages.
func NewRecordPages(api *RecordsAPI) *RecordPages { return &RecordPages{api} }

func badges(states []syncer.State) []pages.SyncBadge {
	out := make([]pages.SyncBadge, 0, len(states))
	for _, s := range states {
		out = append(out, pages.SyncBadge{Integration: s.Integration, Mode: s.Mode, Status: s.Status, ExternalID: s.ExternalID, Error: s.Error, JobID: s.JobID})
	}
	return out
}

// formOf reads every named form value.
func formOf(c echo.Context, names ...string) map[string]string {
	m := map[string]string{}
	for _, n := range names {
		m[n] = c.FormValue(n)
	}
	return m
}

func strp(s string) *string { return &s }

var patientFieldNames = []string{"first_name", "last_name", "birthdate", "phone", "email"}

func patientInFrom(v map[string]string) patientIn {
	return patientIn{FirstName: strp(v["first_name"]), LastName: strp(v["last_name"]), Birthdate: strp(v["birthdate"]),
		Phone: strp(v["phone"]), Email: strp(v["email"])}
}

// PatientsIndex handles GET /patients.
func (h *RecordPages) PatientsIndex(c echo.Context) error {
	return h.renderPatients(c, http.StatusOK, pages.RecordForm{})
}

func (h *RecordPages) renderPatients(c echo.Context, status int, form pages.RecordForm) error {
	after, _ := strconv.ParseInt(c.QueryParam("cursor"), 10, 64)
	q := c.QueryParam("q")
	ps, err := h.store.Tenant(currentPrincipal(c).Org.ID).Patients(c.Request().Context(), models.PatientFilter{Search: q, AfterID: after, Limit: 50})
	if err != nil {
		return err
	}
	page := pages.PatientsPage{Search: q, Form: form}
	for _, p := range ps {
		page.Rows = append(page.Rows, pages.PatientRow{ID: p.ID, Name: p.FirstName + " " + p.LastName, Birthdate: p.Birthdate, Phone: p.Phone, Email: p.Email})
	}
	if len(ps) == 50 {
		page.NextURL = "/patients?" + url.Values{"q": {q}, "cursor": {strconv.FormatInt(ps[len(ps)-1].ID, 10)}}.Encode()
	}
	return render(c, status, pages.Patients(page))
}

// PatientsCreate handles POST /patients.
func (h *RecordPages) PatientsCreate(c echo.Context) error {
	v := formOf(c, patientFieldNames...)
	p := &models.Patient{}
	err := patientInFrom(v).apply(p)
	if err == nil {
		_, err = h.sync.CreatePatient(c.Request().Context(), currentPrincipal(c).Org.ID, p)
	}
	if err != nil {
		if ps := problemsOf(err); ps != nil {
			return h.renderPatients(c, http.StatusUnprocessableEntity, pages.RecordForm{Values: v, Errors: errorMap(ps)})
		}
		return err
	}
	addFlash(c, "success", p.FirstName+" "+p.LastName+" was created.")
	return redirect(c, fmt.Sprintf("/patients/%d", p.ID))
}

func errorMap(ps []pages.DocProblem) map[string]string {
	m := map[string]string{}
	for _, p := range ps {
		if m[p.Field] == "" {
			m[p.Field] = p.Message
		}
	}
	return m
}

// PatientShow handles GET /patients/:id.
func (h *RecordPages) PatientShow(c echo.Context) error {
	return h.renderPatient(c, http.StatusOK, nil)
}

func (h *RecordPages) renderPatient(c echo.Context, status int, form *pages.RecordForm) error {
	p, err := h.patient(c)
	if err != nil {
		return err
	}
	states, err := h.sync.States(c.Request().Context(), p.OrganizationID, "patient", p.ID)
	if err != nil {
		return err
	}
	if form == nil {
		form = &pages.RecordForm{Values: map[string]string{"first_name": p.FirstName, "last_name": p.LastName,
			"birthdate": p.Birthdate, "phone": p.Phone, "email": p.Email}}
	}
	return render(c, status, pages.Patient(pages.PatientPage{ID: p.ID, Name: p.FirstName + " " + p.LastName, Form: *form, Sync: badges(states)}))
}

// PatientUpdate handles POST /patients/:id.
func (h *RecordPages) PatientUpdate(c echo.Context) error {
	p, err := h.patient(c)
	if err != nil {
		return err
	}
	v := formOf(c, patientFieldNames...)
	err = patientInFrom(v).apply(p)
	if err == nil {
		_, err = h.sync.UpdatePatient(c.Request().Context(), p.OrganizationID, p)
	}
	if err != nil {
		if ps := problemsOf(err); ps != nil {
			return h.renderPatient(c, http.StatusUnprocessableEntity, &pages.RecordForm{Values: v, Errors: errorMap(ps)})
		}
		return err
	}
	addFlash(c, "success", "Saved.")
	return redirect(c, fmt.Sprintf("/patients/%d", p.ID))
}

var appointmentFieldNames = []string{"patient_id", "start", "duration_minutes", "provider_ref", "operatory_ref", "notes"}

// AppointmentsIndex handles GET /appointments.
func (h *RecordPages) AppointmentsIndex(c echo.Context) error {
	return h.renderAppointments(c, http.StatusOK, pages.RecordForm{Values: map[string]string{"duration_minutes": "30"}})
}

func (h *RecordPages) renderAppointments(c echo.Context, status int, form pages.RecordForm) error {
	ctx := c.Request().Context()
	t := h.store.Tenant(currentPrincipal(c).Org.ID)
	f := models.AppointmentFilter{Limit: 50}
	f.AfterID, _ = strconv.ParseInt(c.QueryParam("cursor"), 10, 64)
	from, to := c.QueryParam("from"), c.QueryParam("to")
	if d, err := time.Parse("2006-01-02", from); err == nil {
		f.From = d
	}
	if d, err := time.Parse("2006-01-02", to); err == nil {
		f.To = d.AddDate(0, 0, 1)
	}
	as, err := t.Appointments(ctx, f)
	if err != nil {
		return err
	}
	ps, err := t.Patients(ctx, models.PatientFilter{Limit: 200})
	if err != nil {
		return err
	}
	names := map[int64]string{}
	page := pages.AppointmentsPage{From: from, To: to, Form: form}
	for _, p := range ps {
		names[p.ID] = p.FirstName + " " + p.LastName
		page.Patients = append(page.Patients, components.SelectOption{Value: strconv.FormatInt(p.ID, 10), Label: names[p.ID]})
	}
	for _, a := range as {
		states, err := h.sync.States(ctx, a.OrganizationID, "appointment", a.ID)
		if err != nil {
			return err
		}
		name := names[a.PatientID]
		if name == "" {
			name = fmt.Sprintf("patient %d", a.PatientID)
		}
		page.Rows = append(page.Rows, pages.AppointmentRow{ID: a.ID, Patient: name, Start: a.Start.UTC().Format("2006-01-02 15:04"),
			Duration: a.DurationMinutes, Status: a.Status, Sync: badges(states)})
	}
	if len(as) == 50 {
		page.NextURL = "/appointments?" + url.Values{"from": {from}, "to": {to}, "cursor": {strconv.FormatInt(as[len(as)-1].ID, 10)}}.Encode()
	}
	return render(c, status, pages.Appointments(page))
}

// AppointmentsCreate handles POST /appointments.
func (h *RecordPages) AppointmentsCreate(c echo.Context) error {
	v := formOf(c, appointmentFieldNames...)
	a := &models.Appointment{}
	err := appointmentInFromForm(v).apply(a, true)
	orgID := currentPrincipal(c).Org.ID
	if err == nil {
		if _, perr := h.store.Tenant(orgID).Patient(c.Request().Context(), a.PatientID); perr != nil {
			err = apperr.Validation(apperr.FieldError{Field: "patient_id", Message: "choose a patient"})
		}
	}
	if err == nil {
		_, err = h.sync.CreateAppointment(c.Request().Context(), orgID, a)
	}
	if err != nil {
		if ps := problemsOf(err); ps != nil {
			return h.renderAppointments(c, http.StatusUnprocessableEntity, pages.RecordForm{Values: v, Errors: errorMap(ps)})
		}
		return err
	}
	addFlash(c, "success", "The appointment was booked.")
	return redirect(c, fmt.Sprintf("/appointments/%d", a.ID))
}

// appointmentInFromForm reads the booking form; the datetime-local input
// has no zone and is taken as UTC.
func appointmentInFromForm(v map[string]string) appointmentIn {
	in := appointmentIn{ProviderRef: strp(v["provider_ref"]), OperatoryRef: strp(v["operatory_ref"]), Notes: strp(v["notes"])}
	if id, err := strconv.ParseInt(v["patient_id"], 10, 64); err == nil {
		in.PatientID = &id
	}
	if s := strings.TrimSpace(v["start"]); s != "" {
		if len(s) == len("2006-01-02T15:04") {
			s += ":00Z"
		}
		in.Start = &s
	}
	if n, err := strconv.Atoi(v["duration_minutes"]); err == nil {
		in.DurationMinutes = &n
	}
	return in
}

// AppointmentShow handles GET /appointments/:id.
func (h *RecordPages) AppointmentShow(c echo.Context) error {
	a, err := h.appointment(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	states, err := h.sync.States(ctx, a.OrganizationID, "appointment", a.ID)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("patient %d", a.PatientID)
	if p, err := h.store.Tenant(a.OrganizationID).Patient(ctx, a.PatientID); err == nil {
		name = p.FirstName + " " + p.LastName
	}
	return render(c, http.StatusOK, pages.Appointment(pages.AppointmentPage{ID: a.ID, Patient: name, PatientID: a.PatientID,
		Start: a.Start.UTC().Format("2006-01-02 15:04 UTC"), End: a.End.UTC().Format("2006-01-02 15:04 UTC"),
		Status: a.Status, Type: a.AppointmentType, Provider: a.ProviderRef, Operatory: a.OperatoryRef, Location: a.LocationRef,
		Notes: a.Notes, Sync: badges(states)}))
}

// AppointmentCancel handles POST /appointments/:id/cancel.
func (h *RecordPages) AppointmentCancel(c echo.Context) error {
	a, err := h.appointment(c)
	if err != nil {
		return err
	}
	if _, _, err := h.sync.CancelAppointment(c.Request().Context(), a.OrganizationID, a.ID); err != nil {
		return err
	}
	addFlash(c, "success", "The appointment was cancelled.")
	return redirect(c, fmt.Sprintf("/appointments/%d", a.ID))
}
