package agent

import (
	"context"
	"strconv"

	"switchboard/models"
	"switchboard/records"
)

// RecordsSlots answers find_open_slots from the records service's
// availability search (the same as GET /api/availability).
type RecordsSlots struct{ Records *records.Service }

// FindSlots runs the search for the caller's organization.
func (r RecordsSlots) FindSlots(ctx context.Context, org *models.Organization, q SlotQuery) ([]Slot, error) {
	in := records.AvailabilityQuery{From: q.From, To: q.To, DurationMinutes: strconv.Itoa(q.DurationMinutes),
		ProviderRef: q.ProviderRef, OperatoryRef: q.OperatoryRef}
	if q.StepMinutes != 0 {
		in.StepMinutes = strconv.Itoa(q.StepMinutes)
	}
	av, err := r.Records.Availability(ctx, org.ID, in)
	if err != nil {
		return nil, err
	}
	out := make([]Slot, 0, len(av.Slots))
	for _, s := range av.Slots {
		out = append(out, Slot{Start: av.Zone.Format(s.Start), End: av.Zone.Format(s.End), ProviderRef: s.ProviderRef, OperatoryRef: s.OperatoryRef})
	}
	return out, nil
}
