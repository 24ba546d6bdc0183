package app

import (
	"context"
	"fmt"

	"switchboard/apperr"
	"switchboard/integrations/syncsettings"
	"switchboard/models"
	"switchboard/records"
)

// demoPatients are the patients a fresh demo starts with; they go through
// the write path, so they show dual-write at work from the first page.
var demoPatients = []records.Values{
	{"first_name": "Ada", "last_name": "Lovelace", "birthdate": "1985-12-10", "phone": "+13125550101", "email": "ada@example.com"},
	{"first_name": "Grace", "last_name": "Hopper", "birthdate": "1979-12-09", "phone": "+13125550102", "email": "grace@example.com"},
	{"first_name": "Alan", "last_name": "Turing", "birthdate": "1992-06-23", "phone": "+13125550103", "email": "alan@example.com"},
}

// seedDemoSync turns dual-write on for Open Dental (patients and
// appointments, production environment, which the demo points at the
// sandbox) unless the organization already has a configuration for it,
// and books the demo patients into a practice that has none yet. Both are
// left alone once a demo user changed them.
func (a *App) seedDemoSync(ctx context.Context, orgID int64) error {
	t := a.Store.Tenant(orgID)
	od, err := t.IntegrationBySlug(ctx, "opendental")
	if err != nil {
		return err
	}
	_, err = t.SyncConfigFor(ctx, od.ID)
	switch {
	case apperr.IsNotFound(err):
		enabled := true
		svc := syncsettings.New(a.Store, a.Registry, a.WebhookSecrets)
		if _, err := svc.Create(ctx, orgID, syncsettings.Input{Integration: "opendental", Enabled: &enabled}); err != nil {
			return fmt.Errorf("app: demo sync configuration: %w", err)
		}
	case err != nil:
		return err
	}
	existing, err := t.Patients(ctx, models.PatientFilter{Limit: 1})
	if err != nil || len(existing) > 0 {
		return err
	}
	recs := records.New(a.Store, a.Sync)
	for _, p := range demoPatients {
		if _, _, err := recs.CreatePatient(ctx, orgID, p, nil); err != nil {
			return fmt.Errorf("app: demo patient %s %s: %w", p["first_name"], p["last_name"], err)
		}
	}
	return nil
}
