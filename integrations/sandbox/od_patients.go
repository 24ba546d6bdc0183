package sandbox

import (
	"net/http"
	"strconv"
	"strings"
)

// pageOf copies one page of the items that keep accepts.
func pageOf[T any](items []T, keep func(T) bool, limit, offset int) []T {
	out := []T{}
	for _, it := range items {
		if !keep(it) {
			continue
		}
		if offset > 0 {
			offset--
			continue
		}
		if len(out) == limit {
			break
		}
		out = append(out, it)
	}
	return out
}

// odListPatients serves GET /patients and GET /patients/Simple.
func (s *Sandbox) odListPatients(w http.ResponseWriter, r *http.Request) {
	q := queryOf(r)
	limit, offset, msg := q.page()
	if msg != "" {
		odError(w, http.StatusBadRequest, msg)
		return
	}
	keep, msg := s.patientMatcher(q)
	if msg != "" {
		odError(w, http.StatusBadRequest, msg)
		return
	}
	s.od.mu.Lock()
	out := pageOf(s.od.patients, keep, limit, offset)
	s.od.mu.Unlock()
	for i := range out {
		out[i].ServerDateTime = serverTime(r)
	}
	odJSON(w, http.StatusOK, out)
}

// odGetPatient serves GET /patients/{PatNum}.
func (s *Sandbox) odGetPatient(w http.ResponseWriter, r *http.Request) {
	num, ok := pathNum(r, "PatNum")
	if !ok {
		odError(w, http.StatusBadRequest, "PatNum is invalid.")
		return
	}
	s.od.mu.Lock()
	p, found := s.od.patient(num)
	var out OpenDentalPatient
	if found {
		out = *p
	}
	s.od.mu.Unlock()
	if !found {
		odError(w, http.StatusNotFound, "Patient not found.")
		return
	}
	out.ServerDateTime = serverTime(r)
	odJSON(w, http.StatusOK, out)
}

// odCreatePatient serves POST /patients.
func (s *Sandbox) odCreatePatient(w http.ResponseWriter, r *http.Request) {
	b, msg := readODBody(r)
	if msg != "" {
		odError(w, http.StatusBadRequest, msg)
		return
	}
	for _, f := range []string{"LName", "FName"} {
		if v, _, _ := b.str(f); v == "" {
			odError(w, http.StatusBadRequest, f+" is required.")
			return
		}
	}
	now := s.now()
	p := OpenDentalPatient{
		PatStatus: "Patient", Gender: "Unknown", Position: "Single", Birthdate: "0001-01-01",
		PriProv: 1, BillingType: "Standard Account", DateFirstVisit: "0001-01-01",
		DateTStamp: now.Format(odDateTimeLayout), SecDateEntry: now.Format(odDateLayout),
	}
	s.od.mu.Lock()
	if msg := s.od.applyPatient(&p, b); msg != "" {
		s.od.mu.Unlock()
		odError(w, http.StatusBadRequest, msg)
		return
	}
	p.PatNum = s.od.nextPatNum()
	p.Guarantor = p.PatNum
	s.od.insertPatient(p)
	s.od.mu.Unlock()
	s.stats.created(func(c *CreatedCounts) { c.OpenDentalPatients++ })
	p.ServerDateTime = serverTime(r)
	w.Header().Set("Location", OpenDentalPrefix+"/patients/"+strconv.FormatInt(p.PatNum, 10))
	odJSON(w, http.StatusCreated, p)
}

// odUpdatePatient serves PUT /patients/{PatNum}; absent fields keep their
// value.
func (s *Sandbox) odUpdatePatient(w http.ResponseWriter, r *http.Request) {
	num, ok := pathNum(r, "PatNum")
	if !ok {
		odError(w, http.StatusBadRequest, "PatNum is invalid.")
		return
	}
	b, msg := readODBody(r)
	if msg != "" {
		odError(w, http.StatusBadRequest, msg)
		return
	}
	for _, f := range []string{"LName", "FName"} {
		if v, present, _ := b.str(f); present && strings.TrimSpace(v) == "" {
			odError(w, http.StatusBadRequest, f+" cannot be blank.")
			return
		}
	}
	s.od.mu.Lock()
	defer s.od.mu.Unlock()
	p, found := s.od.patient(num)
	if !found {
		odError(w, http.StatusNotFound, "Patient not found.")
		return
	}
	updated := *p
	if msg := s.od.applyPatient(&updated, b); msg != "" {
		odError(w, http.StatusBadRequest, msg)
		return
	}
	updated.DateTStamp = s.now().Format(odDateTimeLayout)
	*p = updated
	updated.ServerDateTime = serverTime(r)
	odJSON(w, http.StatusOK, updated)
}
