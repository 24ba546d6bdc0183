package syncer

import (
	"strings"
	"time"

	"switchboard/integrations/definition"
	"switchboard/models"
)

// patientParams are a patient's fields by internal name (empty ones left
// out: an absent value is not a value to send).
func patientParams(p *models.Patient) map[string]any {
	return fieldParams(models.PatientFields, p, "")
}

// appointmentParams are an appointment's fields by internal name, with
// patient_id replaced by the patient's id in the external system.
func appointmentParams(a *models.Appointment, patientExternalID string) map[string]any {
	return fieldParams(models.AppointmentFields, a, patientExternalID)
}

// Fields of the local patient that appointment parameters may use, for a
// target that holds appointments without patients (a calendar).
const (
	ParamPatientName  = "patient_name"
	ParamPatientPhone = "patient_phone"
	ParamPatientEmail = "patient_email"
)

// withPatient adds the local patient's name, phone and email to an
// appointment's parameters (empty ones left out).
func withPatient(out map[string]any, p *models.Patient) map[string]any {
	if p == nil {
		return out
	}
	if name := strings.TrimSpace(p.FirstName + " " + p.LastName); name != "" {
		out[ParamPatientName] = name
	}
	if p.Phone != "" {
		out[ParamPatientPhone] = p.Phone
	}
	if p.Email != "" {
		out[ParamPatientEmail] = p.Email
	}
	return out
}

// fieldParams reads r's fields from the table: text when not empty, times
// as RFC 3339, minutes when positive, and the patient reference as the
// external id given.
func fieldParams[R any](fields []models.Field[R], r *R, patientExternalID string) map[string]any {
	out := make(map[string]any, len(fields))
	for _, f := range fields {
		switch {
		case f.Text != nil:
			if v := *f.Text(r); v != "" {
				out[f.Name] = v
			}
		case f.Time != nil:
			out[f.Name] = f.Time(r).UTC().Format(time.RFC3339)
		case f.Int != nil:
			if n := *f.Int(r); n > 0 {
				out[f.Name] = n
			}
		case f.ID != nil:
			if patientExternalID != "" {
				out[f.Name] = patientExternalID
			}
		}
	}
	return out
}

// forEndpoint keeps the parameters the endpoint takes, by its own name or
// through one of its request maps: a record has fields that a given
// system's function does not know, and those must not fail the call.
func forEndpoint(ce *definition.CompiledEndpoint, in map[string]any) map[string]any {
	mapped := map[string]bool{}
	for _, fm := range ce.Request {
		if _, ok := ce.Params[fm.External]; ok {
			mapped[fm.Internal] = true
		}
	}
	out := make(map[string]any, len(in))
	for k, v := range in {
		if _, own := ce.Params[k]; own || mapped[k] {
			out[k] = v
		}
	}
	return out
}
