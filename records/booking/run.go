package booking

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/models"
	"switchboard/records"
)

// params are a call's parameters as text, checked against the function:
// an unknown one or a missing required one is refused naming it.
type params map[string]string

func newParams(raw map[string]any, fn *Function) (params, error) {
	known := map[string]Param{}
	for _, p := range fn.Params {
		known[p.Name] = p
	}
	out := params{}
	var bad []apperr.FieldError
	for k, v := range raw {
		if _, ok := known[k]; !ok {
			bad = append(bad, apperr.FieldError{Field: k, Message: "is not a parameter of " + fn.Name})
			continue
		}
		out[k] = text(v)
	}
	for _, p := range fn.Params {
		if p.Required && strings.TrimSpace(out[p.Name]) == "" {
			bad = append(bad, apperr.FieldError{Field: p.Name, Message: "is required"})
		}
	}
	if len(bad) > 0 {
		return nil, apperr.Validation(bad...)
	}
	return out, nil
}

// text writes a JSON value as text: numbers without an exponent or ".0".
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return strings.TrimSpace(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}

// id reads a numeric parameter (PatNum, AptNum).
func (p params) id(name string) (int64, error) {
	n, err := strconv.ParseInt(p[name], 10, 64)
	if err != nil || n <= 0 {
		return 0, apperr.Validation(apperr.FieldError{Field: name, Message: "must be a positive whole number"})
	}
	return n, nil
}

// set copies a parameter that was given into values under an internal
// name.
func (p params) set(v records.Values, name, internal string) {
	if s, ok := p[name]; ok {
		v[internal] = s
	}
}

// patientValues maps the patient parameters to the records' names.
func (p params) patientValues() records.Values {
	v := records.Values{}
	for od, internal := range map[string]string{"LName": "last_name", "FName": "first_name", "Birthdate": "birthdate", "Email": "email",
		"Gender": "gender", "Address": "address_line", "City": "city", "State": "state", "Zip": "postal_code"} {
		p.set(v, od, internal)
	}
	p.set(v, "HmPhone", "phone")
	p.set(v, "WirelessPhone", "phone")
	return v
}

// appointmentValues maps the appointment parameters to the records' names:
// AptDateTime in practice time, Pattern (one X per 5 minutes) or duration.
func (p params) appointmentValues() (records.Values, error) {
	v := records.Values{}
	if t, ok := p["AptDateTime"]; ok {
		v["start"] = strings.Replace(t, " ", "T", 1)
	}
	p.set(v, "ProvNum", "provider_ref")
	p.set(v, "Op", "operatory_ref")
	p.set(v, "Note", "notes")
	p.set(v, "duration", "duration_minutes")
	if pat, ok := p["Pattern"]; ok {
		if _, both := p["duration"]; both {
			return nil, apperr.Validation(apperr.FieldError{Field: "Pattern", Message: "give Pattern or duration, not both"})
		}
		n := strings.Count(strings.ToUpper(pat), "X")
		if n == 0 {
			return nil, apperr.Validation(apperr.FieldError{Field: "Pattern", Message: "must hold one X per 5 minutes, such as XXXXXX for 30 minutes"})
		}
		v["duration_minutes"] = strconv.Itoa(5 * n)
	}
	return v, nil
}

func getMultiplePatients(ctx context.Context, s *Service, c *Call, p params) (any, error) {
	phone := phoneDigits(p["Phone"])
	f := models.PatientFilter{Search: strings.ToLower(p["LName"]), Limit: 500}
	switch {
	case len(phone) >= 4:
		f.Search = phone[len(phone)-4:] // every format keeps the last four digits together
	case f.Search == "":
		f.Search = strings.ToLower(p["FName"])
	}
	if f.Search == "" && p["Birthdate"] == "" {
		return nil, apperr.Validation(apperr.FieldError{Field: "LName", Message: "give LName, FName, Phone (at least 4 digits) or Birthdate"})
	}
	ps, err := s.records.Patients(ctx, c.Org.ID, f)
	if err != nil {
		return nil, err
	}
	out := []map[string]any{}
	for i := range ps {
		if matchPatient(&ps[i], p["LName"], p["FName"], p["Birthdate"]) && (phone == "" || phoneDigits(ps[i].Phone) == phone) {
			out = append(out, patientOD(&ps[i]))
		}
	}
	return out, nil
}

// phoneDigits is a phone number's digits, without the country code 1 of a
// NANP number.
func phoneDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	if len(d) == 11 && d[0] == '1' {
		d = d[1:]
	}
	return d
}

func getPatient(ctx context.Context, s *Service, c *Call, p params) (any, error) {
	id, err := p.id("PatNum")
	if err != nil {
		return nil, err
	}
	pt, err := s.records.Patient(ctx, c.Org.ID, id)
	if err != nil {
		return nil, err
	}
	return patientOD(pt), nil
}

func createPatient(ctx context.Context, s *Service, c *Call, p params) (any, error) {
	pt, _, err := s.records.CreatePatient(ctx, c.Org.ID, p.patientValues(), func(pt *models.Patient) []syncerStep {
		return c.keep(func() any { return patientOD(pt) })
	})
	if err != nil {
		return nil, renamed(err, patientNames)
	}
	return patientOD(pt), nil
}

func updatePatient(ctx context.Context, s *Service, c *Call, p params) (any, error) {
	id, err := p.id("PatNum")
	if err != nil {
		return nil, err
	}
	pt, _, err := s.records.UpdatePatient(ctx, c.Org.ID, id, p.patientValues(), func(pt *models.Patient) []syncerStep {
		return c.keep(func() any { return patientOD(pt) })
	})
	if err != nil {
		return nil, renamed(err, patientNames)
	}
	return patientOD(pt), nil
}

func getProviders(ctx context.Context, s *Service, c *Call, _ params) (any, error) {
	return s.referenceItems(ctx, c.Org, definition.RefProviders, "ProvNum", "Abbr")
}

func getOperatories(ctx context.Context, s *Service, c *Call, _ params) (any, error) {
	return s.referenceItems(ctx, c.Org, definition.RefOperatories, "OperatoryNum", "OpName")
}
