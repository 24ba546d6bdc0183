package syncer

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"switchboard/apperr"
	"switchboard/integrations/executor"
	"switchboard/integrations/sandbox"
	"switchboard/models"
)

// syncedPatient creates a patient through m and delivers it.
func syncedPatient(t *testing.T, f *fixture, m *Manager) (*models.Patient, string) {
	t.Helper()
	p := newPatient(0)
	if _, err := m.CreatePatient(f.ctx, f.orgID, p); err != nil {
		t.Fatal(err)
	}
	for {
		ran, err := m.RunOne(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !ran {
			break
		}
	}
	ref, err := f.tenant().ExternalRef(f.ctx, f.integ, "patient", p.ID)
	if err != nil {
		t.Fatalf("patient not synced: %v", err)
	}
	return p, ref.ExternalID
}

func webhookBody(t *testing.T, c Change) []byte {
	t.Helper()
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestConflictResolution(t *testing.T) {
	future := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	past := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	cases := []struct {
		name, strategy, updatedAt string
		wantName                  string
		wantJob                   string // status of the local update job afterwards
	}{
		{"local_wins keeps the local change and pushes it", models.ConflictLocalWins, future, "Local", models.JobPending},
		{"external_wins takes the external change and drops the push", models.ConflictExternalWins, past, "External", models.JobDismissed},
		{"newest_wins takes a newer external change", models.ConflictNewestWins, future, "External", models.JobDismissed},
		{"newest_wins keeps a newer local change", models.ConflictNewestWins, past, "Local", models.JobPending},
		{"manual holds both in a conflict", models.ConflictManual, future, "Local", models.JobDismissed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			forEachBackend(t, func(t *testing.T, url string) {
				f := newFixture(t, url, withDirection(models.DirectionBidirectional, tc.strategy))
				m := f.manager()
				p, ext := syncedPatient(t, f, m)
				p.FirstName = "Local"
				if _, err := m.UpdatePatient(f.ctx, f.orgID, p); err != nil {
					t.Fatal(err)
				}
				body := webhookBody(t, Change{Entity: "patient", ExternalID: ext, UpdatedAt: tc.updatedAt,
					Data: map[string]any{"first_name": "External"}})
				if err := m.Webhook(f.ctx, "acme", "opendental", body, Sign(f.secret, body)); err != nil {
					t.Fatalf("Webhook: %v", err)
				}
				got, _ := f.tenant().Patient(f.ctx, p.ID)
				if got.FirstName != tc.wantName {
					t.Errorf("first name = %q, want %q", got.FirstName, tc.wantName)
				}
				js := f.jobs("patient", p.ID)
				var update *models.SyncJob
				var conflict *models.SyncJob
				for i := range js {
					switch {
					case js[i].Status == models.JobConflict:
						conflict = &js[i]
					case js[i].Operation == "update" && update == nil:
						update = &js[i]
					}
				}
				if update == nil || update.Status != tc.wantJob {
					t.Errorf("update job = %+v, want %s", update, tc.wantJob)
				}
				if tc.strategy != models.ConflictManual {
					if conflict != nil {
						t.Errorf("conflict job %+v, want none", conflict)
					}
					return
				}
				if conflict == nil {
					t.Fatalf("jobs = %+v, want a conflict job", js)
				}
				if n, _ := m.OpenErrors(f.ctx, f.orgID); n != 1 {
					t.Errorf("open errors = %d, want the conflict", n)
				}
				if err := m.Resolve(f.ctx, f.orgID, conflict.ID, "sideways"); apperr.Code(err) != apperr.CodeValidationFailed {
					t.Errorf("Resolve(sideways) = %v, want validation_failed", err)
				}
				if err := m.Resolve(f.ctx, f.orgID, conflict.ID, "external"); err != nil {
					t.Fatalf("Resolve(external): %v", err)
				}
				got, _ = f.tenant().Patient(f.ctx, p.ID)
				resolved, _ := f.tenant().SyncJob(f.ctx, conflict.ID)
				if got.FirstName != "External" || resolved.Status != models.JobSynced {
					t.Errorf("after keeping external: name %q, job %s; want External, synced", got.FirstName, resolved.Status)
				}
				if err := m.Resolve(f.ctx, f.orgID, conflict.ID, "local"); apperr.Code(err) != apperr.CodeConflict {
					t.Errorf("resolving twice = %v, want conflict", err)
				}
			})
		})
	}
}

func TestResolveKeepLocalPushesTheLocalVersion(t *testing.T) {
	forEachBackend(t, func(t *testing.T, url string) {
		f := newFixture(t, url, withDirection(models.DirectionBidirectional, models.ConflictManual))
		m := f.manager()
		p, ext := syncedPatient(t, f, m)
		p.FirstName = "Local"
		if _, err := m.UpdatePatient(f.ctx, f.orgID, p); err != nil {
			t.Fatal(err)
		}
		body := webhookBody(t, Change{Entity: "patient", ExternalID: ext, Data: map[string]any{"first_name": "External"}})
		if err := m.Webhook(f.ctx, "acme", "opendental", body, Sign(f.secret, body)); err != nil {
			t.Fatal(err)
		}
		open, _ := m.Jobs(f.ctx, f.orgID, JobFilter{Status: []string{models.JobConflict}})
		if len(open) != 1 {
			t.Fatalf("conflicts = %+v", open)
		}
		if err := m.Resolve(f.ctx, f.orgID, open[0].ID, "local"); err != nil {
			t.Fatal(err)
		}
		f.run(m)
		waitFor(t, 5*time.Second, "every job synced", f.allSettled)
		res, err := f.exec.Execute(f.ctx, executor.Request{OrgID: f.orgID, Provider: "opendental", Function: "GetPatient",
			Params: map[string]any{"PatNum": ext}})
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Data.(map[string]any)["first_name"]; got != "Local" {
			t.Errorf("upstream first name = %v, want Local", got)
		}
	})
}

func TestWebhook(t *testing.T) {
	forEachBackend(t, func(t *testing.T, url string) {
		f := newFixture(t, url, withDirection(models.DirectionFromExternal, models.ConflictNewestWins))
		m := f.manager()
		body := webhookBody(t, Change{Entity: "patient", ExternalID: "9001",
			Data: map[string]any{"first_name": "Webb", "last_name": "Hook"}})
		cases := []struct {
			name, sig, want string
		}{
			{"a missing signature is refused", "", apperr.CodeUnauthorized},
			{"a wrong signature is refused", Sign("other-secret", body), apperr.CodeUnauthorized},
			{"a malformed signature is refused", "t=1,v1=zz", apperr.CodeUnauthorized},
			{"a good signature is accepted", Sign(f.secret, body), ""},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				err := m.Webhook(f.ctx, "acme", "opendental", body, tc.sig)
				if got := apperr.Code(err); (tc.want == "" && err != nil) || got != tc.want && tc.want != "" {
					t.Errorf("Webhook = %v, want code %q", err, tc.want)
				}
			})
		}
		ref, err := f.tenant().ExternalRefByExternalID(f.ctx, f.integ, "patient", "9001")
		if err != nil {
			t.Fatalf("no local patient for 9001: %v", err)
		}
		ps, _ := f.tenant().Patients(f.ctx, models.PatientFilter{Search: "hook"})
		if len(ps) != 1 || ps[0].ID != ref.LocalID {
			t.Errorf("patients named Hook = %+v, want exactly the one of 9001 (a repeat does not duplicate it)", ps)
		}
		if jobs := f.allJobs(); len(jobs) != 0 {
			t.Errorf("an inbound change queued jobs: %+v", jobs)
		}

		t.Run("a deletion deletes the local patient", func(t *testing.T) {
			b := webhookBody(t, Change{Entity: "patient", ExternalID: "9001", Deleted: true})
			if err := m.Webhook(f.ctx, "acme", "opendental", b, Sign(f.secret, b)); err != nil {
				t.Fatal(err)
			}
			if _, err := f.tenant().Patient(f.ctx, ref.LocalID); !apperr.IsNotFound(err) {
				t.Errorf("patient after deletion: %v, want not found", err)
			}
		})

		t.Run("a dual_write configuration takes no webhooks", func(t *testing.T) {
			cfg := *f.cfg
			cfg.Direction = models.DirectionDualWrite
			if err := f.tenant().SaveSyncConfig(f.ctx, &cfg); err != nil {
				t.Fatal(err)
			}
			err := m.Webhook(f.ctx, "acme", "opendental", body, Sign(f.secret, body))
			if apperr.Code(err) != apperr.CodeConflict {
				t.Errorf("Webhook = %v, want conflict", err)
			}
		})

		t.Run("an unknown provider or organization is refused like a bad signature", func(t *testing.T) {
			for _, to := range [][2]string{{"acme", "nope"}, {"nope", "opendental"}} {
				err := m.Webhook(f.ctx, to[0], to[1], body, Sign(f.secret, body))
				if apperr.Code(err) != apperr.CodeUnauthorized {
					t.Errorf("Webhook to %s/%s = %v, want unauthorized", to[0], to[1], err)
				}
			}
		})
	})
}

func TestExternalOnly(t *testing.T) {
	forEachBackend(t, func(t *testing.T, url string) {
		f := newFixture(t, url, withDirection(models.DirectionExternalOnly, models.ConflictNewestWins))
		m := f.manager()

		p := newPatient(0)
		states, err := m.CreatePatient(f.ctx, f.orgID, p)
		if err != nil {
			t.Fatalf("CreatePatient: %v", err)
		}
		if len(states) != 1 || states[0].Status != models.JobSynced || states[0].ExternalID == "" || states[0].Mode != models.DirectionExternalOnly {
			t.Errorf("states = %+v, want synced external_only with an external id", states)
		}
		if read, err := m.States(f.ctx, f.orgID, "patient", p.ID); err != nil || !slices.Equal(read, states) {
			t.Errorf("create answered %+v, a read gives %+v (%v)", states, read, err)
		}
		a := newAppointment(p.ID, time.Date(2030, 2, 3, 9, 0, 0, 0, time.UTC))
		if _, err := m.CreateAppointment(f.ctx, f.orgID, a); err != nil {
			t.Fatalf("CreateAppointment: %v", err)
		}
		if c := f.sb.Created(); c.OpenDentalPatients != 1 || c.OpenDentalAppointments != 1 {
			t.Errorf("created = %+v, want one of each, written synchronously", c)
		}
		if js := f.allJobs(); len(js) != 0 {
			t.Errorf("external_only queued jobs: %+v", js)
		}

		t.Run("a failure fails the write and keeps no local row", func(t *testing.T) {
			f.sb.SetFaults(sandbox.Faults{Outage: true})
			defer f.sb.SetFaults(sandbox.Faults{})
			before, _ := f.tenant().Patients(f.ctx, models.PatientFilter{Limit: 200})
			q := newPatient(1)
			_, err := m.CreatePatient(f.ctx, f.orgID, q)
			if ae, ok := apperr.As(err); !ok || ae.Code != apperr.CodeUpstreamError {
				t.Fatalf("CreatePatient = %v, want the executor's upstream_error", err)
			}
			after, _ := f.tenant().Patients(f.ctx, models.PatientFilter{Limit: 200})
			if len(after) != len(before) {
				t.Errorf("patients = %d, want %d (nothing kept)", len(after), len(before))
			}
			a.Notes = "moved"
			if _, err := m.UpdateAppointment(f.ctx, f.orgID, a); err == nil {
				t.Error("UpdateAppointment succeeded during the outage")
			}
			got, _ := f.tenant().Appointment(f.ctx, a.ID)
			if got.Notes != "cleaning" {
				t.Errorf("notes = %q, want the old value kept", got.Notes)
			}
		})
	})
}

func TestPollOnce(t *testing.T) {
	forEachBackend(t, func(t *testing.T, url string) {
		f := newFixture(t, url, withDirection(models.DirectionFromExternal, models.ConflictNewestWins))
		m := f.manager()
		if err := m.PollOnce(f.ctx); err != nil {
			t.Fatalf("first poll: %v", err)
		}
		cfg, _ := f.tenant().SyncConfigFor(f.ctx, f.integ)
		var bm map[string]string
		if err := json.Unmarshal([]byte(cfg.Bookmarks), &bm); err != nil || bm["patient"] == "" {
			t.Fatalf("bookmarks = %q (%v), want one per entity", cfg.Bookmarks, err)
		}
		seeded, _ := f.tenant().Patients(f.ctx, models.PatientFilter{Limit: 200})
		if len(seeded) == 0 {
			t.Fatalf("the first poll brought no patient in")
		}
		appts, _ := f.tenant().Appointments(f.ctx, models.AppointmentFilter{Limit: 200})
		if len(appts) == 0 || appts[0].PatientID == 0 || appts[0].Start.IsZero() || appts[0].DurationMinutes <= 0 {
			t.Fatalf("appointments brought in = %+v, want the upstream's with their local patients", appts)
		}
		time.Sleep(1100 * time.Millisecond) // the sandbox stamps to the second
		res, err := f.exec.Execute(f.ctx, executor.Request{OrgID: f.orgID, Provider: "opendental", Function: "CreatePatient",
			Params: map[string]any{"first_name": "Polly", "last_name": "Upstream"}})
		if err != nil {
			t.Fatal(err)
		}
		m2 := f.manager()
		f.pollDueNow(t) // the interval of the first poll has not passed
		if err := m2.PollOnce(f.ctx); err != nil {
			t.Fatalf("second poll: %v", err)
		}
		ref, err := f.tenant().ExternalRefByExternalID(f.ctx, f.integ, "patient", res.ID)
		if err != nil {
			t.Fatalf("patient %s not brought in: %v", res.ID, err)
		}
		p, _ := f.tenant().Patient(f.ctx, ref.LocalID)
		if p.FirstName != "Polly" {
			t.Errorf("patient = %+v", p)
		}
		after, _ := f.tenant().Patients(f.ctx, models.PatientFilter{Limit: 200})
		if len(after) != len(seeded)+1 {
			t.Errorf("patients = %d, want %d (the bookmark limits the poll to changes)", len(after), len(seeded)+1)
		}
		// Within the interval a second poll does not call upstream again.
		calls := f.upstreamListCalls(t)
		if calls == 0 {
			t.Fatalf("no list call counted after two polls")
		}
		if err := m2.PollOnce(f.ctx); err != nil {
			t.Fatal(err)
		}
		if n := f.upstreamListCalls(t); n != calls {
			t.Errorf("list calls = %d after a poll within the interval, want %d", n, calls)
		}
	})
}
