package sandbox

import (
	"cmp"
	"slices"
	"strconv"
	"time"
)

// appointmentRecord renders an appointment; the caller holds the lock.
func (st *c9State) appointmentRecord(a Cloud9Appointment) c9Record {
	pt, _ := st.patient(a.PatientGUID)
	if pt == nil {
		pt = &Cloud9Patient{}
	}
	t, _ := st.apptType(a.AppointmentTypeGUID)
	l, _ := st.location(a.LocationGUID)
	c, _ := st.chair(a.ScheduleColumnGUID)
	return c9Record{
		{"AppointmentGUID", a.AppointmentGUID}, {"PatientGUID", a.PatientGUID},
		{"PatientFirstName", pt.PatientFirstName}, {"PatientLastName", pt.PatientLastName},
		{"AppointmentDateTime", a.AppointmentDateTime}, {"EndTime", a.end().Format(c9DateTimeLayout)},
		{"AppointmentMinutes", strconv.Itoa(a.AppointmentMinutes)},
		{"AppointmentTypeGUID", a.AppointmentTypeGUID}, {"AppointmentTypeDescription", t.name},
		{"AppointmentStatus", a.AppointmentStatus}, {"AppointmentNote", a.AppointmentNote},
		{"LocationGUID", a.LocationGUID}, {"LocationName", l.name},
		{"ScheduleViewGUID", a.ScheduleViewGUID}, {"ScheduleColumnGUID", a.ScheduleColumnGUID},
		{"Chair", c.name}, {"OrthodontistGUID", a.OrthodontistGUID},
	}
}

// c9AppointmentsByPatient answers GetAppointmentListByPatient (patGUID).
func (s *Sandbox) c9AppointmentsByPatient(p c9Params) c9Result {
	guid := p.get("patGUID", "PatientGUID")
	if guid == "" {
		return c9Missing("patGUID")
	}
	s.c9.mu.Lock()
	defer s.c9.mu.Unlock()
	if _, ok := s.c9.patient(guid); !ok {
		return c9Error(c9CodeInvalid, "Patient GUID does not exist.")
	}
	var mine []Cloud9Appointment
	for _, a := range s.c9.appts {
		if a.PatientGUID == guidKey(guid) {
			mine = append(mine, a)
		}
	}
	slices.SortFunc(mine, func(a, b Cloud9Appointment) int { return a.start.Compare(b.start) })
	out := []c9Record{}
	for _, a := range mine {
		out = append(out, s.c9.appointmentRecord(a))
	}
	return c9Result{records: out}
}

// c9SetAppointment answers SetAppointment: PatientGUID and StartTime are
// required; the chair defaults to the first of the patient's location and
// the type to New Patient Exam. A taken chair time is refused.
func (s *Sandbox) c9SetAppointment(p c9Params) c9Result {
	patGUID, startText := p.get("PatientGUID", "patGUID"), p.get("StartTime")
	switch {
	case patGUID == "":
		return c9Missing("PatientGUID")
	case startText == "":
		return c9Missing("StartTime")
	}
	start, ok := parseC9Time(startText, s.cfg.Location)
	if !ok {
		return c9Error(c9CodeInvalid, "StartTime is not a valid date and time.")
	}
	s.c9.mu.Lock()
	a, res := s.c9.newAppointment(p, patGUID, start.Truncate(time.Minute))
	if res.message == "" {
		s.c9.insertAppointment(a)
	}
	s.c9.mu.Unlock()
	if res.message != "" {
		return res
	}
	s.stats.created(func(c *CreatedCounts) { c.Cloud9Appointments++ })
	return c9Result{records: []c9Record{{
		{"Result", "Appointment GUID Added: " + a.AppointmentGUID}, {"AppointmentGUID", a.AppointmentGUID},
	}}}
}

// newAppointment validates a SetAppointment; the caller holds the lock.
func (st *c9State) newAppointment(p c9Params, patGUID string, start time.Time) (Cloud9Appointment, c9Result) {
	pt, ok := st.patient(patGUID)
	if !ok {
		return Cloud9Appointment{}, c9Error(c9CodeInvalid, "Patient GUID does not exist.")
	}
	chair, res := st.chooseChair(p, pt.LocationGUID)
	if res.message != "" {
		return Cloud9Appointment{}, res
	}
	typ := st.types[0]
	if v := p.get("AppointmentTypeGUID"); v != "" {
		if typ, ok = st.apptType(v); !ok {
			return Cloud9Appointment{}, c9Error(c9CodeInvalid, "AppointmentTypeGUID does not exist.")
		}
	}
	minutes := typ.minutes
	if v := p.get("Minutes"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 5 || n > 600 {
			return Cloud9Appointment{}, c9Error(c9CodeInvalid, "Minutes must be a whole number between 5 and 600.")
		}
		minutes = n
	}
	a := Cloud9Appointment{
		AppointmentGUID: newGUID(), PatientGUID: pt.PatientGUID,
		AppointmentDateTime: start.Format(c9DateTimeLayout), AppointmentMinutes: minutes,
		AppointmentTypeGUID: typ.guid, AppointmentStatus: "Scheduled",
		AppointmentNote: p.get("Note", "AppointmentNote"), LocationGUID: chair.locGUID,
		ScheduleViewGUID: chair.viewGUID, ScheduleColumnGUID: chair.guid,
		OrthodontistGUID: pt.OrthodontistGUID, start: start,
	}
	if st.chairTaken(chair.guid, a.start, a.end()) {
		return Cloud9Appointment{}, c9Error(c9CodeInvalid, "The requested time slot is not available.")
	}
	return a, c9Result{}
}

// chooseChair picks the chair named by ScheduleColumnGUID (or ChairGUID),
// else the first chair of the location; ScheduleViewGUID must agree.
func (st *c9State) chooseChair(p c9Params, patientLoc string) (c9Chair, c9Result) {
	if v := p.get("ScheduleColumnGUID", "ChairGUID", "schdcolGUID"); v != "" {
		c, ok := st.chair(v)
		if !ok {
			return c, c9Error(c9CodeInvalid, "ScheduleColumnGUID does not exist.")
		}
		if view := p.get("ScheduleViewGUID", "schdvwGUID"); view != "" && guidKey(view) != c.viewGUID {
			return c, c9Error(c9CodeInvalid, "ScheduleColumnGUID does not belong to ScheduleViewGUID.")
		}
		return c, c9Result{}
	}
	loc := cmp.Or(guidKey(p.get("LocationGUID")), patientLoc)
	if view := p.get("ScheduleViewGUID", "schdvwGUID"); view != "" {
		if c, ok := findBy(st.chairs, func(c c9Chair) bool { return c.viewGUID == guidKey(view) }); ok {
			return c, c9Result{}
		}
		return c9Chair{}, c9Error(c9CodeInvalid, "ScheduleViewGUID does not exist.")
	}
	if c, ok := findBy(st.chairs, func(c c9Chair) bool { return c.locGUID == loc }); ok {
		return c, c9Result{}
	}
	return st.chairs[0], c9Result{}
}

// chairTaken reports whether a live appointment holds the chair in
// [start, end).
func (st *c9State) chairTaken(chair string, start, end time.Time) bool {
	for _, a := range st.appts {
		if a.ScheduleColumnGUID == chair && a.AppointmentStatus != "Canceled" && overlaps(start, end, a.start, a.end()) {
			return true
		}
	}
	return false
}

// c9ConfirmAppointment answers SetAppointmentStatusConfirmed (apptGUID).
func (s *Sandbox) c9ConfirmAppointment(p c9Params) c9Result {
	return s.c9SetStatus(p, "Confirmed", "Appointment Confirmed")
}

// c9CancelAppointment answers SetAppointmentStatusCanceled (apptGUID).
func (s *Sandbox) c9CancelAppointment(p c9Params) c9Result {
	return s.c9SetStatus(p, "Canceled", "Appointment Canceled")
}

func (s *Sandbox) c9SetStatus(p c9Params, status, result string) c9Result {
	guid := p.get("apptGUID", "AppointmentGUID")
	if guid == "" {
		return c9Missing("apptGUID")
	}
	s.c9.mu.Lock()
	defer s.c9.mu.Unlock()
	a, ok := s.c9.appointment(guid)
	if !ok {
		return c9Error(c9CodeInvalid, "Appointment GUID does not exist.")
	}
	if a.AppointmentStatus == "Canceled" && status != "Canceled" {
		return c9Error(c9CodeInvalid, "The appointment is canceled.")
	}
	a.AppointmentStatus = status
	return c9Result{records: []c9Record{{{"Result", result}, {"AppointmentGUID", a.AppointmentGUID}}}}
}
