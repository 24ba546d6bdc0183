package booking

import (
	"context"

	"switchboard/integrations/tools"
)

// Param is one parameter of a booking function, in Open Dental's name.
type Param struct {
	Name, Type, Description string
	Required                bool
}

// Function is one function of the booking surface.
type Function struct {
	Name, Description string
	Writes            bool
	Params            []Param
	run               func(ctx context.Context, s *Service, c *Call, p params) (any, error)
}

var (
	patNum   = Param{"PatNum", "integer", "The patient's number (the local patient id).", true}
	aptNum   = Param{"AptNum", "integer", "The appointment's number (the local appointment id).", true}
	lname    = Param{"LName", "string", "Last name.", false}
	fname    = Param{"FName", "string", "First name.", false}
	birth    = Param{"Birthdate", "string", "Birth date, YYYY-MM-DD.", false}
	wireless = Param{"WirelessPhone", "string", "Mobile phone.", false}
	hmPhone  = Param{"HmPhone", "string", "Home phone (used when WirelessPhone is not given).", false}
	email    = Param{"Email", "string", "Email address.", false}
	gender   = Param{"Gender", "string", "Gender.", false}
	address  = Param{"Address", "string", "Street address.", false}
	city     = Param{"City", "string", "City.", false}
	state    = Param{"State", "string", "State.", false}
	zip      = Param{"Zip", "string", "Postal code.", false}
	provNum  = Param{"ProvNum", "integer", "The provider's number in the practice system (provider_ref).", false}
	op       = Param{"Op", "integer", "The operatory's number in the practice system (operatory_ref).", false}
	aptTime  = Param{"AptDateTime", "string", "Start in practice time, 2006-01-02 15:04:05 (or 2006-01-02T15:04).", false}
	pattern  = Param{"Pattern", "string", "Length as Open Dental's pattern: one X per 5 minutes (XXXXXX is 30 minutes).", false}
	duration = Param{"duration", "integer", "Length in minutes, instead of Pattern.", false}
	note     = Param{"Note", "string", "Note.", false}
)

func required(p Param) Param { p.Required = true; return p }

// patientFields are the writable patient parameters.
var patientFields = []Param{lname, fname, birth, wireless, hmPhone, email, gender, address, city, state, zip}

// Functions is the booking surface, in the order tool lists show it.
var Functions = []Function{
	{Name: "GetMultiplePatients", Description: "Find patients by last name and/or first name (their beginnings, any case), phone (any format, digits compared) or birthdate.",
		Params: []Param{lname, fname, {"Phone", "string", "Phone number in any format.", false}, birth}, run: getMultiplePatients},
	{Name: "GetPatient", Description: "Get one patient by PatNum.", Params: []Param{patNum}, run: getPatient},
	{Name: "CreatePatient", Description: "Create a patient (written to the practice system by dual-write when one is synced).", Writes: true,
		Params: append([]Param{required(lname), required(fname)}, patientFields[2:]...), run: createPatient},
	{Name: "UpdatePatient", Description: "Change a patient's details; parameters left out keep their value.", Writes: true,
		Params: append([]Param{patNum}, patientFields...), run: updatePatient},
	{Name: "GetProviders", Description: "List the practice system's providers (ProvNum, Abbr).", run: getProviders},
	{Name: "GetOperatories", Description: "List the practice system's operatories (OperatoryNum, OpName).", run: getOperatories},
	{Name: "GetAvailableSlots", Description: "Free slots between two dates (practice time): opening hours, no overlapping appointment, the practice system's own slots when it lists them.",
		Params: []Param{{"dateStart", "string", "First day, YYYY-MM-DD.", true}, {"dateEnd", "string", "Last day, YYYY-MM-DD (default dateStart).", false},
			provNum, {"OpNum", "integer", "Operatory number.", false}, {"lengthMinutes", "integer", "Length of the appointment in minutes (default 30).", false}},
		run: getAvailableSlots},
	{Name: "GetAppointments", Description: "List appointments, by patient and/or dates (practice time) and status.",
		Params: []Param{{"PatNum", "integer", "Only this patient's.", false}, {"dateStart", "string", "From this day, YYYY-MM-DD.", false},
			{"dateEnd", "string", "To this day (inclusive), YYYY-MM-DD.", false}, {"AptStatus", "string", "Scheduled, Complete or Broken.", false}},
		run: getAppointments},
	{Name: "CreateAppointment", Description: "Book an appointment: refused with slot_taken when the time overlaps another; written to the practice system by dual-write.", Writes: true,
		Params: []Param{patNum, required(aptTime), provNum, op, pattern, duration, note}, run: createAppointment},
	{Name: "UpdateAppointment", Description: "Move or change an appointment; parameters left out keep their value.", Writes: true,
		Params: []Param{aptNum, aptTime, provNum, op, pattern, duration, note}, run: updateAppointment},
	{Name: "BreakAppointment", Description: "Break (cancel) an appointment; breaking a broken one changes nothing.", Writes: true,
		Params: []Param{aptNum, {"sendToUnscheduledList", "boolean", "Accepted for compatibility; the local records have no unscheduled list.", false}}, run: breakAppointment},
	{Name: "DeleteAppointment", Description: "Cancel an appointment (the local records keep cancelled appointments).", Writes: true,
		Params: []Param{aptNum}, run: breakAppointment},
}

var functionsByName = func() map[string]*Function {
	m := map[string]*Function{}
	for i := range Functions {
		m[Functions[i].Name] = &Functions[i]
	}
	return m
}()

// Tools lists the functions as tools (for ?format= on the functions list).
func Tools() []tools.Function {
	out := make([]tools.Function, 0, len(Functions))
	for _, f := range Functions {
		props := map[string]any{}
		req := []string{}
		for _, p := range f.Params {
			props[p.Name] = map[string]any{"type": p.Type, "description": p.Description}
			if p.Required {
				req = append(req, p.Name)
			}
		}
		out = append(out, tools.Function{Name: f.Name, Tool: f.Name, Method: "POST", Path: "/api/booking", Description: f.Description,
			Writes: f.Writes, Parameters: map[string]any{"type": "object", "properties": props, "required": req, "additionalProperties": false}})
	}
	return out
}
