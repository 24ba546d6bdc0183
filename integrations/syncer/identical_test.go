package syncer

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"switchboard/integrations/executor"
	"switchboard/models"
)

// conflicts returns the record's conflict jobs.
func (f *fixture) conflicts(entity string, localID int64) []models.SyncJob {
	f.t.Helper()
	js, err := f.tenant().SyncJobs(f.ctx, models.SyncJobFilter{Entity: entity, LocalID: localID, Status: []string{models.JobConflict}})
	if err != nil {
		f.t.Fatalf("jobs: %v", err)
	}
	return js
}

// upstreamFirstName sets the patient's first name in the sandbox, as a
// person typing it in Open Dental would.
func (f *fixture) upstreamFirstName(t *testing.T, ext, name string) {
	t.Helper()
	if _, err := f.exec.Execute(f.ctx, executor.Request{OrgID: f.orgID, Provider: "opendental", Function: "UpdatePatient",
		Params: map[string]any{"PatNum": ext, "FName": name}}); err != nil {
		t.Fatalf("upstream UpdatePatient: %v", err)
	}
}

// poll runs one poll now (the interval of the previous one does not
// hold it back).
func (f *fixture) poll(t *testing.T) {
	t.Helper()
	f.pollDueNow(t)
	if err := f.manager().PollOnce(f.ctx); err != nil {
		t.Fatalf("poll: %v", err)
	}
}

// An inbound change whose data equals the local record raises no conflict,
// even though the record changed locally since it was last in step: by
// webhook and by poll.
func TestIdenticalDataRaisesNoConflict(t *testing.T) {
	t.Run("webhook", func(t *testing.T) {
		forEachBackend(t, func(t *testing.T, url string) {
			f := newFixture(t, url, withDirection(models.DirectionBidirectional, models.ConflictManual))
			m := f.manager()
			p, ext := syncedPatient(t, f, m)
			p.FirstName = "Same"
			if _, err := m.UpdatePatient(f.ctx, f.orgID, p); err != nil {
				t.Fatal(err)
			}
			body := webhookBody(t, Change{Entity: "patient", ExternalID: ext,
				Data: map[string]any{"first_name": "Same", "last_name": p.LastName, "phone": p.Phone}})
			if err := m.Webhook(f.ctx, "acme", "opendental", body, Sign(f.secret, body)); err != nil {
				t.Fatal(err)
			}
			if c := f.conflicts("patient", p.ID); len(c) != 0 {
				t.Errorf("identical webhook raised conflicts: %+v", c)
			}
		})
	})
	t.Run("poll", func(t *testing.T) {
		forEachBackend(t, func(t *testing.T, url string) {
			f := newFixture(t, url, withDirection(models.DirectionBidirectional, models.ConflictManual))
			m := f.manager()
			p, ext := syncedPatient(t, f, m)
			f.poll(t) // bring the sandbox's own records in; the bookmark is set
			p.FirstName = "Same"
			if _, err := m.UpdatePatient(f.ctx, f.orgID, p); err != nil {
				t.Fatal(err)
			}
			f.upstreamFirstName(t, ext, "Same")
			f.poll(t)
			if c := f.conflicts("patient", p.ID); len(c) != 0 {
				t.Errorf("identical poll raised conflicts: %+v", c)
			}
		})
	})
}

// A poll during an open conflict that brings the same external data again
// raises no second conflict: one conflict job, not two.
func TestPollDuringAnOpenConflictRaisesNoSecond(t *testing.T) {
	forEachBackend(t, func(t *testing.T, url string) {
		f := newFixture(t, url, withDirection(models.DirectionBidirectional, models.ConflictManual))
		m := f.manager()
		p, ext := syncedPatient(t, f, m)
		f.poll(t)
		p.FirstName = "Local"
		if _, err := m.UpdatePatient(f.ctx, f.orgID, p); err != nil {
			t.Fatal(err)
		}
		f.upstreamFirstName(t, ext, "External")
		f.poll(t)
		first := f.conflicts("patient", p.ID)
		if len(first) != 1 {
			t.Fatalf("conflicts after the first poll = %+v, want one", first)
		}
		// The sandbox stamps its answers to the second: the next polls'
		// answers carry a later serverDateTime than the first one's.
		time.Sleep(1100 * time.Millisecond)
		for range 3 {
			f.poll(t)
		}
		if c := f.conflicts("patient", p.ID); len(c) != 1 || c[0].ID != first[0].ID {
			t.Errorf("conflicts after polling again = %+v, want only job %d", c, first[0].ID)
		}
		got, _ := f.tenant().Patient(f.ctx, p.ID)
		if got.FirstName != "Local" {
			t.Errorf("first name = %q, want the local one held until a person chooses", got.FirstName)
		}
	})
}

// A push already claimed by a worker when a manual conflict is raised
// (the dismissal skips leased jobs) does not go out while the conflict is
// open: run afterwards, it is dismissed and the external system keeps its
// version until a person chooses.
func TestAPushClaimedWhenAConflictIsRaisedIsHeldBack(t *testing.T) {
	forEachBackend(t, func(t *testing.T, url string) {
		f := newFixture(t, url, withDirection(models.DirectionBidirectional, models.ConflictManual))
		m := f.manager()
		p, ext := syncedPatient(t, f, m)
		p.FirstName = "Local"
		if _, err := m.UpdatePatient(f.ctx, f.orgID, p); err != nil {
			t.Fatal(err)
		}
		claimed, err := m.claim(f.ctx)
		if err != nil || claimed == nil {
			t.Fatalf("claim = %+v, %v", claimed, err)
		}
		body := webhookBody(t, Change{Entity: "patient", ExternalID: ext, Data: map[string]any{"first_name": "External"}})
		if err := m.Webhook(f.ctx, "acme", "opendental", body, Sign(f.secret, body)); err != nil {
			t.Fatal(err)
		}
		if c := f.conflicts("patient", p.ID); len(c) != 1 {
			t.Fatalf("conflicts = %+v, want one", c)
		}
		if _, _, err := m.run(f.ctx, claimed, false); err != nil {
			t.Fatalf("run the claimed push: %v", err)
		}
		for _, up := range f.sb.OpenDentalPatients() {
			if strconv.FormatInt(up.PatNum, 10) == ext && up.FName == "Local" {
				t.Errorf("the push went out while the conflict was open")
			}
		}
		if j, _ := f.tenant().SyncJob(f.ctx, claimed.ID); j.Status != models.JobDismissed {
			t.Errorf("claimed push = %s (%s), want dismissed", j.Status, j.LastError)
		}
		if c := f.conflicts("patient", p.ID); len(c) != 1 {
			t.Errorf("conflicts after the push ran = %+v, want the one still open", c)
		}
	})
}

// pollDueNow makes every configuration's next poll due now (the due time
// is kept on the configuration, across managers and processes).
func (f *fixture) pollDueNow(t *testing.T) {
	t.Helper()
	if _, err := f.store.DB().NewRaw("UPDATE integration_sync_configs SET next_poll_at = NULL").Exec(f.ctx); err != nil {
		t.Fatal(err)
	}
}

// upstreamListCalls counts the requests that reached the sandbox's
// patient and appointment lists (GET without an id).
func (f *fixture) upstreamListCalls(t *testing.T) int {
	t.Helper()
	n := 0
	for k, v := range f.sb.Stats().Requests {
		if strings.HasPrefix(k, "opendental GET") && !strings.Contains(k, "{") {
			n += v
		}
	}
	return n
}
