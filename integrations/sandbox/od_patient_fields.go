package sandbox

import (
	"strings"
	"time"
)

// odPatientText lists the text fields a patient write may set, with the
// normalisation (and validation) each needs.
var odPatientText = []struct {
	name  string
	field func(*OpenDentalPatient) *string
	norm  func(string) (string, bool)
}{
	{"LName", func(p *OpenDentalPatient) *string { return &p.LName }, nil},
	{"FName", func(p *OpenDentalPatient) *string { return &p.FName }, nil},
	{"MiddleI", func(p *OpenDentalPatient) *string { return &p.MiddleI }, nil},
	{"Preferred", func(p *OpenDentalPatient) *string { return &p.Preferred }, nil},
	{"PatStatus", func(p *OpenDentalPatient) *string { return &p.PatStatus },
		enumNorm("Patient", "Patient", "NonPatient", "Inactive", "Archived", "Deceased", "Prospective")},
	{"Gender", func(p *OpenDentalPatient) *string { return &p.Gender }, normGender},
	{"Position", func(p *OpenDentalPatient) *string { return &p.Position },
		enumNorm("Single", "Single", "Married", "Child", "Widowed", "Divorced")},
	{"Birthdate", func(p *OpenDentalPatient) *string { return &p.Birthdate }, normDate},
	{"Address", func(p *OpenDentalPatient) *string { return &p.Address }, nil},
	{"Address2", func(p *OpenDentalPatient) *string { return &p.Address2 }, nil},
	{"City", func(p *OpenDentalPatient) *string { return &p.City }, nil},
	{"State", func(p *OpenDentalPatient) *string { return &p.State }, nil},
	{"Zip", func(p *OpenDentalPatient) *string { return &p.Zip }, nil},
	{"HmPhone", func(p *OpenDentalPatient) *string { return &p.HmPhone }, nil},
	{"WkPhone", func(p *OpenDentalPatient) *string { return &p.WkPhone }, nil},
	{"WirelessPhone", func(p *OpenDentalPatient) *string { return &p.WirelessPhone }, nil},
	{"Email", func(p *OpenDentalPatient) *string { return &p.Email }, nil},
	{"BillingType", func(p *OpenDentalPatient) *string { return &p.BillingType }, nil},
	{"DateFirstVisit", func(p *OpenDentalPatient) *string { return &p.DateFirstVisit }, normDate},
}

// applyPatient copies the fields present in b onto p and explains the first
// invalid one.
func (st *odState) applyPatient(p *OpenDentalPatient, b odBody) string {
	for _, f := range odPatientText {
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
		*f.field(p) = v
	}
	if v, ok, msg := b.num("PriProv"); msg != "" {
		return msg
	} else if ok {
		if _, found := st.provider(v); !found {
			return "PriProv is invalid."
		}
		p.PriProv = v
	}
	if v, ok, msg := b.num("ClinicNum"); msg != "" {
		return msg
	} else if ok {
		p.ClinicNum = v
	}
	return ""
}

// enumNorm accepts one of values in any case; empty means def.
func enumNorm(def string, values ...string) func(string) (string, bool) {
	return func(v string) (string, bool) {
		if v == "" {
			return def, true
		}
		for _, want := range values {
			if strings.EqualFold(v, want) {
				return want, true
			}
		}
		return "", false
	}
}

func normGender(v string) (string, bool) {
	switch strings.ToLower(v) {
	case "male", "m", "0":
		return "Male", true
	case "female", "f", "1":
		return "Female", true
	case "unknown", "u", "2", "":
		return "Unknown", true
	case "other", "o", "3":
		return "Other", true
	}
	return "", false
}

// normDate accepts "yyyy-MM-dd"; empty means "none" (0001-01-01).
func normDate(v string) (string, bool) {
	if v == "" {
		return "0001-01-01", true
	}
	t, err := time.Parse(odDateLayout, v)
	if err != nil {
		return "", false
	}
	return t.Format(odDateLayout), true
}

// patientMatcher builds the filter of GET /patients.
func (s *Sandbox) patientMatcher(q odQuery) (func(OpenDentalPatient) bool, string) {
	lname, fname := strings.ToLower(q.get("LName")), strings.ToLower(q.get("FName"))
	phone := digits(q.get("Phone"))
	if q.get("Phone") != "" && phone == "" {
		return nil, "Phone is invalid."
	}
	birth := q.get("Birthdate")
	if birth != "" {
		var ok bool
		if birth, ok = normDate(birth); !ok {
			return nil, "Birthdate is not in a valid format (yyyy-MM-dd)."
		}
	}
	status, email := q.get("PatStatus"), q.get("Email")
	since, msg := s.stampFilter(q)
	if msg != "" {
		return nil, msg
	}
	return func(p OpenDentalPatient) bool {
		switch {
		case lname != "" && !strings.HasPrefix(strings.ToLower(p.LName), lname),
			fname != "" && !strings.HasPrefix(strings.ToLower(p.FName), fname),
			phone != "" && !phoneMatches(phone, p.HmPhone, p.WkPhone, p.WirelessPhone),
			birth != "" && p.Birthdate != birth,
			status != "" && !strings.EqualFold(status, p.PatStatus),
			email != "" && !strings.EqualFold(email, p.Email),
			since != "" && p.DateTStamp < since:
			return false
		}
		return true
	}, ""
}

func phoneMatches(want string, phones ...string) bool {
	for _, p := range phones {
		if d := digits(p); d != "" && strings.Contains(d, want) {
			return true
		}
	}
	return false
}

// stampFilter reads DateTStamp as a string comparable with stored stamps
// (the layout sorts chronologically).
func (s *Sandbox) stampFilter(q odQuery) (string, string) {
	v := q.get("DateTStamp")
	if v == "" {
		return "", ""
	}
	t, ok := parseODStamp(v, s.cfg.Location)
	if !ok {
		return "", "DateTStamp is not in a valid format (yyyy-MM-dd HH:mm:ss)."
	}
	return t.Format(odDateTimeLayout), ""
}
