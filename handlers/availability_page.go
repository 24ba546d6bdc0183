package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/clock"
	"switchboard/integrations/reference"
	"switchboard/records"
	"switchboard/views/components"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

// availabilityBudget is how long the availability page waits for the
// practice system before it shows the week from Switchboard's own data,
// with a warning.
const availabilityBudget = 2 * time.Second

// AvailabilityPageHandler serves the week's free slots page.
type AvailabilityPageHandler struct {
	svc *records.Service
	ref *reference.Service
}

// NewAvailabilityPageHandler returns an AvailabilityPageHandler.
func NewAvailabilityPageHandler(svc *records.Service, ref *reference.Service) *AvailabilityPageHandler {
	return &AvailabilityPageHandler{svc: svc, ref: ref}
}

// WeekQuery is the query of GET /availability: the provider, operatory,
// week (its Monday) and duration of the grid.
type WeekQuery struct {
	Week            string `query:"week"`
	DurationMinutes string `query:"duration_minutes"`
	ProviderRef     string `query:"provider_ref"`
	OperatoryRef    string `query:"operatory_ref"`
}

// Page handles GET /availability?provider_ref=&operatory_ref=&week=&duration_minutes=.
// Without a query it shows the form only; a bad query shows its field
// errors (422).
func (h *AvailabilityPageHandler) Page(c echo.Context) error {
	var wq WeekQuery
	if err := web.BindQuery(c, &wq); err != nil {
		return err
	}
	q := records.WeekQuery(wq)
	page := pages.AvailabilityPage{Week: q.Week, Duration: q.DurationMinutes, Provider: q.ProviderRef, Operatory: q.OperatoryRef}
	if page.Duration == "" {
		page.Duration = "30"
	}
	// The pickers' lists and the week are asked of the practice system
	// side by side, each within the budget.
	var wg sync.WaitGroup
	wg.Go(func() { page.Providers = h.options(c, "providers", "Choose a provider") })
	wg.Go(func() { page.Operatories = h.options(c, "operatories", "Any operatory") })
	var week *records.Week
	var err error
	if wq != (WeekQuery{}) {
		week, err = h.svc.WeekWithin(c.Request().Context(), session.From(c).Org.ID, q, time.Now(), availabilityBudget)
	}
	wg.Wait()
	if ps := web.Problems(err); ps != nil {
		page.Errors = web.ProblemMap(ps)
		return web.Render(c, http.StatusUnprocessableEntity, pages.Availability(page))
	}
	if err != nil {
		return err
	}
	if week != nil {
		page.Week = week.Monday
		page.Grid = weekGrid(week, q)
		page.Warning = week.Warning
	}
	return web.Render(c, http.StatusOK, pages.Availability(page))
}

// options lists the practice system's reference kind as choices, led by
// an empty one; nil when no practice system answers it (the page then
// shows a text box).
func (h *AvailabilityPageHandler) options(c echo.Context, kind, none string) []components.SelectOption {
	ctx, cancel := context.WithTimeout(c.Request().Context(), availabilityBudget)
	defer cancel()
	list, err := h.ref.Get(ctx, session.From(c).Org, kind, "")
	if err != nil || len(list.Items) == 0 {
		return nil
	}
	out := []components.SelectOption{{Value: "", Label: none}}
	for _, it := range list.Items {
		out = append(out, components.SelectOption{Value: it.ID, Label: it.Label})
	}
	return out
}

// weekGrid is the view of the week: a column per day, a link per free
// start that opens the booking form with the slot filled in.
func weekGrid(w *records.Week, q records.WeekQuery) *pages.WeekGrid {
	around := func(monday string) url.Values {
		v := url.Values{"week": {monday}, "provider_ref": {q.ProviderRef}, "duration_minutes": {strconv.Itoa(w.Duration)}}
		if q.OperatoryRef != "" {
			v.Set("operatory_ref", q.OperatoryRef)
		}
		return v
	}
	g := &pages.WeekGrid{Title: "Week of " + w.Days[0].Date.Format("Mon 2 Jan 2006"), Prev: around(w.Prev), Next: around(w.Next)}
	for _, d := range w.Days {
		col := pages.DayColumn{Date: d.Date.Format(time.DateOnly), Weekday: d.Date.Format("Monday"), Label: d.Date.Format("2 Jan"), Open: d.Open}
		for _, s := range d.Slots {
			col.Slots = append(col.Slots, slotLink(w.Zone, w.Duration, s))
		}
		g.Days = append(g.Days, col)
	}
	return g
}

// slotLink is one free start and the booking form's query for it.
func slotLink(z clock.Zone, duration int, s records.Slot) pages.SlotLink {
	start := z.FormatInput(s.Start)
	return pages.SlotLink{Label: z.In(s.Start).Format("15:04"), Start: start, Query: url.Values{"start": {start},
		"provider_ref": {s.ProviderRef}, "operatory_ref": {s.OperatoryRef}, "duration_minutes": {strconv.Itoa(duration)}}}
}
