package handlers_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"switchboard/integrations/catalog"
	"switchboard/testsupport"
)

// odSamples are parameter values, by the name the functions list gives
// (internal where a parameter map renames it), for the Open Dental
// catalog functions run against the sandbox; odOverrides are the values
// of one function (each write on its own record, so the order of the list
// does not matter).
var (
	odSamples = map[string]any{
		"patient_id": 1, "PatNum": 1, "AptNum": 1, "appointment_id": 1, "OperatoryNum": 1, "ProvNum": 1, "provider_ref": 1,
		"CommlogNum": 1, "PopupNum": 1, "RecallNum": 1, "RecallTypeNum": 1, "ProcNum": 1, "CodeNum": 1, "CarrierNum": 1,
		"PlanNum": 1, "ReferralNum": 1, "InsSubNum": 1, "first_name": "Test", "last_name": "Catalog", "notes": "from the catalog test",
		"Description": "Catalog test popup", "ProcDate": "2026-02-01", "ProcStatus": "TP", "FieldName": "Preferred pharmacy",
		"status": "completed",
	}
	odOverrides = map[string]map[string]any{
		"CreateAppointment":   {"patient_id": 2, "start": "2031-05-06T10:00", "duration_minutes": 30, "operatory_ref": 1, "provider_ref": 1},
		"UpdateAppointment":   {"AptNum": 1, "notes": "moved by the catalog test"},
		"BreakAppointment":    {"AptNum": 2},
		"CompleteAppointment": {"AptNum": 3, "status": "completed"},
		"ConfirmAppointment":  {"AptNum": 1, "confirmVal": "Confirmed"},
		"DeleteProcedureLog":  {"ProcNum": 2},
	}
)

// TestOpenDentalCatalogAgainstTheSandbox runs every function of the Open
// Dental catalog entry (at least 60: the booking and front-desk surface)
// through the execute route against the demo's sandbox.
func TestOpenDentalCatalogAgainstTheSandbox(t *testing.T) {
	e, err := catalog.Get("opendental")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(e.Doc.Endpoints); n < 60 {
		t.Fatalf("the Open Dental catalog entry has %d functions, want at least 60", n)
	}
	_, agent := demoAgent(t)
	var list struct {
		Items []struct {
			Name       string `json:"name"`
			Parameters struct {
				Required []string `json:"required"`
			} `json:"parameters"`
		} `json:"items"`
	}
	agent.Get("/api/integrations/opendental/functions").JSON(t, &list)
	// CreateAppointment names demo patient 2 by Switchboard's id: it must
	// have reached Open Dental first (the demo's seed syncs it by itself).
	waitPatientSynced(t, agent, 2, "opendental")
	if len(list.Items) != len(e.Doc.Endpoints) {
		t.Fatalf("the functions list has %d items, the catalog %d", len(list.Items), len(e.Doc.Endpoints))
	}
	for _, fn := range list.Items {
		params := map[string]any{}
		for _, name := range fn.Parameters.Required {
			v, ok := odSamples[name]
			if _, over := odOverrides[fn.Name][name]; !ok && !over {
				t.Errorf("%s: no sample for its required parameter %s", fn.Name, name)
			}
			params[name] = v
		}
		for k, v := range odOverrides[fn.Name] {
			params[k] = v
		}
		if fn.Name == "GetAppointmentSlots" {
			day := time.Now().AddDate(0, 0, 9).Format("2006-01-02")
			params["from"], params["to"] = day, day
		}
		r := agent.SendJSON("POST", "/api/integrations/opendental", map[string]any{"function": fn.Name, "params": params})
		if r.StatusCode != 200 || !strings.Contains(r.Body, `"ok":true`) {
			t.Errorf("%s(%v) = %d %.300s", fn.Name, params, r.StatusCode, r.Body)
		}
	}
	fmt.Fprintf(testWriter{t}, "%d Open Dental functions answered by the sandbox\n", len(list.Items))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// waitPatientSynced waits (up to 30 s) until the patient's sync state in
// the integration is synced.
func waitPatientSynced(t *testing.T, c *testsupport.Client, id int64, integration string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var p struct {
			Sync []struct {
				Integration string `json:"integration"`
				Status      string `json:"status"`
			} `json:"sync"`
		}
		c.Get(fmt.Sprintf("/api/patients/%d", id)).JSON(t, &p)
		for _, st := range p.Sync {
			if st.Integration == integration && st.Status == "synced" {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("patient %d never synced to %s: %+v", id, integration, p.Sync)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
