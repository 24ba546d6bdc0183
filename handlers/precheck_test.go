package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"switchboard/testsupport"
)

// TestCheckBeforeAccepting: with dual-write to Open Dental on (the demo's
// default), a record Open Dental would refuse is refused at once — 422
// naming the record's field, the message prefixed by the integration —
// and nothing is saved: no row, no sync job. What Open Dental takes is
// booked and synced.
func TestCheckBeforeAccepting(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, url string) {
		srv, _ := testsupport.StartDemoOn(t, url)
		org := srv.DemoOrg(t)
		c := srv.KeyClient(t, org.ID, "agent")
		counts := func() (n [2]int) {
			t.Helper()
			for i, q := range []string{"SELECT count(*) FROM appointments", "SELECT count(*) FROM sync_jobs WHERE entity = 'appointment'"} {
				if err := srv.App.DB.NewRaw(q).Scan(t.Context(), &n[i]); err != nil {
					t.Fatal(err)
				}
			}
			return n
		}
		before := counts()
		base := map[string]any{"patient_id": 1, "start": "2031-03-04T09:00:00-06:00", "duration_minutes": 30, "provider_ref": "1"}
		with := func(k string, v any) map[string]any {
			m := map[string]any{}
			for kk, vv := range base {
				m[kk] = vv
			}
			if v != nil {
				m[k] = v
			}
			return m
		}
		for _, tc := range []struct {
			name, field, message string
			body                 map[string]any
		}{
			{"OperatoryNotListed", "operatory_ref", "Open Dental has no operatory \"chair-one\"", with("operatory_ref", "chair-one")},
			{"ProviderNotListed", "provider_ref", "Open Dental has no provider \"99\"", with("provider_ref", "99")},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := c.SendJSON("POST", "/api/appointments", tc.body)
				var p struct {
					Code   string `json:"code"`
					Errors []struct{ Field, Message string }
				}
				r.JSON(t, &p)
				if r.StatusCode != http.StatusUnprocessableEntity || p.Code != "validation_failed" || len(p.Errors) != 1 ||
					p.Errors[0].Field != tc.field || !strings.HasPrefix(p.Errors[0].Message, tc.message) {
					t.Fatalf("= %d %s, want 422 %s %q", r.StatusCode, r.Body, tc.field, tc.message)
				}
			})
		}
		if after := counts(); after != before {
			t.Fatalf("refused bookings left rows or jobs: before %v, after %v", before, after)
		}
		r := c.SendJSON("POST", "/api/appointments", with("operatory_ref", "1"))
		if r.StatusCode != http.StatusCreated {
			t.Fatalf("a booking Open Dental takes = %d %s", r.StatusCode, r.Body)
		}
		// A move that Open Dental would refuse is refused too, and the
		// appointment keeps its values.
		var a struct {
			ID int64 `json:"id"`
		}
		r.JSON(t, &a)
		r = c.SendJSON("PATCH", "/api/appointments/"+itoa(a.ID), map[string]any{"operatory_ref": "chair-one"})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"field":"operatory_ref"`) || !strings.Contains(r.Body, "Open Dental has no operatory") {
			t.Fatalf("PATCH to a value Open Dental refuses = %d %s", r.StatusCode, r.Body)
		}
		if got := c.Get("/api/appointments/" + itoa(a.ID)); !strings.Contains(got.Body, `"operatory_ref":"1"`) {
			t.Fatalf("the refused PATCH changed the appointment: %s", got.Body)
		}

		// With Cloud9 pushing too, each target's refusals are listed, each
		// prefixed by its integration.
		admin := srv.KeyClient(t, org.ID, "admin")
		if r := admin.SendJSON("POST", "/api/admin/integration-settings", map[string]any{"integration": "cloud9", "enabled": true,
			"direction": "dual_write", "entities": []string{"appointment", "patient"}}); r.StatusCode != http.StatusCreated {
			t.Fatalf("Cloud9 sync settings = %d %s", r.StatusCode, r.Body)
		}
		before = counts()
		r = c.SendJSON("POST", "/api/appointments", with("start", "2031-03-05T09:00:00-06:00"))
		for _, want := range []string{`{"field":"location_ref","message":"cloud9: is required"}`, `{"field":"appointment_type","message":"cloud9: is required"}`} {
			if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, want) {
				t.Fatalf("booking refused by both = %d %s, want %s", r.StatusCode, r.Body, want)
			}
		}
		if after := counts(); after != before {
			t.Fatalf("refused booking left rows or jobs: before %v, after %v", before, after)
		}
	})
}
