package sandbox

import (
	"strings"
	"time"
)

// patientRecord renders a patient; the caller holds the lock.
func (st *c9State) patientRecord(pt Cloud9Patient) c9Record {
	l, _ := st.location(pt.LocationGUID)
	return c9Record{
		{"PatientGUID", pt.PatientGUID}, {"PatientID", pt.PatientID},
		{"PatientFirstName", pt.PatientFirstName}, {"PatientLastName", pt.PatientLastName},
		{"PatientBirthDate", pt.PatientBirthDate}, {"PatientGender", pt.PatientGender},
		{"PatientPhone", pt.PatientPhone}, {"PatientEmail", pt.PatientEmail},
		{"AddressStreet", pt.AddressStreet}, {"AddressCity", pt.AddressCity},
		{"AddressState", pt.AddressState}, {"AddressPostalCode", pt.AddressPostalCode},
		{"LocationGUID", pt.LocationGUID}, {"LocationName", l.name},
		{"OrthodontistGUID", pt.OrthodontistGUID},
	}
}

// c9GetPatientList answers GetPatientList: LastName and FirstName (prefix,
// any case), BirthDate, phoneNumber, LocationGUID.
func (s *Sandbox) c9GetPatientList(p c9Params) c9Result {
	last, first := strings.ToLower(p.get("LastName")), strings.ToLower(p.get("FirstName"))
	phone := digits(p.get("phoneNumber", "Phone"))
	loc := guidKey(p.get("LocationGUID", "locGUID"))
	birth := ""
	if v := p.get("BirthDate", "birthdayDateTime"); v != "" {
		t, ok := parseC9Time(v, s.cfg.Location)
		if !ok {
			return c9Error(c9CodeInvalid, "BirthDate is not a valid date.")
		}
		birth = t.Format(c9DateLayout)
	}
	s.c9.mu.Lock()
	defer s.c9.mu.Unlock()
	out := []c9Record{}
	for _, pt := range s.c9.patients {
		switch {
		case last != "" && !strings.HasPrefix(strings.ToLower(pt.PatientLastName), last),
			first != "" && !strings.HasPrefix(strings.ToLower(pt.PatientFirstName), first),
			phone != "" && !phoneMatches(phone, pt.PatientPhone),
			loc != "" && pt.LocationGUID != loc,
			birth != "" && pt.PatientBirthDate != birth:
			continue
		}
		out = append(out, s.c9.patientRecord(pt))
	}
	return c9Result{records: out}
}

// c9PortalPatientLookup answers GetPortalPatientLookup: filter is matched
// against "Last, First", "First Last", the phone digits and the e-mail.
func (s *Sandbox) c9PortalPatientLookup(p c9Params) c9Result {
	filter := strings.ToLower(p.get("filter"))
	if filter == "" {
		return c9Missing("filter")
	}
	phone := digits(filter)
	s.c9.mu.Lock()
	defer s.c9.mu.Unlock()
	out := []c9Record{}
	for _, pt := range s.c9.patients {
		first, last := strings.ToLower(pt.PatientFirstName), strings.ToLower(pt.PatientLastName)
		if strings.Contains(last+", "+first, filter) || strings.Contains(first+" "+last, filter) ||
			(len(phone) >= 4 && phoneMatches(phone, pt.PatientPhone)) || strings.EqualFold(filter, pt.PatientEmail) {
			out = append(out, s.c9.patientRecord(pt))
		}
	}
	return c9Result{records: out}
}

// c9GetPatientInformation answers GetPatientInformation (patGUID).
func (s *Sandbox) c9GetPatientInformation(p c9Params) c9Result {
	guid := p.get("patGUID", "PatientGUID")
	if guid == "" {
		return c9Missing("patGUID")
	}
	s.c9.mu.Lock()
	defer s.c9.mu.Unlock()
	pt, ok := s.c9.patient(guid)
	if !ok {
		return c9Error(c9CodeInvalid, "Patient GUID does not exist.")
	}
	return c9Result{records: []c9Record{s.c9.patientRecord(*pt)}}
}

// c9SetPatient answers SetPatient: patientFirstName and patientLastName are
// required.
func (s *Sandbox) c9SetPatient(p c9Params) c9Result {
	for _, name := range []string{"patientFirstName", "patientLastName"} {
		if p.get(name) == "" {
			return c9Missing(name)
		}
	}
	s.c9.mu.Lock()
	pt := Cloud9Patient{PatientGUID: newGUID(), PatientGender: "U",
		LocationGUID: s.c9.locations[0].guid, OrthodontistGUID: s.c9.orthodontists[0].guid}
	if res := s.c9.applyPatient(&pt, p, s.cfg.Location); res.message != "" {
		s.c9.mu.Unlock()
		return res
	}
	s.c9.insertPatient(pt)
	s.c9.mu.Unlock()
	s.stats.created(func(c *CreatedCounts) { c.Cloud9Patients++ })
	return c9Result{records: []c9Record{{
		{"Result", "Patient GUID Added: " + pt.PatientGUID}, {"PatientGUID", pt.PatientGUID},
	}}}
}

// c9SetPatientDemographics answers SetPatientDemographicInfo: patGUID and
// the SetPatient fields to change.
func (s *Sandbox) c9SetPatientDemographics(p c9Params) c9Result {
	guid := p.get("patGUID", "PatientGUID")
	if guid == "" {
		return c9Missing("patGUID")
	}
	s.c9.mu.Lock()
	defer s.c9.mu.Unlock()
	pt, ok := s.c9.patient(guid)
	if !ok {
		return c9Error(c9CodeInvalid, "Patient GUID does not exist.")
	}
	updated := *pt
	if res := s.c9.applyPatient(&updated, p, s.cfg.Location); res.message != "" {
		return res
	}
	if updated.PatientFirstName == "" || updated.PatientLastName == "" {
		return c9Error(c9CodeInvalid, "Patient first and last name cannot be blank.")
	}
	*pt = updated
	return c9Result{records: []c9Record{{{"Result", "Patient Updated"}, {"PatientGUID", pt.PatientGUID}}}}
}

// applyPatient copies the SetPatient parameters present onto pt; the caller
// holds the lock.
func (st *c9State) applyPatient(pt *Cloud9Patient, p c9Params, loc *time.Location) c9Result {
	set := func(dst *string, names ...string) {
		if p.has(names...) {
			*dst = p.get(names...)
		}
	}
	set(&pt.PatientFirstName, "patientFirstName", "firstName")
	set(&pt.PatientLastName, "patientLastName", "lastName")
	set(&pt.PatientPhone, "phoneNumber", "PatientPhone", "phone")
	set(&pt.PatientEmail, "email", "PatientEmail")
	set(&pt.AddressStreet, "addressStreet", "address")
	set(&pt.AddressCity, "addressCity", "city")
	set(&pt.AddressState, "addressState", "state")
	set(&pt.AddressPostalCode, "addressPostalCode", "postalCode", "zip")
	if v := p.get("birthdayDateTime", "birthDate", "PatientBirthDate"); v != "" {
		t, ok := parseC9Time(v, loc)
		if !ok {
			return c9Error(c9CodeInvalid, "birthdayDateTime is not a valid date.")
		}
		pt.PatientBirthDate = t.Format(c9DateLayout)
	}
	if v := p.get("gender", "PatientGender"); v != "" {
		g := strings.ToUpper(v[:1])
		if g != "M" && g != "F" && g != "U" && g != "O" {
			return c9Error(c9CodeInvalid, "gender is not valid.")
		}
		pt.PatientGender = g
	}
	if v := p.get("providerGUID", "orthodontistGUID"); v != "" {
		o, ok := st.orthodontist(v)
		if !ok {
			return c9Error(c9CodeInvalid, "providerGUID does not exist.")
		}
		pt.OrthodontistGUID = o.guid
	}
	if v := p.get("locationGUID"); v != "" {
		l, ok := st.location(v)
		if !ok {
			return c9Error(c9CodeInvalid, "locationGUID does not exist.")
		}
		pt.LocationGUID = l.guid
	}
	return c9Result{}
}
