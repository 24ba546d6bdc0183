package handlers_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"switchboard/testsupport"
)

// slotHref is the link of a slot button on the availability page, its
// query's & escaped as templ writes attributes.
func slotHref(body, start string) string {
	m := regexp.MustCompile(`href="([^"]*)"[^>]*data-testid="slot-` + regexp.QuoteMeta(start) + `"`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return strings.ReplaceAll(m[1], "&amp;", "&")
}

// inputValue is the value of the booking form's field name: its input's
// value, or the option chosen in its picker.
func inputValue(body, name string) string {
	if m := regexp.MustCompile(`<input[^>]*name="` + name + `"[^>]*value="([^"]*)"`).FindStringSubmatch(body); m != nil {
		return m[1]
	}
	sel := regexp.MustCompile(`(?s)<select[^>]*name="` + name + `"[^>]*>(.*?)</select>`).FindStringSubmatch(body)
	if sel == nil {
		return "(no input " + name + ")"
	}
	if m := regexp.MustCompile(`<option value="([^"]*)" selected`).FindStringSubmatch(sel[1]); m != nil {
		return m[1]
	}
	return "(nothing chosen in " + name + ")"
}

// TestAvailabilityWeekPage: the demo practice (Chicago, weekdays 08:00–12:00
// and 13:00–17:00, Open Dental's schedule) shows provider 1's week of
// 2 June 2031 as a grid of practice-time starts every 30 minutes, without
// the half hour an appointment holds and without the lunch break, the
// weekend closed; each start links to the booking form with the slot
// filled in, and the form takes it; the week's neighbours are linked; the
// provider is a picker of Open Dental's providers; the nav links the page.
func TestAvailabilityWeekPage(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv, _ := testsupport.StartDemoOn(t, dbURL)
		org := srv.DemoOrg(t)
		agent := srv.KeyClient(t, org.ID, "agent")
		if r := agent.SendJSON("POST", "/api/appointments", map[string]any{"patient_id": 1, "start": "2031-06-03T09:00",
			"duration_minutes": 30, "provider_ref": "1", "operatory_ref": "1"}); r.StatusCode != http.StatusCreated {
			t.Fatalf("book = %d %s", r.StatusCode, r.Body)
		}
		staff := demoStaff(t, srv)

		r := staff.Get("/availability?provider_ref=1&operatory_ref=1&week=2031-06-04&duration_minutes=30")
		if r.StatusCode != http.StatusOK {
			t.Fatalf("GET /availability = %d %.2000s", r.StatusCode, r.Body)
		}
		body := r.Body
		if !strings.Contains(body, `data-testid="week-title">Week of Mon 2 Jun 2031<`) {
			t.Errorf("the week does not start on Monday 2 June:\n%.3000s", body)
		}
		for _, start := range []string{"2031-06-02T08:00", "2031-06-02T11:30", "2031-06-02T13:00", "2031-06-02T16:30",
			"2031-06-03T08:30", "2031-06-03T09:30", "2031-06-06T16:30"} {
			if slotHref(body, start) == "" {
				t.Errorf("no free slot at %s", start)
			}
		}
		for _, start := range []string{"2031-06-03T09:00", "2031-06-02T12:00", "2031-06-02T12:30", "2031-06-02T17:00", "2031-06-02T07:30"} {
			if slotHref(body, start) != "" {
				t.Errorf("a slot at %s, which is booked or outside opening hours", start)
			}
		}
		if !strings.Contains(body, `data-testid="slot-2031-06-03T09:30">09:30<`) {
			t.Error("the slot button does not say its practice time 09:30")
		}
		for _, day := range []string{"2031-06-07", "2031-06-08"} {
			i := strings.Index(body, `data-testid="day-`+day+`"`)
			if i < 0 || !strings.Contains(body[i:min(len(body), i+400)], `data-testid="day-closed">closed<`) {
				t.Errorf("%s is not shown closed", day)
			}
		}
		href := slotHref(body, "2031-06-03T09:30")
		if want := "/appointments?duration_minutes=30&operatory_ref=1&provider_ref=1&start=2031-06-03T09%3A30#book"; href != want {
			t.Fatalf("slot link = %q, want %q", href, want)
		}
		for testid, week := range map[string]string{"prev-week": "2031-05-26", "next-week": "2031-06-09"} {
			if !regexp.MustCompile(`href="[^"]*week=` + week + `[^"]*" data-testid="` + testid + `"`).MatchString(body) {
				t.Errorf("%s does not link the week of %s", testid, week)
			}
		}
		if !strings.Contains(body, `<select id="f-provider_ref" name="provider_ref"`) || !strings.Contains(body, `<option value="1" selected>`) {
			t.Error("the provider is not a picker of Open Dental's providers with provider 1 chosen")
		}
		if !regexp.MustCompile(`href="/availability"[^>]*>\s*<span>Availability</span>`).MatchString(body) {
			t.Error("the nav does not link the availability page")
		}

		form := staff.Get(strings.TrimSuffix(href, "#book"))
		if form.StatusCode != http.StatusOK || !strings.Contains(form.Body, `id="book"`) {
			t.Fatalf("booking form = %d, or it has no #book anchor", form.StatusCode)
		}
		for name, want := range map[string]string{"start": "2031-06-03T09:30", "duration_minutes": "30", "provider_ref": "1", "operatory_ref": "1"} {
			if got := inputValue(form.Body, name); got != want {
				t.Errorf("booking form %s = %q, want %q", name, got, want)
			}
		}
		if got := inputValue(staff.Get("/appointments").Body, "duration_minutes"); got != "30" {
			t.Errorf("the plain booking form's minutes = %q, want 30", got)
		}
	})
}

// TestAvailabilityWeekPageErrors: bad parameters show their field errors
// on the page (422, not a 500); a practice without a practice system asks
// for the provider in a text box, and its open days without a free slot
// say so.
func TestAvailabilityWeekPageErrors(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		_, owner, _ := lateAppointmentPractice(t, dbURL)
		for _, tc := range []struct{ query, field string }{
			{"provider_ref=7&week=2031-13-01", "week"},
			{"provider_ref=7&week=next", "week"},
			{"provider_ref=7&duration_minutes=0", "duration_minutes"},
			{"provider_ref=7&duration_minutes=half", "duration_minutes"},
			{"week=2031-06-02", "provider_ref"},
		} {
			r := owner.Get("/availability?" + tc.query)
			if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `data-testid="error-`+tc.field+`"`) {
				t.Errorf("/availability?%s = %d, want 422 showing the %s error:\n%.1500s", tc.query, r.StatusCode, tc.field, r.Body)
			}
		}
		first := owner.Get("/availability")
		if first.StatusCode != http.StatusOK || !strings.Contains(first.Body, `<input id="f-provider_ref" name="provider_ref"`) ||
			strings.Contains(first.Body, `data-testid="week-grid"`) {
			t.Errorf("the first visit = %d, want the form with a provider text box and no grid", first.StatusCode)
		}
		// Open every day (no opening hours): a past week has no free time.
		past := owner.Get("/availability?provider_ref=7&week=2020-03-04")
		if past.StatusCode != http.StatusOK || strings.Count(past.Body, `data-testid="day-full">no free time<`) != 7 {
			t.Errorf("a past week = %d, want seven days of no free time:\n%.3000s", past.StatusCode, past.Body)
		}
	})
}
