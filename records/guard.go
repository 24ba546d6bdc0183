package records

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"switchboard/apperr"
	"switchboard/clock"
	"switchboard/integrations/definition"
	"switchboard/integrations/reference"
	"switchboard/models"
)

// FieldAllowOutsideHours is the value that lets staff book a start in the
// past or outside the opening hours on purpose ("true"). It is no field of
// the appointment: the guard reads it and the record never keeps it.
const FieldAllowOutsideHours = "allow_outside_hours"

// ReferenceLists are the practice system's reference lists the guard
// checks provider_ref and operatory_ref against (reference.Service).
type ReferenceLists interface {
	PickersOf(ctx context.Context, org *models.Organization, fields ...string) ([]reference.Picker, error)
}

// UseReference makes the service check provider_ref and operatory_ref
// against the reference lists of the system appointments go to, and pick
// a free operatory where that system needs one. Without it (tests of the
// service alone) no list is checked.
func (s *Service) UseReference(r ReferenceLists) { s.refs = r }

// guard is what a write of an appointment is checked against before the
// practice systems are: its time and its references.
type guard struct {
	org    *models.Organization
	before *models.Appointment // nil for a create
	allow  bool
	now    time.Time
}

// takeAllow removes allow_outside_hours from the values and reads it.
func takeAllow(in Values) (Values, bool, error) {
	v, ok := in[FieldAllowOutsideHours]
	if !ok {
		return in, false, nil
	}
	rest := make(Values, len(in))
	for k, x := range in {
		if k != FieldAllowOutsideHours {
			rest[k] = x
		}
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "on", "1", "yes":
		return rest, true, nil
	case "false", "off", "0", "no", "":
		return rest, false, nil
	}
	return rest, false, apperr.Validation(apperr.FieldError{Field: FieldAllowOutsideHours, Message: "must be true or false"})
}

// checkTime refuses a start in the past or an appointment outside the
// opening hours, unless allowed; a write that keeps the times of a stored
// appointment (a note, a status) is not checked, nor is a cancelled one.
func (g guard) checkTime(a *models.Appointment) []apperr.FieldError {
	if g.allow || a.Status == models.StatusCancelled {
		return nil
	}
	if g.before != nil && g.before.Start.Equal(a.Start) && g.before.End.Equal(a.End) {
		return nil
	}
	z := g.org.Zone()
	if a.Start.Before(g.now) {
		return []apperr.FieldError{{Field: "start", Message: fmt.Sprintf("is in the past (%s, practice time); give %s: true to record it anyway",
			z.In(a.Start).Format("2006-01-02 15:04"), FieldAllowOutsideHours)}}
	}
	h := g.org.Hours()
	if h.IsZero() || h.Contains(z, a.Start, a.End) {
		return nil
	}
	return []apperr.FieldError{{Field: "start", Message: fmt.Sprintf("%s to %s is outside the opening hours (%s, practice time); give %s: true to book it anyway",
		z.In(a.Start).Format("Mon 2006-01-02 15:04"), z.In(a.End).Format("15:04"), hoursOn(h, z.In(a.Start).Weekday()), FieldAllowOutsideHours)}}
}

// hoursOn describes the opening hours of a weekday ("closed" for none).
func hoursOn(h clock.Hours, d time.Weekday) string {
	key := strings.ToLower(d.String()[:3])
	ivs := h.Normalize()[key]
	if len(ivs) == 0 {
		return d.String()[:3] + " closed"
	}
	parts := make([]string, len(ivs))
	for i, iv := range ivs {
		parts[i] = iv.Start + "–" + iv.End
	}
	return d.String()[:3] + " " + strings.Join(parts, ", ")
}

// refPickers are the reference lists of the fields the guard checks.
var refPickers = []string{"provider_ref", "operatory_ref"}

// checkRefs refuses a provider_ref or operatory_ref that the practice
// system's list does not hold (only a value the write sets or changes).
// A list that could not be read is no reason to refuse: the answer's
// warnings say it was not checked.
func (g guard) checkRefs(a *models.Appointment, pickers []reference.Picker) (bad []apperr.FieldError, warnings []string) {
	for _, p := range pickers {
		if !slices.Contains(refPickers, p.Field) || p.Integration == "" {
			continue
		}
		v := refValue(a, p.Field)
		if v == "" || (g.before != nil && refValue(g.before, p.Field) == v) {
			continue
		}
		if !p.HasList() {
			warnings = append(warnings, fmt.Sprintf("%s %q was not checked: %s", p.Field, v, p.Unavailable))
			continue
		}
		if !slices.ContainsFunc(p.Items, func(it reference.Item) bool { return it.ID == v }) {
			bad = append(bad, apperr.FieldError{Field: p.Field, Message: fmt.Sprintf("%s has no %s %q (its list: %s)",
				p.Name, singular(p.Kind), v, listing(p.Items))})
		}
	}
	return bad, warnings
}

func refValue(a *models.Appointment, field string) string {
	if field == "provider_ref" {
		return a.ProviderRef
	}
	return a.OperatoryRef
}

// singular names one of a reference kind ("provider").
func singular(kind string) string {
	switch kind {
	case definition.RefOperatories:
		return "operatory"
	case definition.RefProviders:
		return "provider"
	}
	return strings.TrimSuffix(kind, "s")
}

// listing shows a list's first items as "id label".
func listing(items []reference.Item) string {
	const most = 10
	parts := make([]string, 0, min(len(items), most)+1)
	for i, it := range items {
		if i == most {
			parts = append(parts, fmt.Sprintf("and %d more", len(items)-most))
			break
		}
		parts = append(parts, it.ID+" "+it.Label)
	}
	if len(parts) == 0 {
		return "empty"
	}
	return strings.Join(parts, ", ")
}

// checkAppointment runs the guard, then the check before accepting. An
// appointment without operatory that a practice system refuses for want
// of one is given the first operatory of that system's list that is free
// for its time, and checked again; when none is free the answer names
// operatory_ref. Warnings (lists not checked, an operatory chosen) are
// left on a.Warnings for the answer.
func (s *Service) checkAppointment(ctx context.Context, orgID int64, a *models.Appointment, op string, g guard) error {
	bad := g.checkTime(a)
	var pickers []reference.Picker
	if s.refs != nil && (g.refChanged(a, "provider_ref") || g.refChanged(a, "operatory_ref")) {
		var err error
		if pickers, err = s.refs.PickersOf(ctx, g.org, refPickers...); err != nil {
			return err
		}
		more, warnings := g.checkRefs(a, pickers)
		bad, a.Warnings = append(bad, more...), append(a.Warnings, warnings...)
	}
	if len(bad) > 0 {
		return apperr.Validation(bad...)
	}
	err := s.sync.CheckAppointment(ctx, orgID, a, op)
	if a.OperatoryRef != "" || !names(err, "operatory_ref") || s.refs == nil {
		return err
	}
	if pickers == nil {
		if pickers, err = s.refs.PickersOf(ctx, g.org, refPickers...); err != nil {
			return err
		}
	}
	if err := s.pickOperatory(ctx, orgID, a, pickers); err != nil {
		return err
	}
	return s.sync.CheckAppointment(ctx, orgID, a, op)
}

// refChanged reports whether the write sets a reference field to a value
// it did not hold.
func (g guard) refChanged(a *models.Appointment, field string) bool {
	v := refValue(a, field)
	return v != "" && (g.before == nil || refValue(g.before, field) != v)
}

// names reports whether err is a validation error naming field.
func names(err error, field string) bool {
	ae, ok := apperr.As(err)
	return ok && slices.ContainsFunc(ae.Fields, func(f apperr.FieldError) bool { return f.Field == field })
}

// pickOperatory sets a's operatory to the first one of the practice
// system's list that no other non-cancelled appointment holds during a's
// time; a validation error naming operatory_ref when none is free or the
// list cannot be read.
func (s *Service) pickOperatory(ctx context.Context, orgID int64, a *models.Appointment, pickers []reference.Picker) error {
	i := slices.IndexFunc(pickers, func(p reference.Picker) bool { return p.Field == "operatory_ref" })
	if i < 0 || !pickers[i].HasList() {
		return apperr.Validation(apperr.FieldError{Field: "operatory_ref", Message: "is required by the practice system; choose an operatory"})
	}
	p := pickers[i]
	busy, err := s.store.Tenant(orgID).AppointmentsBetween(ctx, a.Start, a.End, "", "")
	if err != nil {
		return err
	}
	for _, it := range p.Items {
		if !slices.ContainsFunc(busy, func(b models.Appointment) bool { return b.ID != a.ID && b.OperatoryRef == it.ID }) {
			a.OperatoryRef = it.ID
			a.Warnings = append(a.Warnings, fmt.Sprintf("%s needs an operatory: %s (%s) was free and was chosen", p.Name, it.Label, it.ID))
			return nil
		}
	}
	return apperr.Validation(apperr.FieldError{Field: "operatory_ref", Message: fmt.Sprintf("%s needs an operatory and none of its %d is free then; choose another time",
		p.Name, len(p.Items))})
}
