package sandbox

import "net/http"

// OpenDentalAppointmentType is an appointment type (its default pattern
// gives the length, five minutes per character).
type OpenDentalAppointmentType struct {
	AppointmentTypeNum  int64
	AppointmentTypeName string
	ItemOrder           int
	IsHidden            string
	Pattern             string
}

// OpenDentalClinic is one clinic (location) of a practice.
type OpenDentalClinic struct {
	ClinicNum   int64
	Description string
	Abbr        string
	IsHidden    string
}

// odAppointmentTypes and odClinics are the sandbox practice's; they do not
// change.
var (
	odAppointmentTypes = []OpenDentalAppointmentType{
		{1, "New patient exam", 0, "false", "XXXXXXXXXXXX"},
		{2, "Cleaning", 1, "false", "XXXXXXXXX"},
		{3, "Filling", 2, "false", "XXXXXX"},
		{4, "Emergency", 3, "false", "XXXXXX"},
	}
	odClinics = []OpenDentalClinic{
		{1, "Main Street Dental", "MAIN", "false"},
		{2, "Lakeside Dental", "LAKE", "false"},
	}
)

// odListAppointmentTypes serves GET /appointmenttypes.
func (s *Sandbox) odListAppointmentTypes(w http.ResponseWriter, _ *http.Request) {
	odJSON(w, http.StatusOK, odAppointmentTypes)
}

// odListClinics serves GET /clinics.
func (s *Sandbox) odListClinics(w http.ResponseWriter, _ *http.Request) {
	odJSON(w, http.StatusOK, odClinics)
}
