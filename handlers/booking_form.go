package handlers

import (
	"context"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"switchboard/integrations/definition"
	"switchboard/integrations/reference"
	"switchboard/models"
	"switchboard/records"
	"switchboard/views/components"
	"switchboard/views/pages"
	"switchboard/web/session"
)

// pickerLabels are the form labels of the reference fields.
var pickerLabels = map[string]string{"provider_ref": "Provider", "operatory_ref": "Operatory",
	"appointment_type": "Appointment type", "location_ref": "Location"}

// pickers are the booking and edit forms' reference fields for the
// values shown (a value not in its list stays a choice, so that saving
// does not lose it).
func (h *AppointmentHandler) pickers(c echo.Context, values map[string]string) ([]pages.Picker, error) {
	views, _, err := h.pickersAndLabels(c, values)
	return views, err
}

// pickersAndLabels reads the reference lists once (a practice system that
// does not answer is asked once per page) for the form's pickers and the
// page's labels.
func (h *AppointmentHandler) pickersAndLabels(c echo.Context, values map[string]string) ([]pages.Picker, refLabels, error) {
	ps, err := h.ref.Pickers(c.Request().Context(), session.From(c).Org)
	if err != nil {
		return nil, nil, err
	}
	return pickerViews(ps, values), labelsFrom(ps), nil
}

// pickerViews are the form's pickers of the reference lists.
func pickerViews(ps []reference.Picker, values map[string]string) []pages.Picker {
	out := make([]pages.Picker, 0, len(ps))
	for _, p := range ps {
		// A location only when the practice system has locations.
		if p.Kind == definition.RefLocations && p.Integration == "" && values[p.Field] == "" {
			continue
		}
		out = append(out, pickerView(p, values[p.Field]))
	}
	return out
}

// pickerView is one reference field: the list as options, or a text box
// with a hint saying why there is no list.
func pickerView(p reference.Picker, value string) pages.Picker {
	v := pages.Picker{Name: p.Field, Label: pickerLabels[p.Field], Source: p.Name}
	switch {
	case p.Integration == "":
		v.Hint = "No practice system that takes appointments lists " + p.Kind + ": type its id."
	case !p.HasList():
		v.Hint = p.Unavailable + ": type the id."
	case len(p.Items) == 0:
		v.Hint = p.Name + " lists no " + p.Kind + ": type the id."
	default:
		for _, it := range p.Items {
			v.Options = append(v.Options, components.SelectOption{Value: it.ID, Label: it.Label})
		}
		known := slices.ContainsFunc(p.Items, func(it reference.Item) bool { return it.ID == value })
		if value != "" && !known {
			v.Options = append(v.Options, components.SelectOption{Value: value, Label: value + " (not in " + p.Name + "'s list)"})
		}
	}
	return v
}

// patientPicker finds the patients matching q for the booking form, with
// the patient selected (given by id) among them even when q does not
// find it.
func patientPicker(ctx context.Context, svc *records.Service, orgID int64, q, selected string) (pages.PatientPicker, error) {
	ps, more, found, err := svc.PatientChoices(ctx, orgID, q, selected)
	if err != nil {
		return pages.PatientPicker{}, err
	}
	pp := pages.PatientPicker{Query: q, More: more}
	if found {
		pp.Selected = selected
	}
	for _, p := range ps {
		pp.Options = append(pp.Options, components.SelectOption{Value: strconv.FormatInt(p.ID, 10), Label: patientLabel(&p)})
	}
	return pp, nil
}

// patientLabel names a patient in a picker, with what tells two of the
// same name apart.
func patientLabel(p *models.Patient) string {
	name := p.FirstName + " " + p.LastName
	for _, extra := range []string{p.Birthdate, p.Phone, p.Email} {
		if extra != "" {
			return name + " · " + extra
		}
	}
	return name
}
