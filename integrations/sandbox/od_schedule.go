package sandbox

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// odListProviders serves GET /providers (DateTStamp filters).
func (s *Sandbox) odListProviders(w http.ResponseWriter, r *http.Request) {
	since, msg := s.stampFilter(queryOf(r))
	if msg != "" {
		odError(w, http.StatusBadRequest, msg)
		return
	}
	s.od.mu.Lock()
	out := pageOf(s.od.providers, func(p OpenDentalProvider) bool { return p.DateTStamp >= since }, 100, 0)
	s.od.mu.Unlock()
	for i := range out {
		out[i].ServerDateTime = serverTime(r)
	}
	odJSON(w, http.StatusOK, out)
}

// odGetProvider serves GET /providers/{ProvNum}.
func (s *Sandbox) odGetProvider(w http.ResponseWriter, r *http.Request) {
	num, _ := pathNum(r, "ProvNum")
	s.od.mu.Lock()
	p, found := s.od.provider(num)
	s.od.mu.Unlock()
	if !found {
		odError(w, http.StatusNotFound, "Provider not found.")
		return
	}
	p.ServerDateTime = serverTime(r)
	odJSON(w, http.StatusOK, p)
}

// odListOperatories serves GET /operatories.
func (s *Sandbox) odListOperatories(w http.ResponseWriter, r *http.Request) {
	s.od.mu.Lock()
	out := slices.Clone(s.od.operatories)
	s.od.mu.Unlock()
	odJSON(w, http.StatusOK, out)
}

// odGetOperatory serves GET /operatories/{OperatoryNum}.
func (s *Sandbox) odGetOperatory(w http.ResponseWriter, r *http.Request) {
	num, _ := pathNum(r, "OperatoryNum")
	s.od.mu.Lock()
	o, found := s.od.operatory(num)
	s.od.mu.Unlock()
	if !found {
		odError(w, http.StatusNotFound, "Operatory not found.")
		return
	}
	odJSON(w, http.StatusOK, o)
}

// odListSchedules serves GET /schedules: date or dateStart/dateEnd (default
// today), ProvNum, SchedType, Limit, Offset.
func (s *Sandbox) odListSchedules(w http.ResponseWriter, r *http.Request) {
	q := queryOf(r)
	limit, offset, msg := q.page()
	if msg != "" {
		odError(w, http.StatusBadRequest, msg)
		return
	}
	days, msg := s.days(q, 0)
	if msg != "" {
		odError(w, http.StatusBadRequest, msg)
		return
	}
	prov, hasProv, msg := q.num("ProvNum")
	if msg != "" {
		odError(w, http.StatusBadRequest, msg)
		return
	}
	if t := q.get("SchedType"); t != "" && t != "Provider" {
		odJSON(w, http.StatusOK, []OpenDentalSchedule{})
		return
	}
	all := s.schedules(days)
	keep := func(sc OpenDentalSchedule) bool { return !hasProv || sc.ProvNum == prov }
	odJSON(w, http.StatusOK, pageOf(all, keep, limit, offset))
}

// days reads the date range of a schedule or slot search: date, or
// dateStart and dateEnd; by default today, through today+extra days.
func (s *Sandbox) days(q odQuery, extra int) ([]time.Time, string) {
	today := s.now()
	from, to, msg := dateRange(q, today.Format(odDateLayout), "")
	if msg != "" {
		return nil, msg
	}
	start, _ := time.ParseInLocation(odDateLayout, from, s.cfg.Location)
	end := start.AddDate(0, 0, extra)
	if to != "" {
		end, _ = time.ParseInLocation(odDateLayout, to, s.cfg.Location)
	}
	if end.Sub(start) > 366*24*time.Hour {
		return nil, "The date range must not exceed one year."
	}
	var days []time.Time
	for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
		days = append(days, d)
	}
	return days, ""
}

// schedules derives the seeded schedules of the given days: every
// operatory's provider works weekdays 08:00–17:00.
func (s *Sandbox) schedules(days []time.Time) []OpenDentalSchedule {
	s.od.mu.Lock()
	ops := slices.Clone(s.od.operatories)
	stamp := s.od.seededAt.Format(odDateTimeLayout)
	s.od.mu.Unlock()
	var out []OpenDentalSchedule
	for _, d := range days {
		if !isWeekday(d) {
			continue
		}
		for _, o := range ops {
			y, m, dd := d.Date()
			out = append(out, OpenDentalSchedule{
				ScheduleNum: int64(((y*100+int(m))*100+dd)*100) + o.OperatoryNum,
				SchedDate:   d.Format(odDateLayout),
				StartTime:   fmt.Sprintf("%02d:%02d:00", workStartMinute/60, workStartMinute%60),
				StopTime:    fmt.Sprintf("%02d:%02d:00", workStopMinute/60, workStopMinute%60),
				SchedType:   "Provider", ProvNum: o.opProvider(), Status: "Open",
				DateTStamp: stamp, Operatories: strconv.FormatInt(o.OperatoryNum, 10),
			})
		}
	}
	return out
}
