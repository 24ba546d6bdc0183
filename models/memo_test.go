package models_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"switchboard/apperr"
	"switchboard/models"
	"switchboard/testsupport"
)

// TestReadMemoKeepsOneRequestsReads: under a read memo a patient and an
// enabled integration's sync configuration are read from the database
// once per request (the check before accepting and the reference lists
// read them several times); a patient written or deleted under the memo is
// read afresh; another organization's patient is never served from it;
// without a memo every read goes to the database.
func TestReadMemoKeepsOneRequestsReads(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		db := testsupport.OpenDB(t, dbURL)
		store := models.NewStore(db)
		acme, _ := testsupport.Seed(t, store, "acme", "owner@acme.test", models.RoleOwner)
		globex, _ := testsupport.Seed(t, store, "globex", "owner@globex.test", models.RoleOwner)
		tenant := store.Tenant(acme.ID)
		p := &models.Patient{FirstName: "Ada", LastName: "Lovelace"}
		if err := tenant.CreatePatient(ctx, p); err != nil {
			t.Fatal(err)
		}
		in := &models.IntegrationRows{Integration: models.Integration{Slug: "od", Name: "OD", AuthType: "none", RequestFormat: "json", Settings: "{}", Enabled: true}}
		if err := tenant.SaveIntegrationRows(ctx, in); err != nil {
			t.Fatal(err)
		}
		if err := tenant.SaveSyncConfig(ctx, &models.SyncConfig{IntegrationID: in.Integration.ID, Enabled: true, Direction: models.DirectionDualWrite,
			Environment: "sandbox", Entities: "appointment", ConflictResolution: models.ConflictNewestWins}); err != nil {
			t.Fatal(err)
		}

		memo := models.WithReadMemo(ctx)
		if got, err := tenant.Patient(memo, p.ID); err != nil || got.LastName != "Lovelace" {
			t.Fatalf("patient = %+v %v", got, err)
		}
		if got, err := tenant.SyncConfigFor(memo, in.Integration.ID); err != nil || got.Environment != "sandbox" {
			t.Fatalf("sync config = %+v %v", got, err)
		}
		// Changed behind the memo's back (another request): the memo keeps
		// what this request read, a read without it sees the change.
		if _, err := db.ExecContext(ctx, "UPDATE patients SET last_name = 'Byron' WHERE id = ?", p.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ExecContext(ctx, "UPDATE integration_sync_configs SET environment = 'production' WHERE integration_id = ?", in.Integration.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := tenant.Patient(memo, p.ID); got.LastName != "Lovelace" {
			t.Errorf("under the memo the patient was read again: %q", got.LastName)
		}
		if got, _ := tenant.SyncConfigFor(memo, in.Integration.ID); got.Environment != "sandbox" {
			t.Errorf("under the memo the sync configuration was read again: %q", got.Environment)
		}
		if got, _ := tenant.Patient(ctx, p.ID); got.LastName != "Byron" {
			t.Errorf("without a memo the patient = %q, want the database's Byron", got.LastName)
		}
		if got, _ := store.Tenant(globex.ID).Patient(memo, p.ID); got.ID != 0 {
			t.Errorf("another organization read acme's patient from the memo: %+v", got)
		}
		// Written under the memo: read afresh.
		p.FirstName, p.LastName = "Augusta", "King"
		if err := tenant.UpdatePatient(memo, p); err != nil {
			t.Fatal(err)
		}
		if got, _ := tenant.Patient(memo, p.ID); got.FirstName != "Augusta" || got.LastName != "King" {
			t.Errorf("after an update under the memo the patient = %s %s", got.FirstName, got.LastName)
		}
		if err := tenant.DeletePatient(memo, p.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := tenant.Patient(memo, p.ID); !apperr.IsNotFound(err) {
			t.Errorf("after a delete under the memo the patient read = %v, want not found", err)
		}
	})
}

// TestPreparedPatientReadMatchesBun: on SQLite the patient read goes
// through a prepared statement (bun's own query text and scan); every
// field reads as bun's query reads it, and another organization's or a
// deleted patient is not found.
func TestPreparedPatientReadMatchesBun(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		ctx := context.Background()
		store := models.NewStore(testsupport.OpenDB(t, dbURL))
		acme, _ := testsupport.Seed(t, store, "acme", "owner@acme.test", models.RoleOwner)
		globex, _ := testsupport.Seed(t, store, "globex", "owner@globex.test", models.RoleOwner)
		tenant := store.Tenant(acme.ID)
		p := &models.Patient{FirstName: "Ada", LastName: "Lovelace", Birthdate: "1815-12-10", Phone: "+44 20 7946 0000",
			Email: "ada@example.test", Gender: "female", AddressLine: "12 St James's Square", City: "London", State: "LND", PostalCode: "SW1Y 4JH"}
		if err := tenant.CreatePatient(ctx, p); err != nil {
			t.Fatal(err)
		}
		got, err := tenant.Patient(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		list, err := tenant.Patients(ctx, models.PatientFilter{})
		if err != nil || len(list) != 1 {
			t.Fatalf("list = %v %v", list, err)
		}
		if !reflect.DeepEqual(*got, list[0]) {
			t.Errorf("read  %+v\nlist  %+v", *got, list[0])
		}
		if !got.CreatedAt.Equal(p.CreatedAt.Truncate(time.Microsecond)) || got.PhoneDigits != "442079460000" || got.Version != 1 {
			t.Errorf("read %+v, want created %s", got, p.CreatedAt)
		}
		if _, err := store.Tenant(globex.ID).Patient(ctx, p.ID); !apperr.IsNotFound(err) {
			t.Errorf("another organization's read = %v, want not found", err)
		}
		if err := tenant.DeletePatient(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := tenant.Patient(ctx, p.ID); !apperr.IsNotFound(err) {
			t.Errorf("deleted patient's read = %v, want not found", err)
		}
	})
}
