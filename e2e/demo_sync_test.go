package e2e

import (
	"testing"
	"time"

	"switchboard/integrations/definition"
	"switchboard/models"
	"switchboard/testsupport"
)

// TestDemoDualWritesOutOfTheBox: a fresh demo has dual-write to Open
// Dental switched on and a few patients, and each of them reaches the
// sandbox's Open Dental within seconds, without anyone configuring sync.
func TestDemoDualWritesOutOfTheBox(t *testing.T) {
	srv, _ := testsupport.StartDemo(t)
	ctx := t.Context()
	org, err := srv.App.Store.OrganizationBySlug(ctx, "demo")
	if err != nil {
		t.Fatal(err)
	}
	tn := srv.App.Store.Tenant(org.ID)
	od, err := tn.IntegrationBySlug(ctx, "opendental")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := tn.SyncConfigFor(ctx, od.ID)
	if err != nil {
		t.Fatalf("no sync configuration for Open Dental in the demo: %v", err)
	}
	if !cfg.Enabled || cfg.Direction != models.DirectionDualWrite || !cfg.SyncOnCreate {
		t.Fatalf("demo sync configuration = %+v, want dual-write on", cfg)
	}
	patients, err := tn.Patients(ctx, models.PatientFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(patients) < 3 {
		t.Fatalf("the demo has %d patients, want a few", len(patients))
	}
	deadline := time.Now().Add(20 * time.Second)
	for _, p := range patients {
		for {
			states, err := srv.App.Sync.States(ctx, org.ID, definition.EntityPatient, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(states) == 1 && states[0].Status == models.JobSynced && states[0].ExternalID != "" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("patient %d not synced: %+v", p.ID, states)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	if n := len(srv.DemoSandbox(t).OpenDentalPatients()); n < len(patients) {
		t.Fatalf("the sandbox holds %d patients, want at least %d", n, len(patients))
	}

	// A restart (the demo seeds again) adds neither a second configuration
	// nor a second set of patients.
	if _, err := srv.App.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	again, err := tn.Patients(ctx, models.PatientFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	cfgs, err := tn.SyncConfigs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != len(patients) || len(cfgs) != 1 {
		t.Fatalf("after a second seed: %d patients (was %d), %d configurations", len(again), len(patients), len(cfgs))
	}
}
