package sandbox

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// c9OnlineReservations answers GetOnlineReservations: free chair times
// between startDate and endDate (a bare endDate covers its whole day), of
// Minutes or the appointment type's length (default 40), optionally for one
// LocationGUID or ScheduleColumnGUID, in the morning and/or afternoon.
func (s *Sandbox) c9OnlineReservations(p c9Params) c9Result {
	from, to, res := s.c9Window(p)
	if res.message != "" {
		return res
	}
	morning, afternoon := !strings.EqualFold(p.get("morning"), "false"), !strings.EqualFold(p.get("afternoon"), "false")
	loc := guidKey(p.get("LocationGUID", "locGUID"))
	chairGUID := guidKey(p.get("ScheduleColumnGUID", "ChairGUID", "schdcolGUID"))
	now := s.now()
	s.c9.mu.Lock()
	defer s.c9.mu.Unlock()
	typ, minutes, res := s.c9.reservationLength(p)
	if res.message != "" {
		return res
	}
	length := time.Duration(minutes) * time.Minute
	type slot struct {
		start time.Time
		chair c9Chair
	}
	var slots []slot
	for day := midnight(from); day.Before(to); day = day.AddDate(0, 0, 1) {
		if !isWeekday(day) {
			continue
		}
		for _, c := range s.c9.chairs {
			if (loc != "" && c.locGUID != loc) || (chairGUID != "" && c.guid != chairGUID) {
				continue
			}
			for t := atMinute(day, workStartMinute); !t.Add(length).After(atMinute(day, workStopMinute)); t = t.Add(length) {
				inWindow := !t.Before(from) && !t.Add(length).After(to) && !t.Before(now)
				if !inWindow || (t.Hour() < 12 && !morning) || (t.Hour() >= 12 && !afternoon) ||
					s.c9.chairTaken(c.guid, t, t.Add(length)) {
					continue
				}
				slots = append(slots, slot{t, c})
			}
		}
	}
	slices.SortStableFunc(slots, func(a, b slot) int { return a.start.Compare(b.start) })
	out := []c9Record{}
	for _, sl := range slots {
		out = append(out, c9Record{
			{"StartTime", sl.start.Format(c9DateTimeLayout)}, {"EndTime", sl.start.Add(length).Format(c9DateTimeLayout)},
			{"LocationGUID", sl.chair.locGUID}, {"ScheduleViewGUID", sl.chair.viewGUID},
			{"ScheduleViewDescription", sl.chair.viewName}, {"ScheduleColumnGUID", sl.chair.guid},
			{"ScheduleColumnDescription", sl.chair.name}, {"AppointmentTypeGUID", typ.guid},
			{"AppointmentTypeDescription", typ.name}, {"Minutes", strconv.Itoa(minutes)},
		})
	}
	return c9Result{records: out}
}

// c9Window reads startDate and endDate; at most 93 days apart.
func (s *Sandbox) c9Window(p c9Params) (from, to time.Time, res c9Result) {
	for _, name := range []string{"startDate", "endDate"} {
		if p.get(name) == "" {
			return from, to, c9Missing(name)
		}
	}
	from, ok := parseC9Time(p.get("startDate"), s.cfg.Location)
	if !ok {
		return from, to, c9Error(c9CodeInvalid, "startDate is not a valid date.")
	}
	to, ok = parseC9Time(p.get("endDate"), s.cfg.Location)
	if !ok {
		return from, to, c9Error(c9CodeInvalid, "endDate is not a valid date.")
	}
	if to.Equal(midnight(to)) {
		to = to.AddDate(0, 0, 1)
	}
	switch {
	case !to.After(from):
		return from, to, c9Error(c9CodeInvalid, "endDate must be after startDate.")
	case to.Sub(from) > 93*24*time.Hour:
		return from, to, c9Error(c9CodeInvalid, "The date range must not exceed 93 days.")
	}
	return from, to, c9Result{}
}

// reservationLength picks the appointment type and the slot length; the
// caller holds the lock.
func (st *c9State) reservationLength(p c9Params) (c9ApptType, int, c9Result) {
	typ := st.types[0]
	if v := p.get("AppointmentTypeGUID"); v != "" {
		var ok bool
		if typ, ok = st.apptType(v); !ok {
			return typ, 0, c9Error(c9CodeInvalid, "AppointmentTypeGUID does not exist.")
		}
	}
	minutes := typ.minutes
	if v := p.get("Minutes"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 5 || n > 540 {
			return typ, 0, c9Error(c9CodeInvalid, "Minutes must be a whole number between 5 and 540.")
		}
		minutes = n
	}
	return typ, cmp.Or(minutes, 40), c9Result{}
}
