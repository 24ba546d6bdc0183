package handlers_test

import "testing"

// An appointment given as an instant in another zone reaches Open Dental as
// the practice's wall-clock time: 09:00 PST is 11:00 in Chicago.
func TestExecuteSendsOpenDentalPracticeTime(t *testing.T) {
	srv, c := demoAgent(t)
	org := srv.DemoOrg(t)
	// Before the agent's first call, so its key does not cache the old zone.
	settings := org.Settings()
	settings.TimeZone, settings.TimeZoneChosen = "America/Chicago", true
	if _, _, err := srv.App.Store.Tenant(org.ID).UpdateOrganization(t.Context(), settings); err != nil {
		t.Fatal(err)
	}
	r := c.SendJSON("POST", "/api/integrations/opendental", map[string]any{"function": "CreateAppointment", "params": map[string]any{
		"PatNum": 1, "start": "2026-12-12T09:00:00-08:00", "duration_minutes": 30, "operatory_ref": 1, "provider_ref": 1}})
	if r.StatusCode != 200 {
		t.Fatalf("CreateAppointment = %d %s", r.StatusCode, r.Body)
	}
	apts := srv.DemoSandbox(t).OpenDentalAppointments()
	if got, want := apts[len(apts)-1].AptDateTime, "2026-12-12 11:00:00"; got != want {
		t.Errorf("AptDateTime received: got %q, want %q", got, want)
	}
	var env envelope
	r.JSON(t, &env)
	if got, want := env.Data["start"], "2026-12-12T11:00:00-06:00"; got != want {
		t.Errorf("start answered: got %v, want %s", got, want)
	}
}
