package sandbox

import "strconv"

// c9GetLocations answers GetLocations.
func (s *Sandbox) c9GetLocations(_ c9Params) c9Result {
	s.c9.mu.Lock()
	defer s.c9.mu.Unlock()
	var out []c9Record
	for _, l := range s.c9.locations {
		out = append(out, c9Record{
			{"LocationGUID", l.guid}, {"LocationName", l.name}, {"LocationCode", l.code},
			{"TimeZone", l.timeZone}, {"AddressStreet", l.street}, {"AddressCity", l.city},
			{"AddressState", l.state}, {"AddressPostalCode", l.zip}, {"PhoneNumber", l.phone},
		})
	}
	return c9Result{records: out}
}

// c9GetChairSchedules answers GetChairSchedules: every chair (schedule
// column) with its schedule view and location.
func (s *Sandbox) c9GetChairSchedules(p c9Params) c9Result {
	loc := guidKey(p.get("LocationGUID", "locGUID"))
	s.c9.mu.Lock()
	defer s.c9.mu.Unlock()
	out := []c9Record{}
	for _, c := range s.c9.chairs {
		if loc != "" && c.locGUID != loc {
			continue
		}
		l, _ := s.c9.location(c.locGUID)
		out = append(out, c9Record{
			{"locGUID", l.guid}, {"locName", l.name}, {"schdvwGUID", c.viewGUID},
			{"schdvwDescription", c.viewName}, {"schdcolGUID", c.guid}, {"schdcolDescription", c.name},
			{"StartTime", "08:00 AM"}, {"EndTime", "05:00 PM"}, {"Days", "Mon,Tue,Wed,Thu,Fri"},
		})
	}
	return c9Result{records: out}
}

// c9GetAppointmentTypes answers GetAppointmentTypes.
func (s *Sandbox) c9GetAppointmentTypes(_ c9Params) c9Result {
	s.c9.mu.Lock()
	defer s.c9.mu.Unlock()
	var out []c9Record
	for _, t := range s.c9.types {
		out = append(out, c9Record{
			{"AppointmentTypeGUID", t.guid}, {"AppointmentTypeCode", t.code},
			{"AppointmentTypeDescription", t.name}, {"AppointmentTypeMinutes", strconv.Itoa(t.minutes)},
			{"AppointmentTypeAllowOnlineScheduling", "True"},
		})
	}
	return c9Result{records: out}
}

// c9GetDoctors answers GetDoctors: the practice's orthodontists.
func (s *Sandbox) c9GetDoctors(_ c9Params) c9Result {
	s.c9.mu.Lock()
	defer s.c9.mu.Unlock()
	out := []c9Record{}
	for _, o := range s.c9.orthodontists {
		out = append(out, c9Record{{"DoctorGUID", o.guid}, {"DoctorName", o.name}})
	}
	return c9Result{records: out}
}
