package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchboard/records"
	"switchboard/web"
	"switchboard/web/session"
)

// AvailabilityQuery is the query of GET /api/availability.
type AvailabilityQuery struct {
	From            string `query:"from"`
	To              string `query:"to"`
	DurationMinutes string `query:"duration_minutes"`
	StepMinutes     string `query:"step_minutes"`
	ProviderRef     string `query:"provider_ref"`
	OperatoryRef    string `query:"operatory_ref"`
}

// SlotAnswer is one free slot, its times in the practice's offset.
type SlotAnswer struct {
	Start        string `json:"start"`
	End          string `json:"end"`
	ProviderRef  string `json:"provider_ref"`
	OperatoryRef string `json:"operatory_ref"`
}

// AvailabilityAnswer is the answer of GET /api/availability.
type AvailabilityAnswer struct {
	Items []SlotAnswer `json:"items"`
}

// APIAvailability handles GET /api/availability?from=&to=&duration_minutes=&provider_ref=&operatory_ref=&step_minutes=.
func (h *AppointmentHandler) APIAvailability(c echo.Context) error {
	var q AvailabilityQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	av, err := h.svc.Availability(c.Request().Context(), session.From(c).Org.ID, records.AvailabilityQuery(q))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, availabilityAnswer(av))
}

func availabilityAnswer(av *records.Availability) AvailabilityAnswer {
	out := AvailabilityAnswer{Items: make([]SlotAnswer, 0, len(av.Slots))}
	for _, s := range av.Slots {
		out.Items = append(out.Items, SlotAnswer{Start: av.Zone.Format(s.Start), End: av.Zone.Format(s.End),
			ProviderRef: s.ProviderRef, OperatoryRef: s.OperatoryRef})
	}
	return out
}
