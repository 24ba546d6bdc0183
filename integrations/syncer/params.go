package syncer

import (
	"time"

	"switchboard/integrations/definition"
	"switchboard/models"
)

// patientParams are a patient's fields by internal name (empty ones left
// out: an absent value is not a value to send).
func patientParams(p *models.Patient) map[string]any {
	return nonEmpty(map[string]any{
		"first_name": p.FirstName, "last_name": p.LastName, "birthdate": p.Birthdate, "phone": p.Phone,
		"email": p.Email, "gender": p.Gender, "address_line": p.AddressLine, "city": p.City,
		"state": p.State, "postal_code": p.PostalCode,
	})
}

// appointmentParams are an appointment's fields by internal name, with
// patient_id replaced by the patient's id in the external system.
func appointmentParams(a *models.Appointment, patientExternalID string) map[string]any {
	out := nonEmpty(map[string]any{
		"patient_id": patientExternalID, "start": a.Start.UTC().Format(time.RFC3339),
		"end": a.End.UTC().Format(time.RFC3339), "provider_ref": a.ProviderRef, "operatory_ref": a.OperatoryRef,
		"location_ref": a.LocationRef, "appointment_type": a.AppointmentType, "status": a.Status, "notes": a.Notes,
	})
	if a.DurationMinutes > 0 {
		out["duration_minutes"] = a.DurationMinutes
	}
	return out
}

func nonEmpty(in map[string]any) map[string]any {
	for k, v := range in {
		if s, ok := v.(string); ok && s == "" {
			delete(in, k)
		}
	}
	return in
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
