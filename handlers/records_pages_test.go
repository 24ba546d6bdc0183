package handlers_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

// TestRecordPagesCreateEditAndCancel drives the staff forms of patients
// and appointments: errors name the field, a save redirects to the record
// and the edit form keeps the fields it does not show.
func TestRecordPagesCreateEditAndCancel(t *testing.T) {
	srv, agent, _ := demoAdmin(t)
	staff := demoStaff(t, srv)
	tok := staff.CSRF("/patients")
	for _, label := range []string{`for="f-first_name"`, "Last name", `type="date"`, `type="tel"`, `type="email"`} {
		if page := staff.Get("/patients"); !strings.Contains(page.Body, label) {
			t.Errorf("the patient form lacks %s", label)
		}
	}
	bad := staff.PostForm("/patients", url.Values{"_csrf": {tok}, "first_name": {"Ada"}, "email": {"nope"}})
	if bad.StatusCode != 422 || !strings.Contains(bad.Body, `data-testid="error-last_name"`) || !strings.Contains(bad.Body, `data-testid="error-email"`) {
		t.Fatalf("bad patient form = %d %.2000s", bad.StatusCode, bad.Body)
	}
	r := staff.PostForm("/patients", url.Values{"_csrf": {tok}, "first_name": {"Ada"}, "last_name": {"Lovelace"}})
	loc := r.Header.Get("Location")
	if r.StatusCode != 303 || !strings.HasPrefix(loc, "/patients/") {
		t.Fatalf("create patient = %d %s", r.StatusCode, loc)
	}
	id := strings.TrimPrefix(loc, "/patients/")
	// A field the form does not show survives the form's save.
	if r := agent.SendJSON("PATCH", "/api/patients/"+id, map[string]any{"city": "London"}); r.StatusCode != 200 {
		t.Fatalf("patch = %d %s", r.StatusCode, r.Body)
	}
	if r := staff.PostForm(loc, url.Values{"_csrf": {tok}, "first_name": {"Augusta Ada"}, "last_name": {"Lovelace"}, "email": {"ada@example.test"}}); r.StatusCode != 303 {
		t.Fatalf("edit = %d %.500s", r.StatusCode, r.Body)
	}
	got := agent.Get("/api/patients/" + id)
	if !strings.Contains(got.Body, `"first_name":"Augusta Ada"`) || !strings.Contains(got.Body, `"city":"London"`) || !strings.Contains(got.Body, `"email":"ada@example.test"`) {
		t.Fatalf("after the edit = %s", got.Body)
	}
	if page := staff.Get(loc); !strings.Contains(page.Body, `value="ada@example.test"`) {
		t.Fatalf("the edit form does not show the saved email: %.2000s", page.Body)
	}

	noStart := staff.PostForm("/appointments", url.Values{"_csrf": {tok}, "patient_id": {id}, "duration_minutes": {"30"}})
	if noStart.StatusCode != 422 || !strings.Contains(noStart.Body, `data-testid="error-start"`) {
		t.Fatalf("booking without a start = %d", noStart.StatusCode)
	}
	r = staff.PostForm("/appointments", url.Values{"_csrf": {tok}, "patient_id": {id}, "start": {"2030-03-04T09:30"}, "duration_minutes": {"45"}, "notes": {"cleaning"}})
	aloc := r.Header.Get("Location")
	if r.StatusCode != 303 || !strings.HasPrefix(aloc, "/appointments/") {
		t.Fatalf("book = %d %s", r.StatusCode, aloc)
	}
	aid := strings.TrimPrefix(aloc, "/appointments/")
	if r := staff.PostForm(aloc+"/cancel", url.Values{"_csrf": {tok}}); r.StatusCode != 303 {
		t.Fatalf("cancel = %d", r.StatusCode)
	}
	a := agent.Get("/api/appointments/" + aid)
	for _, want := range []string{`"start":"2030-03-04T09:30:00-06:00"`, `"end":"2030-03-04T10:15:00-06:00"`, `"status":"cancelled"`, `"notes":"cleaning"`, fmt.Sprintf(`"patient_id":%s`, id)} {
		if !strings.Contains(a.Body, want) {
			t.Errorf("the booked appointment lacks %s: %s", want, a.Body)
		}
	}
}
