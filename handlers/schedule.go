package handlers

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/clock"
	"switchboard/models"
	"switchboard/records"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

// ScheduleQuery is the query of GET /schedule: the practice-local day
// (today when left out).
type ScheduleQuery struct {
	Date string `query:"date"`
}

// scheduleStep is the height of one row of the day schedule.
const scheduleStep = 15 * time.Minute

// Schedule handles GET /schedule?date=: the day's appointments as blocks
// in practice time, one column per provider, free time between them as
// cells that start a booking.
func (h *AppointmentHandler) Schedule(c echo.Context) error {
	var q ScheduleQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	z, org := session.Zone(c), session.From(c).Org
	day, err := time.Parse(time.DateOnly, strings.TrimSpace(q.Date))
	if err != nil {
		day, _ = time.Parse(time.DateOnly, z.In(time.Now()).Format(time.DateOnly))
	}
	date := day.Format(time.DateOnly)
	from, _ := records.ParseListEdge(z, date, false)
	to, _ := records.ParseListEdge(z, date, true)
	ctx := c.Request().Context()
	as, err := h.svc.Appointments(ctx, org.ID, models.AppointmentFilter{From: from, To: to, Order: models.OrderByStart, Limit: 200})
	if err != nil {
		return err
	}
	as = slices.DeleteFunc(as, func(a models.Appointment) bool { return a.Status == models.StatusCancelled })
	labels := labelsOf(ctx, h.ref, org)
	names, err := h.svc.PatientNames(ctx, org.ID, as)
	if err != nil {
		return err
	}
	page := pages.SchedulePage{Date: date, Title: day.Format("Monday 2 January 2006"),
		Prev: day.AddDate(0, 0, -1).Format(time.DateOnly), Next: day.AddDate(0, 0, 1).Format(time.DateOnly)}
	page.Columns = scheduleColumns(labels, as)
	first, last := dayRange(org.Hours(), z, day, as)
	page.Rows = scheduleRows(z, web.URLs(c).Appointments(), page.Columns, as, names, first, last)
	return web.Render(c, http.StatusOK, pages.Schedule(page))
}

// scheduleColumns are the providers of the practice system's list, then
// any other provider the day's appointments name ("" as "No provider").
func scheduleColumns(labels refLabels, as []models.Appointment) []pages.ScheduleColumn {
	var cols []pages.ScheduleColumn
	seen := map[string]bool{}
	ids := make([]string, 0, len(labels["provider_ref"]))
	for id := range labels["provider_ref"] {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, a := range as {
		if !slices.Contains(ids, a.ProviderRef) && !seen[a.ProviderRef] {
			seen[a.ProviderRef] = true
			ids = append(ids, a.ProviderRef)
		}
	}
	for _, id := range ids {
		label := labels.of("provider_ref", id)
		if id == "" {
			label = "No provider"
		}
		cols = append(cols, pages.ScheduleColumn{Ref: id, Label: label})
	}
	return cols
}

// dayRange is the practice-local span the schedule shows: the day's
// opening hours (08:00 to 18:00 without them), widened to every
// appointment of the day.
func dayRange(h clock.Hours, z clock.Zone, day time.Time, as []models.Appointment) (time.Time, time.Time) {
	at := func(hhmm string) time.Time {
		t, err := z.Parse(day.Format(time.DateOnly) + "T" + hhmm)
		if err != nil {
			return time.Time{}
		}
		return t
	}
	first, last := at("08:00"), at("18:00")
	if ivs := h.Normalize()[strings.ToLower(day.Weekday().String()[:3])]; len(ivs) > 0 {
		first, last = at(ivs[0].Start), at(ivs[len(ivs)-1].End)
	}
	for _, a := range as {
		if a.Start.Before(first) {
			first = a.Start.Truncate(scheduleStep)
		}
		if a.End.After(last) {
			last = a.End
		}
	}
	return first, last
}

// scheduleRows lays the appointments out in rows of scheduleStep: a block
// where one starts (spanning its length), nothing where one goes on, a
// free cell — a link that starts a booking there — elsewhere.
func scheduleRows(z clock.Zone, book string, cols []pages.ScheduleColumn, as []models.Appointment, names map[int64]string,
	first, last time.Time) []pages.ScheduleRow {
	var rows []pages.ScheduleRow
	busyUntil := make([]time.Time, len(cols))
	for t := first; t.Before(last); t = t.Add(scheduleStep) {
		row := pages.ScheduleRow{Time: z.In(t).Format("15:04")}
		for i, col := range cols {
			row.Cells = append(row.Cells, scheduleCell(z, book, col, as, names, t, last, &busyUntil[i]))
		}
		rows = append(rows, row)
	}
	return rows
}

// scheduleCell is one column's cell of the row at t.
func scheduleCell(z clock.Zone, book string, col pages.ScheduleColumn, as []models.Appointment, names map[int64]string,
	t, last time.Time, busyUntil *time.Time) pages.ScheduleCell {
	if t.Before(*busyUntil) {
		return pages.ScheduleCell{Skip: true}
	}
	for _, a := range as {
		if a.ProviderRef != col.Ref || a.Start.Before(t) || !a.Start.Before(t.Add(scheduleStep)) {
			continue
		}
		end := a.End
		if end.After(last) {
			end = last
		}
		span := max(1, int((end.Sub(t)+scheduleStep-1)/scheduleStep))
		*busyUntil = t.Add(time.Duration(span) * scheduleStep)
		return pages.ScheduleCell{Span: span, AppointmentID: a.ID, Patient: names[a.PatientID], Status: a.Status,
			Times: z.In(a.Start).Format("15:04") + "–" + z.In(a.End).Format("15:04")}
	}
	v := url.Values{"start": {z.In(t).Format("2006-01-02T15:04")}, "duration_minutes": {"30"}}
	if col.Ref != "" {
		v.Set("provider_ref", col.Ref)
	}
	return pages.ScheduleCell{Span: 1, FreeURL: book + "?" + v.Encode() + "#book"}
}
