package records_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"switchboard/accounts"
	"switchboard/apperr"
	"switchboard/integrations/registry"
	"switchboard/integrations/syncer"
	"switchboard/models"
	"switchboard/records"
	"switchboard/testsupport"
)

type fixture struct {
	ctx        context.Context
	svc        *records.Service
	org, other int64
}

func newFixture(t *testing.T, dbURL string) *fixture {
	t.Helper()
	store := models.NewStore(testsupport.OpenDB(t, dbURL))
	f := &fixture{ctx: context.Background()}
	for i, dst := range []*int64{&f.org, &f.other} {
		org, err := store.CreateOrganization(f.ctx, "org"+strconv.Itoa(i), "Dental")
		if err != nil {
			t.Fatalf("create org: %v", err)
		}
		*dst = org.ID
	}
	f.svc = records.New(store, syncer.New(syncer.Config{Store: store, Registry: registry.New(store)}))
	return f
}

func TestPatientsThroughTheService(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		f := newFixture(t, dbURL)
		_, _, err := f.svc.CreatePatient(f.ctx, f.org, records.Values{"first_name": " ", "birthdate": "1990-13-45",
			"email": "nope", "phone": "call me", "nickname": "x"}, nil)
		bad := testsupport.Problems(t, err)
		for field, msg := range map[string]string{"first_name": "is required", "last_name": "is required", "nickname": "is not a field of this record",
			"birthdate": "must be a date as YYYY-MM-DD", "email": "must be an email address", "phone": "must be a phone number (digits, spaces, + ( ) - .)"} {
			if bad[field] != msg {
				t.Errorf("%s: %q, want %q (all: %v)", field, bad[field], msg, bad)
			}
		}
		p, states, err := f.svc.CreatePatient(f.ctx, f.org, records.Values{"first_name": " Grace ", "last_name": "Hopper", "city": "Arlington"}, nil)
		if err != nil || p.ID == 0 || p.FirstName != "Grace" || len(states) != 0 {
			t.Fatalf("create = %+v %v %v", p, states, err)
		}
		// PATCH: the fields left out keep their value.
		p, _, err = f.svc.UpdatePatient(f.ctx, f.org, p.ID, records.Values{"email": "grace@example.test"}, nil)
		if err != nil || p.City != "Arlington" || p.LastName != "Hopper" || p.Email != "grace@example.test" || p.Version != 2 {
			t.Fatalf("update = %+v %v", p, err)
		}
		if _, _, err := f.svc.UpdatePatient(f.ctx, f.org, p.ID, records.Values{"last_name": ""}, nil); testsupport.Problems(t, err)["last_name"] != "is required" {
			t.Fatalf("clearing last_name = %v", err)
		}
		if _, err := f.svc.Patient(f.ctx, f.other, p.ID); !apperr.IsNotFound(err) {
			t.Fatalf("another organization reads the patient: %v", err)
		}
		if ps, err := f.svc.Patients(f.ctx, f.org, models.PatientFilter{Search: "hop"}); err != nil || len(ps) != 1 {
			t.Fatalf("search = %v %v", ps, err)
		}
		if _, err := f.svc.DeletePatient(f.ctx, f.org, p.ID, nil); err != nil {
			t.Fatalf("delete: %v", err)
		}
		if _, err := f.svc.Patient(f.ctx, f.org, p.ID); !apperr.IsNotFound(err) {
			t.Fatalf("deleted patient = %v", err)
		}
	})
}

func TestAPatientWriteRollsBackWithItsLastStep(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		f := newFixture(t, dbURL)
		refused := errors.New("last step refused")
		var seen *models.Patient
		last := func(p *models.Patient) []syncer.LastStep {
			return []syncer.LastStep{func(ctx context.Context, tx *models.Tenant, _ []syncer.State) error {
				got, err := tx.Patient(ctx, p.ID)
				seen = got
				if err != nil {
					return err
				}
				return refused
			}}
		}
		_, _, err := f.svc.CreatePatient(f.ctx, f.org, records.Values{"first_name": "Ada", "last_name": "Lovelace"}, last)
		if !errors.Is(err, refused) || seen == nil || seen.LastName != "Lovelace" {
			t.Fatalf("create = %v, the last step saw %+v", err, seen)
		}
		if ps, err := f.svc.Patients(f.ctx, f.org, models.PatientFilter{}); err != nil || len(ps) != 0 {
			t.Fatalf("the refused write left %v (%v)", ps, err)
		}
	})
}

func TestAppointmentsThroughTheService(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		f := newFixture(t, dbURL)
		p, _, err := f.svc.CreatePatient(f.ctx, f.org, records.Values{"first_name": "Grace", "last_name": "Hopper"}, nil)
		if err != nil {
			t.Fatalf("patient: %v", err)
		}
		pid := itoa(p.ID)
		_, _, err = f.svc.CreateAppointment(f.ctx, f.org, records.Values{"start": "tomorrow", "status": "late"}, nil)
		bad := testsupport.Problems(t, err)
		if bad["patient_id"] != "is required" || bad["start"] == "" || bad["status"] == "" || bad["end"] != "give end or duration_minutes" {
			t.Fatalf("bad appointment: %v", bad)
		}
		if _, _, err := f.svc.CreateAppointment(f.ctx, f.other, records.Values{"patient_id": pid, "start": "2030-03-04T09:30:00-05:00",
			"duration_minutes": "30"}, nil); testsupport.Problems(t, err)["patient_id"] == "" {
			t.Fatalf("another organization's patient = %v", err)
		}
		a, _, err := f.svc.CreateAppointment(f.ctx, f.org, records.Values{"patient_id": pid, "start": "2030-03-04T09:30:00-05:00",
			"duration_minutes": "45", "notes": "cleaning"}, nil)
		if err != nil || a.Status != models.StatusScheduled || !a.End.Equal(time.Date(2030, 3, 4, 15, 15, 0, 0, time.UTC)) {
			t.Fatalf("book = %+v %v", a, err)
		}
		// Moving the start keeps the duration; the notes stay.
		a, _, err = f.svc.UpdateAppointment(f.ctx, f.org, a.ID, records.Values{"start": "2030-03-05T10:00:00Z"}, nil)
		if err != nil || a.DurationMinutes != 45 || !a.End.Equal(time.Date(2030, 3, 5, 10, 45, 0, 0, time.UTC)) || a.Notes != "cleaning" {
			t.Fatalf("move = %+v %v", a, err)
		}
		if _, _, err := f.svc.UpdateAppointment(f.ctx, f.org, a.ID, records.Values{"end": "2030-03-05T09:00:00Z"}, nil); testsupport.Problems(t, err)["end"] != "must be after start" {
			t.Fatalf("end before start = %v", err)
		}
		a, _, err = f.svc.CancelAppointment(f.ctx, f.org, a.ID, nil)
		if err != nil || a.Status != models.StatusCancelled {
			t.Fatalf("cancel = %+v %v", a, err)
		}
		as, err := f.svc.Appointments(f.ctx, f.org, models.AppointmentFilter{Status: models.StatusCancelled})
		if err != nil || len(as) != 1 || as[0].ID != a.ID {
			t.Fatalf("list = %v %v", as, err)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestAuditEntryCommitsWithItsChange: a record change and its audit entry
// are written in one transaction — the entry is there when the change is,
// and when the entry cannot be written the change is not saved either (the
// entry was written after the commit before, so a change could be saved
// with no trace in the audit log).
func TestAuditEntryCommitsWithItsChange(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		db := testsupport.OpenDB(t, dbURL)
		store := models.NewStore(db)
		ctx := context.Background()
		org, err := store.CreateOrganization(ctx, "audited", "Dental")
		if err != nil {
			t.Fatal(err)
		}
		audit := accounts.NewAudit(store, nil)
		svc := records.New(store, syncer.New(syncer.Config{Store: store, Registry: registry.New(store)}))
		svc.UseAudit(audit)
		actx := accounts.WithActor(ctx, accounts.Actor{Name: "Dr. Who", Door: "api"})
		p, _, err := svc.CreatePatient(actx, org.ID, records.Values{"first_name": "Ada", "last_name": "Lovelace"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		a, _, err := svc.CreateAppointment(actx, org.ID, records.Values{"patient_id": itoa(p.ID), "start": "2031-03-04T09:00", "duration_minutes": "30"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		entries, err := audit.Entries(ctx, org.ID, models.AuditFilter{})
		if err != nil || len(entries) != 2 {
			t.Fatalf("entries = %+v %v, want the patient's and the appointment's", entries, err)
		}
		if e := entries[0]; e.Action != string(accounts.ActionAppointmentCreated) || e.TargetID != itoa(a.ID) || e.Actor != "Dr. Who" || e.Door != "api" {
			t.Errorf("newest entry = %+v, want appointment_created of %d by Dr. Who through api", e, a.ID)
		}

		// The audit log cannot be written: the change is refused, not saved.
		if _, err := db.ExecContext(ctx, "ALTER TABLE audit_log RENAME TO audit_log_away"); err != nil {
			t.Fatal(err)
		}
		_, _, err = svc.CreatePatient(actx, org.ID, records.Values{"first_name": "Grace", "last_name": "Hopper"}, nil)
		if err == nil {
			t.Fatal("a patient was created while its audit entry could not be written")
		}
		_, _, err = svc.UpdateAppointment(actx, org.ID, a.ID, records.Values{"start": "2031-03-04T10:00"}, nil)
		if err == nil {
			t.Fatal("an appointment was moved while its audit entry could not be written")
		}
		if _, err := db.ExecContext(ctx, "ALTER TABLE audit_log_away RENAME TO audit_log"); err != nil {
			t.Fatal(err)
		}
		if ps, err := svc.Patients(ctx, org.ID, models.PatientFilter{}); err != nil || len(ps) != 1 {
			t.Fatalf("patients = %d (%v), want only Ada", len(ps), err)
		}
		if got, err := svc.Appointment(ctx, org.ID, a.ID); err != nil || !got.Start.Equal(a.Start) || got.Version != a.Version {
			t.Fatalf("appointment = %+v (%v), want it unmoved", got, err)
		}
	})
}
