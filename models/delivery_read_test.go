package models_test

import (
	"context"
	"testing"
	"time"

	"switchboard/apperr"
	"switchboard/models"
	"switchboard/testsupport"
)

// TestAppointmentForDeliveryReadsItAllAtOnce: one read answers the
// appointment, its patient and the external ids of both in the
// integration asked for — not another integration's, not another
// organization's appointment — with "" for a record not there yet and no
// patient once it is deleted. Both databases, read twice (the prepared
// statement is reused).
func TestAppointmentForDeliveryReadsItAllAtOnce(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		clock := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
		store, org, in := syncSetup(t, dbURL, &clock)
		tn := store.Tenant(org.ID)
		other := &models.IntegrationRows{Integration: models.Integration{Slug: "cal", Name: "Cal", AuthType: "none",
			RequestFormat: "json", Settings: "{}", Enabled: true}}
		if err := tn.SaveIntegrationRows(ctx, other); err != nil {
			t.Fatal(err)
		}
		p := &models.Patient{FirstName: "Mary", LastName: "Jackson", Phone: "555-0100"}
		if err := tn.CreatePatient(ctx, p); err != nil {
			t.Fatal(err)
		}
		a := &models.Appointment{PatientID: p.ID, Start: clock.Add(24 * time.Hour), End: clock.Add(25 * time.Hour),
			DurationMinutes: 60, ProviderRef: "1", OperatoryRef: "2", Status: "scheduled"}
		if err := tn.CreateAppointment(ctx, a); err != nil {
			t.Fatal(err)
		}
		read := func(integrationID int64) *models.AppointmentDelivery {
			t.Helper()
			d, err := tn.AppointmentForDelivery(ctx, integrationID, a.ID)
			if err != nil {
				t.Fatalf("read for integration %d: %v", integrationID, err)
			}
			return d
		}
		d := read(in.Integration.ID)
		if d.Appointment.ID != a.ID || d.Appointment.ProviderRef != "1" || !d.Appointment.Start.Equal(a.Start) ||
			d.Patient == nil || d.Patient.ID != p.ID || d.Patient.Phone != "555-0100" || d.ExternalID != "" || d.PatientExternalID != "" {
			t.Fatalf("before any reference: %+v (appointment %+v, patient %+v)", d, d.Appointment, d.Patient)
		}
		ref := func(integrationID int64, entity string, localID int64, ext string) {
			r := &models.ExternalRef{IntegrationID: integrationID, Entity: entity, LocalID: localID, ExternalID: ext}
			if err := tn.SaveExternalRef(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		ref(in.Integration.ID, "patient", p.ID, "PAT-7")
		ref(other.Integration.ID, "appointment", a.ID, "CAL-1")
		for range 2 {
			if d = read(in.Integration.ID); d.ExternalID != "" || d.PatientExternalID != "PAT-7" {
				t.Fatalf("with the patient's reference: ids %q, %q; want \"\", PAT-7", d.ExternalID, d.PatientExternalID)
			}
		}
		ref(in.Integration.ID, "appointment", a.ID, "APT-9")
		if d = read(in.Integration.ID); d.ExternalID != "APT-9" || d.PatientExternalID != "PAT-7" {
			t.Fatalf("with both references: ids %q, %q; want APT-9, PAT-7", d.ExternalID, d.PatientExternalID)
		}
		if d = read(other.Integration.ID); d.ExternalID != "CAL-1" || d.PatientExternalID != "" {
			t.Fatalf("the other integration: ids %q, %q; want CAL-1, \"\"", d.ExternalID, d.PatientExternalID)
		}
		if err := tn.DeletePatient(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		if d = read(in.Integration.ID); d.Patient != nil || d.Appointment.ID != a.ID {
			t.Fatalf("after the patient's deletion: patient %+v, appointment %d", d.Patient, d.Appointment.ID)
		}
		stranger, _ := testsupport.Seed(t, store, "beta", "owner@beta.test", models.RoleOwner)
		if _, err := store.Tenant(stranger.ID).AppointmentForDelivery(ctx, in.Integration.ID, a.ID); !apperr.IsNotFound(err) {
			t.Errorf("another organization's read = %v, want not found", err)
		}
		if _, err := tn.AppointmentForDelivery(ctx, in.Integration.ID, a.ID+100); !apperr.IsNotFound(err) {
			t.Errorf("a missing appointment = %v, want not found", err)
		}
	})
}
