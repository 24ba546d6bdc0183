package booking

import (
	"context"
	"errors"

	"switchboard/apperr"
	"switchboard/integrations/syncer"
	"switchboard/models"
	"switchboard/records"
)

type syncerStep = syncer.LastStep

// Field names of the records service's errors, in Open Dental's words.
var (
	appointmentNames = map[string]string{"start": "AptDateTime", "patient_id": "PatNum", "provider_ref": "ProvNum",
		"operatory_ref": "Op", "duration_minutes": "Pattern", "notes": "Note", "end": "Pattern"}
	patientNames = map[string]string{"last_name": "LName", "first_name": "FName", "birthdate": "Birthdate", "phone": "WirelessPhone",
		"email": "Email", "gender": "Gender", "address_line": "Address", "city": "City", "state": "State", "postal_code": "Zip"}
	slotNames = map[string]string{"from": "dateStart", "to": "dateEnd", "duration_minutes": "lengthMinutes",
		"provider_ref": "ProvNum", "operatory_ref": "OpNum"}
)

// renamed rewrites the field names of an *apperr.Error with names; other
// errors pass unchanged.
func renamed(err error, names map[string]string) error {
	var e *apperr.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = make([]apperr.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		if n, ok := names[f.Field]; ok {
			f.Field = n
		}
		out.Fields[i] = f
	}
	return &out
}

func getAvailableSlots(ctx context.Context, s *Service, c *Call, p params) (any, error) {
	q := records.AvailabilityQuery{From: p["dateStart"], To: p["dateEnd"], DurationMinutes: p["lengthMinutes"],
		ProviderRef: p["ProvNum"], OperatoryRef: p["OpNum"]}
	if q.To == "" {
		q.To = q.From
	}
	if q.DurationMinutes == "" {
		q.DurationMinutes = "30"
	}
	av, err := s.records.Availability(ctx, c.Org.ID, q)
	if err != nil {
		return nil, renamed(err, slotNames)
	}
	out := make([]map[string]any, 0, len(av.Slots))
	for _, sl := range av.Slots {
		out = append(out, map[string]any{"DateTimeStart": av.Zone.In(sl.Start).Format(DateTimeLayout),
			"DateTimeEnd": av.Zone.In(sl.End).Format(DateTimeLayout), "ProvNum": ref(sl.ProviderRef), "OpNum": ref(sl.OperatoryRef)})
	}
	return out, nil
}

func getAppointments(ctx context.Context, s *Service, c *Call, p params) (any, error) {
	if !knownStatus(p["AptStatus"]) {
		return nil, apperr.Validation(apperr.FieldError{Field: "AptStatus", Message: "must be Scheduled, Complete or Broken"})
	}
	zone := c.Org.Zone()
	r, err := records.ParseTimeRange(zone, p["dateStart"], p["dateEnd"])
	if err != nil {
		return nil, renamed(err, slotNames)
	}
	f := models.AppointmentFilter{From: r.From, To: r.To, Limit: 500}
	if p["PatNum"] != "" {
		if f.PatientID, err = p.id("PatNum"); err != nil {
			return nil, err
		}
	}
	as, err := s.records.Appointments(ctx, c.Org.ID, f)
	if err != nil {
		return nil, err
	}
	out := []map[string]any{}
	for i := range as {
		if st := p["AptStatus"]; st == "" || aptStatus(as[i].Status) == st {
			out = append(out, appointmentOD(&as[i], zone))
		}
	}
	return out, nil
}

func createAppointment(ctx context.Context, s *Service, c *Call, p params) (any, error) {
	v, err := p.appointmentValues()
	if err != nil {
		return nil, err
	}
	v["patient_id"] = p["PatNum"]
	if _, ok := v["duration_minutes"]; !ok {
		v["duration_minutes"] = "30"
	}
	zone := c.Org.Zone()
	a, _, err := s.records.CreateAppointment(ctx, c.Org.ID, v, func(a *models.Appointment) []syncerStep {
		return c.keep(func() any { return appointmentOD(a, zone) })
	})
	if err != nil {
		return nil, renamed(err, appointmentNames)
	}
	return appointmentOD(a, zone), nil
}

func updateAppointment(ctx context.Context, s *Service, c *Call, p params) (any, error) {
	id, err := p.id("AptNum")
	if err != nil {
		return nil, err
	}
	v, err := p.appointmentValues()
	if err != nil {
		return nil, err
	}
	zone := c.Org.Zone()
	a, _, err := s.records.UpdateAppointment(ctx, c.Org.ID, id, v, func(a *models.Appointment) []syncerStep {
		return c.keep(func() any { return appointmentOD(a, zone) })
	})
	if err != nil {
		return nil, renamed(err, appointmentNames)
	}
	return appointmentOD(a, zone), nil
}

// breakAppointment cancels; the answer is the appointment, broken.
func breakAppointment(ctx context.Context, s *Service, c *Call, p params) (any, error) {
	id, err := p.id("AptNum")
	if err != nil {
		return nil, err
	}
	zone := c.Org.Zone()
	a, _, err := s.records.CancelAppointment(ctx, c.Org.ID, id, func(a *models.Appointment) []syncerStep {
		return c.keep(func() any { return appointmentOD(a, zone) })
	})
	if err != nil {
		return nil, err
	}
	return appointmentOD(a, zone), nil
}
