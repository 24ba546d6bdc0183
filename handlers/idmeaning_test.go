package handlers_test

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"switchboard/integrations/sandbox"
	"switchboard/models"
	"switchboard/testsupport"
)

// TestOneMeaningPerID: patient_id is Switchboard's patient id in a raw
// Open Dental function too — translated to that patient's PatNum, the
// answer's PatNum read back as patient_id — and a patient not in Open
// Dental yet is refused naming patient_id; a raw PatNum keeps its name.
// A value outside a mapped enum is refused naming the field.
func TestOneMeaningPerID(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv, _ := testsupport.StartDemoOn(t, dbURL)
		org := srv.DemoOrg(t)
		c := srv.KeyClient(t, org.ID, "agent")
		settleSync(t, srv)
		tn := srv.App.Store.Tenant(org.ID)
		od, err := tn.IntegrationBySlug(t.Context(), "opendental")
		if err != nil {
			t.Fatal(err)
		}
		ref, err := tn.ExternalRef(t.Context(), od.ID, "patient", 1)
		if err != nil {
			t.Fatalf("the demo's patient 1 is not in Open Dental: %v", err)
		}
		patNum, _ := strconv.ParseInt(ref.ExternalID, 10, 64)
		if patNum == 1 {
			t.Fatalf("the demo's patient 1 is PatNum 1: the test cannot tell the ids apart")
		}
		r := c.SendJSON("POST", "/api/integrations/opendental", map[string]any{"function": "CreateAppointment", "params": map[string]any{
			"patient_id": 1, "start": "2031-06-04T14:00", "duration_minutes": 30, "operatory_ref": 2, "provider_ref": 1}})
		if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `"patient_id":1,`) && !strings.Contains(r.Body, `"patient_id":"1"`) {
			t.Fatalf("CreateAppointment with patient_id 1 = %d %s", r.StatusCode, r.Body)
		}
		apts := srv.App.Sandbox.For(sandbox.OrgTenant(org.ID)).OpenDentalAppointments()
		if last := apts[len(apts)-1]; last.PatNum != patNum {
			t.Fatalf("Open Dental booked PatNum %d, want %d (Switchboard's patient 1)", last.PatNum, patNum)
		}
		// The raw number by its own name is Open Dental's.
		r = c.SendJSON("POST", "/api/integrations/opendental", map[string]any{"function": "CreateAppointment", "params": map[string]any{
			"PatNum": 1, "start": "2031-06-04T15:00", "duration_minutes": 30, "operatory_ref": 2, "provider_ref": 1}})
		apts = srv.App.Sandbox.For(sandbox.OrgTenant(org.ID)).OpenDentalAppointments()
		if last := apts[len(apts)-1]; r.StatusCode != http.StatusOK || last.PatNum != 1 {
			t.Fatalf("CreateAppointment with PatNum 1 = %d %s; booked %d", r.StatusCode, r.Body, last.PatNum)
		}
		// A patient only here: refused, naming patient_id; nothing sent.
		local := &models.Patient{FirstName: "Only", LastName: "Local"}
		if err := tn.CreatePatient(t.Context(), local); err != nil {
			t.Fatal(err)
		}
		before := len(srv.App.Sandbox.For(sandbox.OrgTenant(org.ID)).OpenDentalAppointments())
		r = c.SendJSON("POST", "/api/integrations/opendental", map[string]any{"function": "CreateAppointment", "params": map[string]any{
			"patient_id": local.ID, "start": "2031-06-04T16:00", "duration_minutes": 30, "operatory_ref": 2, "provider_ref": 1}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"field":"patient_id"`) ||
			!strings.Contains(r.Body, fmt.Sprintf("Switchboard's patient %d is not in opendental yet", local.ID)) || len(srv.App.Sandbox.For(sandbox.OrgTenant(org.ID)).OpenDentalAppointments()) != before {
			t.Fatalf("a patient not in Open Dental = %d %s", r.StatusCode, r.Body)
		}
		// The tool schema says which id is which.
		if r := c.Get("/api/integrations/opendental/functions?format=anthropic"); !strings.Contains(r.Body, "Switchboard's patient id") ||
			!strings.Contains(r.Body, "Open Dental's patient number (PatNum), not Switchboard's patient id") {
			t.Errorf("the functions do not say which id is which: %.3000s", r.Body)
		}
		// Enums after maps are enforced and described.
		r = c.SendJSON("POST", "/api/integrations/opendental", map[string]any{"function": "ListAppointments", "params": map[string]any{"status": "bogus"}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"field":"status"`) || !strings.Contains(r.Body, "must be one of scheduled") {
			t.Fatalf("ListAppointments status bogus = %d %s", r.StatusCode, r.Body)
		}
	})
}
