package sandbox

import (
	"strings"
	"testing"

	"switchboard/integrations/catalog"
)

// TestSandboxAnswersEveryCloud9CatalogFunction: the demo and the tests can
// try every function of the Cloud9 catalog entry against the sandbox
// (SPEC §10's surface: locations, providers, appointment types, chairs,
// patients lookup/get/create/update, appointments slots/create/confirm/
// cancel).
func TestSandboxAnswersEveryCloud9CatalogFunction(t *testing.T) {
	e, err := catalog.Get("cloud9")
	if err != nil {
		t.Fatal(err)
	}
	for _, ep := range e.Doc.Endpoints {
		if _, ok := c9Procedures[strings.ToLower(ep.Function)]; !ok {
			t.Errorf("the sandbox has no Cloud9 procedure %s", ep.Function)
		}
	}
	for _, want := range []string{"GetLocations", "GetDoctors", "GetAppointmentTypes", "GetChairSchedules", "GetPortalPatientLookup",
		"GetPatientInformation", "SetPatient", "SetPatientDemographicInfo", "GetOnlineReservations", "SetAppointment",
		"SetAppointmentStatusConfirmed", "SetAppointmentStatusCanceled"} {
		if _, ok := e.Doc.Endpoint(want); !ok {
			t.Errorf("the Cloud9 catalog entry lacks %s", want)
		}
	}
}
