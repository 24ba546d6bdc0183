package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"switchboard/models"
	"switchboard/testsupport"
)

// lateAppointmentPractice is a Chicago practice with one appointment at
// 23:30 local on 14 January 2027 (05:30 UTC on the 15th); it returns the
// API client, a signed-in owner and the appointment's id.
func lateAppointmentPractice(t *testing.T, dbURL string) (*testsupport.Client, *testsupport.Client, int64) {
	t.Helper()
	srv, c, _ := adminAPI(t, dbURL)
	if r := c.Do("PUT", "/api/admin/organization", strings.NewReader(`{"time_zone":"America/Chicago"}`),
		http.Header{"Content-Type": {"application/json"}}); r.StatusCode != http.StatusOK {
		t.Fatalf("PUT organization = %d %s", r.StatusCode, r.Body)
	}
	r := c.SendJSON("POST", "/api/patients", map[string]any{"first_name": "Nora", "last_name": "Night"})
	var p recordOut
	r.JSON(t, &p)
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("POST /api/patients = %d %s", r.StatusCode, r.Body)
	}
	id := book(t, c, p.ID, "2027-01-14T23:30", "7", "1")
	owner := srv.NewClient(t)
	owner.Login("owner@acme.test", testsupport.Password)
	return c, owner, id
}

func listedIDs(t *testing.T, c *testsupport.Client, q url.Values) []int64 {
	t.Helper()
	r := c.Get("/api/appointments?" + q.Encode())
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/appointments?%s = %d %s", q.Encode(), r.StatusCode, r.Body)
	}
	var out struct {
		Items []recordOut `json:"items"`
	}
	r.JSON(t, &out)
	var ids []int64
	for _, it := range out.Items {
		ids = append(ids, it.ID)
	}
	return ids
}

// TestAppointmentListFiltersArePracticeTime: GET /api/appointments reads
// from and to as practice time: a date is the whole practice-local day (to
// included), a date-time without offset is practice time, one with an
// offset or Z is that instant. The 23:30 appointment is on the 14th in
// Chicago, not on the 15th (its UTC day).
func TestAppointmentListFiltersArePracticeTime(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		c, _, id := lateAppointmentPractice(t, dbURL)
		for _, tc := range []struct {
			from, to string
			found    bool
		}{
			{"2027-01-14", "2027-01-14", true},
			{"2027-01-15", "2027-01-15", false},
			{"2027-01-14", "", true},
			{"", "2027-01-14", true},
			{"2027-01-15", "", false},
			{"", "2027-01-13", false},
			{"2027-01-14T23:00", "2027-01-14T23:45", true},
			{"2027-01-14T23:31", "", false},
			{"2027-01-15T05:00:00Z", "2027-01-15T06:00:00Z", true},
			{"2027-01-14T23:45:00-06:00", "", false},
		} {
			q := url.Values{}
			if tc.from != "" {
				q.Set("from", tc.from)
			}
			if tc.to != "" {
				q.Set("to", tc.to)
			}
			ids := listedIDs(t, c, q)
			if got := len(ids) == 1 && ids[0] == id; got != tc.found {
				t.Errorf("from=%q to=%q: listed %v, want found=%v", tc.from, tc.to, ids, tc.found)
			}
		}
		for _, tc := range []struct{ query, field string }{
			{"from=yesterday", "from"},
			{"to=2027-02-30", "to"},
			{"from=2027-01-14T25:00", "from"},
			{"from=2027-01-15&to=2027-01-14", "to"},
			{"from=2027-01-14T12:00&to=2027-01-14T11:00", "to"},
		} {
			r := c.Get("/api/appointments?" + tc.query)
			if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"field":"`+tc.field+`"`) {
				t.Errorf("GET /api/appointments?%s = %d %s, want 422 naming %s", tc.query, r.StatusCode, r.Body, tc.field)
			}
		}
	})
}

// TestAppointmentsPageFiltersArePracticeDays: the /appointments page's
// from/to dates are practice-local days.
func TestAppointmentsPageFiltersArePracticeDays(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		_, owner, id := lateAppointmentPractice(t, dbURL)
		row := fmt.Sprintf(`data-testid="appointment-%d"`, id)
		if body := owner.Get("/appointments?from=2027-01-14&to=2027-01-14").Body; !strings.Contains(body, row) {
			t.Errorf("the 14th (practice time) does not list the 23:30 appointment:\n%.1500s", body)
		}
		if body := owner.Get("/appointments?from=2027-01-15&to=2027-01-15").Body; strings.Contains(body, row) {
			t.Error("the 15th lists the appointment of 23:30 on the 14th (its UTC day)")
		}
	})
}

// TestSyncErrorFiltersArePracticeDays: the sync error log's from/to dates
// are practice-local days (to included): a job last changed at 05:30 UTC
// on the 15th is on the 14th in Chicago.
func TestSyncErrorFiltersArePracticeDays(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv, c, orgID := adminAPI(t, dbURL)
		if r := c.Do("PUT", "/api/admin/organization", strings.NewReader(`{"time_zone":"America/Chicago"}`),
			http.Header{"Content-Type": {"application/json"}}); r.StatusCode != http.StatusOK {
			t.Fatalf("PUT organization = %d %s", r.StatusCode, r.Body)
		}
		ctx := t.Context()
		tn := srv.App.Store.Tenant(orgID)
		in := &models.IntegrationRows{Integration: models.Integration{Slug: "od", Name: "OD", AuthType: "none",
			RequestFormat: "json", Settings: "{}", Enabled: true}}
		if err := tn.SaveIntegrationRows(ctx, in); err != nil {
			t.Fatal(err)
		}
		j := &models.SyncJob{IntegrationID: in.Integration.ID, Entity: "patient", LocalID: 1, Operation: models.OpCreate,
			Status: models.JobFailed, LastError: "HTTP 422"}
		if err := tn.InsertSyncJob(ctx, j); err != nil {
			t.Fatal(err)
		}
		late := time.Date(2027, 1, 15, 5, 30, 0, 0, time.UTC)
		if _, err := srv.App.DB.NewUpdate().Table("sync_jobs").Set("updated_at = ?", late).Where("id = ?", j.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		listed := func(day string) bool {
			r := c.Get("/api/admin/sync-errors?status=failed&from=" + day + "&to=" + day)
			if r.StatusCode != http.StatusOK {
				t.Fatalf("sync errors of %s = %d %s", day, r.StatusCode, r.Body)
			}
			return strings.Contains(r.Body, fmt.Sprintf(`"id":%d,`, j.ID))
		}
		if !listed("2027-01-14") || listed("2027-01-15") {
			t.Errorf("the job changed at 23:30 Chicago on the 14th: listed on the 14th %v, on the 15th %v; want only the 14th",
				listed("2027-01-14"), listed("2027-01-15"))
		}
	})
}
