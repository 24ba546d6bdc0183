package handlers_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchboard/integrations/catalog"
	"switchboard/testsupport"
)

// TestCloud9CatalogAgainstTheSandbox calls every function of the Cloud9
// catalog entry through the execute route against the demo's sandbox, in
// both environments, chained as a practice would use them (SPEC §10's
// surface): locations, providers, appointment types and chairs; a
// patient created, looked up, read and changed; open slots; an
// appointment booked, confirmed and cancelled. A catalog function the
// test does not call fails it.
func TestCloud9CatalogAgainstTheSandbox(t *testing.T) {
	e, err := catalog.Get("cloud9")
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := testsupport.StartDemo(t)
	admin := srv.KeyClient(t, srv.DemoOrg(t).ID, "admin")
	for _, env := range []string{"production", "sandbox"} {
		t.Run(env, func(t *testing.T) {
			// Not the environment's name: "sandbox" is the demo's user name,
			// which answers redact.
			name := map[string]string{"production": "Catalogone", "sandbox": "Catalogtwo"}[env]
			called := map[string]bool{}
			call := func(fn string, params map[string]any) any {
				t.Helper()
				called[fn] = true
				r := admin.SendJSON("POST", "/api/integrations/cloud9", map[string]any{"function": fn, "params": params, "environment": env})
				var out struct {
					OK   bool `json:"ok"`
					Data any  `json:"data"`
				}
				_ = json.Unmarshal([]byte(r.Body), &out)
				if r.StatusCode != http.StatusOK || !out.OK {
					t.Fatalf("%s (%s) = %d %s", fn, env, r.StatusCode, r.Body)
				}
				return out.Data
			}
			loc := str(t, firstRecord(t, call("GetLocations", nil)), "LocationGUID")
			doctor := str(t, firstRecord(t, call("GetDoctors", nil)), "DoctorGUID")
			apptType := str(t, firstRecord(t, call("GetAppointmentTypes", nil)), "AppointmentTypeGUID")
			chair := firstRecord(t, call("GetChairSchedules", nil))
			view, column := str(t, chair, "schdvwGUID"), str(t, chair, "schdcolGUID")
			call("GetPatientList", nil)

			created := firstRecord(t, call("SetPatient", map[string]any{"first_name": "Cat", "last_name": name,
				"providerGUID": doctor, "locationGUID": loc, "birthdate": "1990-02-03"}))
			patient := str(t, created, "PatientGUID")
			if found := call("GetPortalPatientLookup", map[string]any{"filter": name}); !strings.Contains(jsonText(found), patient) {
				t.Fatalf("the lookup does not find the new patient %s: %s", patient, jsonText(found))
			}
			if got := firstRecord(t, call("GetPatientInformation", map[string]any{"PatientGUID": patient})); got["last_name"] != name {
				t.Fatalf("GetPatientInformation = %v", got)
			}
			call("SetPatientDemographicInfo", map[string]any{"patGUID": patient, "phoneNumber": "5035550142"})
			if got := jsonText(call("GetPatientInformation", map[string]any{"PatientGUID": patient})); !strings.Contains(got, "5035550142") {
				t.Fatalf("the changed phone is not read back: %s", got)
			}

			day := time.Now().AddDate(0, 0, 14)
			call("GetOnlineReservations", map[string]any{"startDate": day.Format("01/02/2006"), "endDate": day.AddDate(0, 0, 7).Format("01/02/2006"),
				"schdvwGUIDs": view})
			booked := firstRecord(t, call("SetAppointment", map[string]any{"patient_id": patient, "start": day.Format("2006-01-02") + "T10:00",
				"location_ref": view, "operatory_ref": column, "appointment_type": apptType, "duration_minutes": 30}))
			appt := str(t, booked, "AppointmentGUID")
			call("SetAppointmentStatusConfirmed", map[string]any{"AppointmentGUID": appt})
			call("SetAppointmentStatusCanceled", map[string]any{"AppointmentGUID": appt})

			var n int
			for range 100 { // the call log is written off the request path
				srv.App.DB.NewRaw("SELECT COUNT(*) FROM api_calls WHERE provider = 'cloud9' AND environment = ? AND function = 'SetAppointmentStatusCanceled'", env).Scan(t.Context(), &n)
				if n > 0 {
					break
				}
				time.Sleep(50 * time.Millisecond)
			}
			if n != 1 {
				t.Errorf("%d cancel calls logged in %s, want 1 (the call went to another environment)", n, env)
			}
			for _, ep := range e.Doc.Endpoints {
				if !called[ep.Function] {
					t.Errorf("the test does not call the catalog's %s", ep.Function)
				}
			}
		})
	}
}

// firstRecord is an answer's record, or its list's first.
func firstRecord(t *testing.T, data any) map[string]any {
	t.Helper()
	switch d := data.(type) {
	case map[string]any:
		return d
	case []any:
		if len(d) > 0 {
			if m, ok := d[0].(map[string]any); ok {
				return m
			}
		}
	}
	t.Fatalf("no record in %s", jsonText(data))
	return nil
}

func str(t *testing.T, m map[string]any, key string) string {
	t.Helper()
	s, _ := m[key].(string)
	if s == "" {
		t.Fatalf("no %s in %s", key, jsonText(m))
	}
	return s
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
