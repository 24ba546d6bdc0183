package sandbox

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// busy is a booked interval of an operatory and its provider.
type busy struct {
	op, prov   int64
	start, end time.Time
}

// blocksTime reports whether an appointment in this status occupies its
// chair.
func blocksTime(status string) bool {
	return status == "Scheduled" || status == "Complete" || status == "ASAP"
}

// odSlots serves GET /appointments/Slots: free blocks of lengthMinutes
// (default 30) in the seeded schedules, from date or dateStart/dateEnd
// (default today through seven days on), optionally for one ProvNum or
// OpNum. Slots in the past are left out.
func (s *Sandbox) odSlots(w http.ResponseWriter, r *http.Request) {
	q := queryOf(r)
	days, msg := s.days(q, 7)
	if msg == "" && len(days) > 93 {
		msg = "The date range of a slot search must not exceed 93 days."
	}
	length, hasLength, lmsg := q.num("lengthMinutes")
	if msg == "" && lmsg != "" {
		msg = lmsg
	}
	if !hasLength {
		length = 30
	}
	if msg == "" && (length < 5 || length > 9*60 || length%5 != 0) {
		msg = "lengthMinutes must be a multiple of 5 between 5 and 540."
	}
	prov, hasProv, pmsg := q.num("ProvNum")
	op, hasOp, omsg := q.num("OpNum")
	for _, m := range []string{msg, pmsg, omsg} {
		if m != "" {
			odError(w, http.StatusBadRequest, m)
			return
		}
	}
	var scheds []OpenDentalSchedule
	for _, sc := range s.schedules(days) {
		if (!hasProv || sc.ProvNum == prov) && (!hasOp || sc.Operatories == strconv.FormatInt(op, 10)) {
			scheds = append(scheds, sc)
		}
	}
	odJSON(w, http.StatusOK, s.freeSlots(scheds, days, time.Duration(length)*time.Minute))
}

// freeSlots walks each schedule in steps of length, jumping past booked
// intervals of its operatory or its provider.
func (s *Sandbox) freeSlots(scheds []OpenDentalSchedule, days []time.Time, length time.Duration) []OpenDentalSlot {
	booked := s.bookedByDay(days)
	now := s.now()
	out := []OpenDentalSlot{}
	for _, sc := range scheds {
		day, _ := time.ParseInLocation(odDateLayout, sc.SchedDate, s.cfg.Location)
		op, _ := strconv.ParseInt(sc.Operatories, 10, 64)
		var mine []busy
		for _, b := range booked[sc.SchedDate] {
			if b.op == op || b.prov == sc.ProvNum {
				mine = append(mine, b)
			}
		}
		end := atMinute(day, workStopMinute)
		for t := atMinute(day, workStartMinute); !t.Add(length).After(end); {
			slotEnd := t.Add(length)
			if i := slices.IndexFunc(mine, func(b busy) bool { return overlaps(t, slotEnd, b.start, b.end) }); i >= 0 {
				t = mine[i].end
				continue
			}
			if !t.Before(now) {
				out = append(out, OpenDentalSlot{DateTimeStart: t.Format(odDateTimeLayout),
					DateTimeEnd: slotEnd.Format(odDateTimeLayout), ProvNum: sc.ProvNum, OpNum: op})
			}
			t = slotEnd
		}
	}
	slices.SortFunc(out, func(a, b OpenDentalSlot) int {
		return cmp.Or(cmp.Compare(a.DateTimeStart, b.DateTimeStart), cmp.Compare(a.OpNum, b.OpNum))
	})
	return out
}

// bookedByDay collects the booked intervals of the given days, by date.
func (s *Sandbox) bookedByDay(days []time.Time) map[string][]busy {
	want := map[string]bool{}
	for _, d := range days {
		want[d.Format(odDateLayout)] = true
	}
	out := map[string][]busy{}
	s.od.mu.Lock()
	defer s.od.mu.Unlock()
	for _, a := range s.od.appts {
		if !blocksTime(a.AptStatus) || len(a.AptDateTime) < 10 || !want[a.AptDateTime[:10]] {
			continue
		}
		start, err := time.ParseInLocation(odDateTimeLayout, a.AptDateTime, s.cfg.Location)
		if err != nil {
			continue
		}
		b := busy{op: a.Op, prov: a.ProvNum, start: start, end: start.Add(time.Duration(a.minutes()) * time.Minute)}
		out[a.AptDateTime[:10]] = append(out[a.AptDateTime[:10]], b)
	}
	return out
}
