package handlers

import (
	"context"
	"fmt"
	"time"

	"switchboard/clock"
	"switchboard/integrations/reference"
	"switchboard/models"
	"switchboard/records"
	"switchboard/views/pages"
)

// refLabels are the practice system's labels of reference ids, by field
// (provider_ref, operatory_ref, …): pages show "Dr Maya Chen", not "1".
type refLabels map[string]map[string]string

// labelsOf reads the labels of the practice system appointments go to;
// a list that cannot be read leaves its ids as they are.
func labelsOf(ctx context.Context, ref *reference.Service, org *models.Organization) refLabels {
	out := refLabels{}
	if ref == nil {
		return out
	}
	ps, err := ref.Pickers(ctx, org)
	if err != nil {
		return out
	}
	return labelsFrom(ps)
}

// labelsFrom are the labels of the reference lists read.
func labelsFrom(ps []reference.Picker) refLabels {
	out := refLabels{}
	for _, p := range ps {
		m := map[string]string{}
		for _, it := range p.Items {
			m[it.ID] = it.Label
		}
		out[p.Field] = m
	}
	return out
}

// of is the label of a field's id (the id itself when it is not listed).
func (l refLabels) of(field, id string) string {
	if label, ok := l[field][id]; ok && label != "" {
		return label
	}
	return id
}

// appointmentRows are appointments as list rows: the patient's name, the
// start in practice time, the provider and operatory by their labels.
func appointmentRows(ctx context.Context, svc *records.Service, labels refLabels, z clock.Zone, as []models.Appointment) ([]pages.AppointmentRow, error) {
	if len(as) == 0 {
		return nil, nil
	}
	names, err := svc.PatientNames(ctx, as[0].OrganizationID, as)
	if err != nil {
		return nil, err
	}
	states, err := svc.AppointmentStatesOf(ctx, as[0].OrganizationID, as)
	if err != nil {
		return nil, err
	}
	out := make([]pages.AppointmentRow, 0, len(as))
	for _, a := range as {
		name := names[a.PatientID]
		if name == "" {
			name = fmt.Sprintf("patient %d", a.PatientID)
		}
		out = append(out, pages.AppointmentRow{ID: a.ID, Patient: name, Start: z.FormatPage(a.Start), Duration: a.DurationMinutes,
			Status: a.Status, Sync: badges(states[a.ID]), Provider: labels.of("provider_ref", a.ProviderRef),
			Operatory: labels.of("operatory_ref", a.OperatoryRef), Past: !a.End.After(time.Now())})
	}
	return out, nil
}

// slotTakenMessage says who holds the slot, as the front desk reads it:
// "Maya Chen (DOC1) already has Ana Lopez from 09:00 to 09:30".
func slotTakenMessage(ctx context.Context, svc *records.Service, labels refLabels, z clock.Zone, orgID int64, wanted map[string]string, holder int64) string {
	h, err := svc.Appointment(ctx, orgID, holder)
	if err != nil {
		return ""
	}
	who := labels.of("provider_ref", h.ProviderRef)
	if h.ProviderRef == "" || h.ProviderRef != wanted["provider_ref"] {
		who = labels.of("operatory_ref", h.OperatoryRef)
	}
	patient := fmt.Sprintf("patient %d", h.PatientID)
	if names, err := svc.PatientNames(ctx, orgID, []models.Appointment{*h}); err == nil && names[h.PatientID] != "" {
		patient = names[h.PatientID]
	}
	return fmt.Sprintf("%s already has %s from %s to %s", who, patient, z.In(h.Start).Format("15:04"), z.In(h.End).Format("15:04"))
}
