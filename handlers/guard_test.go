package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchboard/testsupport"
)

// TestGuardRails: the records service refuses a start in the past or
// outside the opening hours (naming start) unless allow_outside_hours is
// true; a booking without operatory, which Open Dental needs, is given a
// free one and says so; when the practice system does not answer its
// lists, the references are accepted and the answer warns. Nothing
// refused is saved or queued.
func TestGuardRails(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv, _ := testsupport.StartDemoOn(t, dbURL)
		org := srv.DemoOrg(t)
		c := srv.KeyClient(t, org.ID, "agent")
		count := func() (n int) {
			if err := srv.App.DB.NewRaw("SELECT count(*) FROM appointments").Scan(t.Context(), &n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		book := func(start string, extra map[string]any) *testsupport.Response {
			body := map[string]any{"patient_id": 1, "start": start, "duration_minutes": 30, "provider_ref": "1", "operatory_ref": "2"}
			for k, v := range extra {
				body[k] = v
			}
			return c.SendJSON("POST", "/api/appointments", body)
		}
		// Open Dental down (before any list is cached): its lists cannot be
		// read; the references are accepted and the answer says they were
		// not checked.
		staff, _ := loginDemoStaff(t, srv)
		switchOutage(t, staff, true)
		r := book("2031-06-05T09:00", map[string]any{"provider_ref": "3"})
		switchOutage(t, staff, false)
		if r.StatusCode != http.StatusCreated || !strings.Contains(r.Body, `"warnings":["provider_ref \"3\" was not checked`) {
			t.Fatalf("booking while Open Dental is down = %d %s", r.StatusCode, r.Body)
		}
		before := count()
		for name, start := range map[string]string{"past": "2026-12-01T09:00", "03:00": "2031-06-04T03:00", "closed Sunday": "2031-06-01T10:00",
			"over lunch": "2031-06-04T11:45"} {
			r := book(start, nil)
			if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `"field":"start"`) || !strings.Contains(r.Body, "allow_outside_hours") {
				t.Errorf("%s (%s) = %d %s, want 422 naming start", name, start, r.StatusCode, r.Body)
			}
		}
		if n := count(); n != before {
			t.Fatalf("refused bookings were saved: %d → %d", before, n)
		}
		if r := book("2031-06-04T03:00", map[string]any{"allow_outside_hours": true}); r.StatusCode != http.StatusCreated {
			t.Fatalf("03:00 with allow_outside_hours = %d %s", r.StatusCode, r.Body)
		}

		// No operatory: Open Dental needs one; a free one of its list is chosen.
		r = book("2031-06-04T09:00", map[string]any{"operatory_ref": nil})
		if r.StatusCode != http.StatusCreated || !strings.Contains(r.Body, `"operatory_ref":"1"`) || !strings.Contains(r.Body, `"warnings":["Open Dental needs an operatory: Operatory 1 (1)`) {
			t.Fatalf("booking without operatory = %d %s", r.StatusCode, r.Body)
		}
		// The booking form: the same refusal on the start field, and the
		// staff checkbox that books it anyway.
		tok := staff.CSRF("/appointments")
		form := url.Values{"_csrf": {tok}, "patient_id": {"1"}, "start": {"2031-06-01T10:00"}, "duration_minutes": {"30"},
			"provider_ref": {"1"}, "operatory_ref": {"3"}}
		if r := staff.PostForm("/appointments", form); r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `data-testid="error-start"`) ||
			!strings.Contains(r.Body, "outside the opening hours") || !strings.Contains(r.Body, `data-testid="allow-outside-hours"`) {
			t.Fatalf("the form on a closed Sunday = %d %.2000s", r.StatusCode, r.Body)
		}
		form.Set("allow_outside_hours", "true")
		if r := staff.PostForm("/appointments", form); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("the form on a closed Sunday, allowed = %d %.2000s", r.StatusCode, r.Body)
		}

		// Operatory 1 is now taken then: the next free one is chosen.
		r = book("2031-06-04T09:00", map[string]any{"operatory_ref": nil, "provider_ref": "2"})
		if r.StatusCode != http.StatusCreated || !strings.Contains(r.Body, `"operatory_ref":"2"`) {
			t.Fatalf("second booking without operatory = %d %s", r.StatusCode, r.Body)
		}

	})
}
