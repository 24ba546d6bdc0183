package sandbox

import (
	"net/http"
	"strconv"
)

// odListAppointments serves GET /appointments.
func (s *Sandbox) odListAppointments(w http.ResponseWriter, r *http.Request) {
	q := queryOf(r)
	limit, offset, msg := q.page()
	if msg != "" {
		odError(w, http.StatusBadRequest, msg)
		return
	}
	keep, msg := s.appointmentMatcher(q)
	if msg != "" {
		odError(w, http.StatusBadRequest, msg)
		return
	}
	s.od.mu.Lock()
	out := pageOf(s.od.appts, keep, limit, offset)
	s.od.mu.Unlock()
	for i := range out {
		out[i].ServerDateTime = serverTime(r)
	}
	odJSON(w, http.StatusOK, out)
}

// odGetAppointment serves GET /appointments/{AptNum}.
func (s *Sandbox) odGetAppointment(w http.ResponseWriter, r *http.Request) {
	num, ok := pathNum(r, "AptNum")
	if !ok {
		odError(w, http.StatusBadRequest, "AptNum is invalid.")
		return
	}
	s.od.mu.Lock()
	a, found := s.od.appointment(num)
	var out OpenDentalAppointment
	if found {
		out = *a
	}
	s.od.mu.Unlock()
	if !found {
		odError(w, http.StatusNotFound, "Appointment not found.")
		return
	}
	out.ServerDateTime = serverTime(r)
	odJSON(w, http.StatusOK, out)
}

// odCreateAppointment serves POST /appointments.
func (s *Sandbox) odCreateAppointment(w http.ResponseWriter, r *http.Request) {
	b, msg := readODBody(r)
	if msg != "" {
		odError(w, http.StatusBadRequest, msg)
		return
	}
	patNum, ok, msg := b.num("PatNum")
	switch {
	case msg != "":
		odError(w, http.StatusBadRequest, msg)
		return
	case !ok || patNum == 0:
		odError(w, http.StatusBadRequest, "PatNum is required.")
		return
	case !b.has("AptDateTime"):
		odError(w, http.StatusBadRequest, "AptDateTime is required.")
		return
	case !b.has("Op"):
		// As the real API: an appointment is booked into an operatory.
		odError(w, http.StatusBadRequest, "Op is required.")
		return
	}
	stamp := s.now().Format(odDateTimeLayout)
	a := OpenDentalAppointment{PatNum: patNum, AptStatus: "Scheduled", Pattern: "/XX/",
		DateTStamp: stamp, SecDateTEntry: stamp}
	s.od.mu.Lock()
	if _, found := s.od.patient(patNum); !found {
		s.od.mu.Unlock()
		odError(w, http.StatusBadRequest, "PatNum is invalid. Patient does not exist.")
		return
	}
	if msg := s.od.applyAppointment(&a, b, s.cfg.Location); msg != "" {
		s.od.mu.Unlock()
		odError(w, http.StatusBadRequest, msg)
		return
	}
	s.od.fillAppointmentDefaults(&a)
	a.AptNum = s.od.nextAptNum()
	s.od.insertAppointment(a)
	s.od.mu.Unlock()
	s.stats.created(func(c *CreatedCounts) { c.OpenDentalAppointments++ })
	a.ServerDateTime = serverTime(r)
	w.Header().Set("Location", OpenDentalPrefix+"/appointments/"+strconv.FormatInt(a.AptNum, 10))
	odJSON(w, http.StatusCreated, a)
}

// odUpdateAppointment serves PUT /appointments/{AptNum}; absent fields keep
// their value and PatNum cannot change.
func (s *Sandbox) odUpdateAppointment(w http.ResponseWriter, r *http.Request) {
	s.changeAppointment(w, r, func(a *OpenDentalAppointment, b odBody) (int, string) {
		if v, ok, _ := b.num("PatNum"); ok && v != a.PatNum {
			return http.StatusBadRequest, "PatNum cannot be changed."
		}
		if msg := s.od.applyAppointment(a, b, s.cfg.Location); msg != "" {
			return http.StatusBadRequest, msg
		}
		return http.StatusOK, ""
	})
}

// odBreakAppointment serves PUT /appointments/{AptNum}/Break.
func (s *Sandbox) odBreakAppointment(w http.ResponseWriter, r *http.Request) {
	s.changeAppointment(w, r, func(a *OpenDentalAppointment, _ odBody) (int, string) {
		switch a.AptStatus {
		case "Broken":
		case "Scheduled", "ASAP":
			a.AptStatus = "Broken"
		default:
			return http.StatusBadRequest, "Only scheduled appointments can be broken."
		}
		return http.StatusOK, ""
	})
}

// odConfirmAppointment serves PUT /appointments/{AptNum}/Confirm with
// {"confirmVal": name} or {"defNum": DefNum}.
func (s *Sandbox) odConfirmAppointment(w http.ResponseWriter, r *http.Request) {
	s.changeAppointment(w, r, func(a *OpenDentalAppointment, b odBody) (int, string) {
		if v, ok, msg := b.str("confirmVal"); msg != "" {
			return http.StatusBadRequest, msg
		} else if ok {
			num, found := odConfirmByValue(v)
			if !found {
				return http.StatusBadRequest, "confirmVal is invalid."
			}
			a.Confirmed = num
			return http.StatusOK, ""
		}
		if v, ok, msg := b.num("defNum"); msg != "" {
			return http.StatusBadRequest, msg
		} else if ok {
			if _, found := odConfirmName(v); !found {
				return http.StatusBadRequest, "defNum is invalid."
			}
			a.Confirmed = v
			return http.StatusOK, ""
		}
		return http.StatusBadRequest, "confirmVal or defNum is required."
	})
}

// changeAppointment loads an appointment, lets change edit a copy under the
// lock, and stores and answers it when change accepts.
func (s *Sandbox) changeAppointment(w http.ResponseWriter, r *http.Request,
	change func(a *OpenDentalAppointment, b odBody) (int, string)) {
	num, ok := pathNum(r, "AptNum")
	if !ok {
		odError(w, http.StatusBadRequest, "AptNum is invalid.")
		return
	}
	b, msg := readODBody(r)
	if msg != "" {
		odError(w, http.StatusBadRequest, msg)
		return
	}
	s.od.mu.Lock()
	a, found := s.od.appointment(num)
	if !found {
		s.od.mu.Unlock()
		odError(w, http.StatusNotFound, "Appointment not found.")
		return
	}
	updated := *a
	if status, msg := change(&updated, b); msg != "" {
		s.od.mu.Unlock()
		odError(w, status, msg)
		return
	}
	s.od.fillAppointmentDefaults(&updated)
	if updated != *a {
		updated.DateTStamp = s.now().Format(odDateTimeLayout)
		*a = updated
	}
	s.od.mu.Unlock()
	updated.ServerDateTime = serverTime(r)
	odJSON(w, http.StatusOK, updated)
}
