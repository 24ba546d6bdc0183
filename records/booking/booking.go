// Package booking is the original system's agent surface over the local
// records: Open Dental–shaped functions (GetMultiplePatients,
// GetAvailableSlots, CreateAppointment with PatNum, AptDateTime, ProvNum,
// Op, Pattern, Note, BreakAppointment, …) answered in Open Dental's field
// names, every write going through the records service (dual-write, the
// slot check, the check before accepting, idempotency through the last
// steps the caller gives).
package booking

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"switchboard/apperr"
	"switchboard/clock"
	"switchboard/integrations/reference"
	"switchboard/integrations/syncer"
	"switchboard/models"
	"switchboard/records"
)

// DateTimeLayout is Open Dental's date-time: practice time, no offset.
const DateTimeLayout = "2006-01-02 15:04:05"

// Service answers booking calls.
type Service struct {
	records *records.Service
	ref     *reference.Service
}

// New returns the booking service over the records service and the
// reference lists (providers and operatories of the practice system).
func New(rs *records.Service, ref *reference.Service) *Service {
	return &Service{records: rs, ref: ref}
}

// Call is one booking call.
type Call struct {
	Org      *models.Organization
	Function string
	Params   map[string]any
	// Keep gives the last steps that store the answer with the write (the
	// idempotent answer); nil keeps nothing.
	Keep func(answer func() any) []syncer.LastStep
}

func (c *Call) keep(answer func() any) []syncer.LastStep {
	if c.Keep == nil {
		return nil
	}
	return c.Keep(answer)
}

// Do runs a call and returns its answer in Open Dental's names.
func (s *Service) Do(ctx context.Context, call Call) (any, error) {
	fn, ok := functionsByName[call.Function]
	if !ok {
		return nil, &apperr.Error{Code: apperr.CodeUnknownFunction, Message: fmt.Sprintf("unknown booking function %q (known: %s)", call.Function, strings.Join(Names(), ", ")),
			Fields: []apperr.FieldError{{Field: "functionName", Message: "is not a booking function"}}}
	}
	p, err := newParams(call.Params, fn)
	if err != nil {
		return nil, err
	}
	return fn.run(ctx, s, &call, p)
}

// Names lists the booking functions in order.
func Names() []string {
	out := make([]string, len(Functions))
	for i, f := range Functions {
		out[i] = f.Name
	}
	return out
}

// patientOD is a patient in Open Dental's names.
func patientOD(p *models.Patient) map[string]any {
	return map[string]any{"PatNum": p.ID, "LName": p.LastName, "FName": p.FirstName, "Birthdate": p.Birthdate,
		"WirelessPhone": p.Phone, "HmPhone": p.Phone, "Email": p.Email, "Gender": p.Gender,
		"Address": p.AddressLine, "City": p.City, "State": p.State, "Zip": p.PostalCode}
}

// aptStatus is Open Dental's AptStatus of a local status.
func aptStatus(status string) string {
	switch status {
	case models.StatusCancelled, models.StatusNoShow:
		return "Broken"
	case models.StatusCompleted:
		return "Complete"
	}
	return "Scheduled"
}

// appointmentOD is an appointment in Open Dental's names, its times in
// practice time.
func appointmentOD(a *models.Appointment, z clock.Zone) map[string]any {
	return map[string]any{"AptNum": a.ID, "PatNum": a.PatientID, "AptDateTime": z.In(a.Start).Format(DateTimeLayout),
		"ProvNum": ref(a.ProviderRef), "Op": ref(a.OperatoryRef), "Pattern": strings.Repeat("X", max(a.DurationMinutes/5, 1)),
		"Length": a.DurationMinutes, "AptStatus": aptStatus(a.Status), "Note": a.Notes, "Confirmed": a.Status == models.StatusConfirmed}
}

// ref writes a reference as Open Dental does: a number when it is one.
func ref(s string) any {
	if n, ok := digits(s); ok {
		return n
	}
	return s
}

func digits(s string) (int64, bool) {
	if s == "" || len(s) > 18 {
		return 0, false
	}
	var n int64
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
		n = n*10 + int64(r-'0')
	}
	return n, true
}

// matchPatient applies GetMultiplePatients' filters the store's search
// leaves: name beginnings (any case) and the exact birthdate.
func matchPatient(pt *models.Patient, lname, fname, birthdate string) bool {
	has := func(v, prefix string) bool {
		return prefix == "" || strings.HasPrefix(strings.ToLower(v), strings.ToLower(prefix))
	}
	return has(pt.LastName, lname) && has(pt.FirstName, fname) && (birthdate == "" || pt.Birthdate == birthdate)
}

// referenceItems lists kind from the practice system the records go to, in
// Open Dental's names (ProvNum/Abbr or OperatoryNum/OpName); none when no
// sync target lists it.
func (s *Service) referenceItems(ctx context.Context, org *models.Organization, kind, idName, labelName string) ([]map[string]any, error) {
	list, err := s.ref.Get(ctx, org, kind, "")
	if apperr.IsNotFound(err) || apperr.Code(err) == apperr.CodeValidationFailed {
		return []map[string]any{}, nil
	}
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, 0, len(list.Items))
	for _, it := range list.Items {
		out = append(out, map[string]any{idName: ref(it.ID), labelName: it.Label})
	}
	sort.SliceStable(out, func(i, j int) bool { return fmt.Sprint(out[i][idName]) < fmt.Sprint(out[j][idName]) })
	return out, nil
}

// knownStatus reports whether an AptStatus filter is one this surface
// answers.
func knownStatus(s string) bool {
	return slices.Contains([]string{"", "Scheduled", "Complete", "Broken"}, s)
}
