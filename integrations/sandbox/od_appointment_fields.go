package sandbox

import (
	"strings"
	"time"
)

var (
	normAptStatus = enumNorm("Scheduled", "Scheduled", "Complete", "UnschedList", "ASAP", "Broken",
		"Planned", "PtNote", "PtNoteCompleted")
	normPriority = enumNorm("Normal", "Normal", "ASAP")
	normBool     = enumNorm("false", "true", "false")
)

// applyAppointment copies the fields present in b onto a (PatNum excepted)
// and explains the first invalid one.
func (st *odState) applyAppointment(a *OpenDentalAppointment, b odBody, loc *time.Location) string {
	if v, ok, msg := b.str("AptDateTime"); msg != "" {
		return msg
	} else if ok {
		t, err := time.ParseInLocation(odDateTimeLayout, v, loc)
		if err != nil {
			return "AptDateTime is not in a valid format (yyyy-MM-dd HH:mm:ss)."
		}
		a.AptDateTime = t.Format(odDateTimeLayout)
	}
	if v, ok, msg := b.str("Pattern"); msg != "" {
		return msg
	} else if ok {
		v = strings.ToUpper(v)
		if v == "" || strings.Trim(v, "X/") != "" || len(v) > 24*12 {
			return "Pattern is invalid. Use X and / in 5 minute increments."
		}
		a.Pattern = v
	}
	for _, f := range []struct {
		name string
		dst  *string
		norm func(string) (string, bool)
	}{
		{"AptStatus", &a.AptStatus, normAptStatus},
		{"Priority", &a.Priority, normPriority},
		{"IsNewPatient", &a.IsNewPatient, normBool},
		{"Note", &a.Note, nil},
	} {
		v, ok, msg := b.str(f.name)
		if msg != "" {
			return msg
		}
		if !ok {
			continue
		}
		if f.norm != nil {
			if v, ok = f.norm(v); !ok {
				return f.name + " is invalid."
			}
		}
		*f.dst = v
	}
	return st.applyAppointmentRefs(a, b)
}

// applyAppointmentRefs sets the numeric fields, which must name existing
// records.
func (st *odState) applyAppointmentRefs(a *OpenDentalAppointment, b odBody) string {
	for _, f := range []struct {
		name  string
		dst   *int64
		valid func(int64) bool
	}{
		{"Op", &a.Op, func(v int64) bool { _, ok := st.operatory(v); return ok }},
		{"ProvNum", &a.ProvNum, func(v int64) bool { _, ok := st.provider(v); return ok }},
		{"ProvHyg", &a.ProvHyg, func(v int64) bool { _, ok := st.provider(v); return v == 0 || ok }},
		{"Confirmed", &a.Confirmed, func(v int64) bool { _, ok := odConfirmName(v); return ok }},
		{"ClinicNum", &a.ClinicNum, func(v int64) bool { return v >= 0 }},
		{"AppointmentTypeNum", &a.AppointmentTypeNum, func(v int64) bool { return v >= 0 }},
	} {
		v, ok, msg := b.num(f.name)
		if msg != "" {
			return msg
		}
		if !ok {
			continue
		}
		if !f.valid(v) {
			return f.name + " is invalid."
		}
		*f.dst = v
	}
	return ""
}

// appointmentMatcher builds the filter of GET /appointments.
func (s *Sandbox) appointmentMatcher(q odQuery) (func(OpenDentalAppointment) bool, string) {
	var nums [3]int64
	for i, name := range []string{"PatNum", "Op", "ClinicNum"} {
		v, ok, msg := q.num(name)
		if msg != "" {
			return nil, msg
		}
		if ok {
			nums[i] = v
		} else {
			nums[i] = -1
		}
	}
	status := q.get("AptStatus")
	from, to, msg := dateRange(q, "", "")
	if msg != "" {
		return nil, msg
	}
	since, msg := s.stampFilter(q)
	if msg != "" {
		return nil, msg
	}
	return func(a OpenDentalAppointment) bool {
		day := a.AptDateTime[:min(10, len(a.AptDateTime))]
		switch {
		case nums[0] >= 0 && a.PatNum != nums[0],
			nums[1] >= 0 && a.Op != nums[1],
			nums[2] >= 0 && a.ClinicNum != nums[2],
			status != "" && !strings.EqualFold(status, a.AptStatus),
			from != "" && day < from,
			to != "" && day > to,
			since != "" && a.DateTStamp < since:
			return false
		}
		return true
	}, ""
}

// dateRange reads date, or dateStart and dateEnd, as "yyyy-MM-dd" strings;
// defFrom and defTo apply when neither is given.
func dateRange(q odQuery, defFrom, defTo string) (from, to, errMsg string) {
	if d := q.get("date"); d != "" {
		v, ok := normDateStrict(d)
		if !ok {
			return "", "", "date is not in a valid format (yyyy-MM-dd)."
		}
		return v, v, ""
	}
	from, to = defFrom, defTo
	if d := q.get("dateStart"); d != "" {
		v, ok := normDateStrict(d)
		if !ok {
			return "", "", "dateStart is not in a valid format (yyyy-MM-dd)."
		}
		from = v
	}
	if d := q.get("dateEnd"); d != "" {
		v, ok := normDateStrict(d)
		if !ok {
			return "", "", "dateEnd is not in a valid format (yyyy-MM-dd)."
		}
		to = v
	}
	if from != "" && to != "" && to < from {
		return "", "", "dateEnd must not be before dateStart."
	}
	return from, to, ""
}

func normDateStrict(v string) (string, bool) {
	if v == "" {
		return "", false
	}
	return normDate(v)
}
