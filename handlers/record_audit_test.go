package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"switchboard/testsupport"
)

// TestRecordChangesAudited: creating, moving and cancelling appointments
// and creating and editing patients are audited by the records service
// whatever door they came through — the JSON API with an agent key, MCP,
// the booking API and the staff pages — with who, the door and the
// changed fields in words (practice time); /audit filters by record, door
// and actor, and the record's page shows its history. On both databases.
func TestRecordChangesAudited(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv, login := testsupport.StartDemoOn(t, dbURL)
		org := srv.DemoOrg(t)
		key, _ := testsupport.SeedKey(t, srv.App.Store, org.ID, "agent")
		agent := srv.ClientWithKey(t, key)
		day := nextWeekday()

		// API: book at 09:00, then move to 10:00 (Chicago).
		var p struct {
			ID int64 `json:"id"`
		}
		agent.Do("POST", "/api/patients", strings.NewReader(`{"first_name":"Ada","last_name":"Byron"}`),
			http.Header{"Content-Type": {"application/json"}, "Idempotency-Key": {"p1"}}).JSON(t, &p)
		var a struct {
			ID int64 `json:"id"`
		}
		r := agent.Do("POST", "/api/appointments", strings.NewReader(fmt.Sprintf(`{"patient_id":%d,"start":"%sT09:00","duration_minutes":30,"provider_ref":"1","operatory_ref":"1"}`, p.ID, day)),
			http.Header{"Content-Type": {"application/json"}, "Idempotency-Key": {"a1"}})
		r.JSON(t, &a)
		if r.StatusCode != http.StatusCreated {
			t.Fatalf("book = %d %s", r.StatusCode, r.Body)
		}
		if r := agent.Do("PATCH", fmt.Sprintf("/api/appointments/%d", a.ID), strings.NewReader(`{"start":"`+day+`T10:00"}`),
			http.Header{"Content-Type": {"application/json"}, "Idempotency-Key": {"a2"}}); r.StatusCode != 200 {
			t.Fatalf("move = %d %s", r.StatusCode, r.Body)
		}
		// MCP: cancel it.
		cs := mcpSession(t, srv, key)
		if res, text := callTool(t, cs, "cancel_appointment", map[string]any{"id": a.ID}); res.IsError {
			t.Fatalf("cancel_appointment = %s", text)
		}
		// Booking API: a patient.
		var bp odPatient
		booker{t, agent}.ok("CreatePatient", map[string]any{"LName": "Lovelace", "FName": "Ada"}, &bp)
		// Page: the owner edits the first patient's phone.
		owner := srv.NewClient(t)
		owner.Login(login.Email, login.Password)
		path := fmt.Sprintf("/patients/%d", p.ID)
		if r := owner.PostForm(path, url.Values{"_csrf": {owner.CSRF(path)}, "first_name": {"Ada"}, "last_name": {"Byron"}, "phone": {"555 0100"}}); r.StatusCode >= 400 {
			t.Fatalf("page edit = %d %.300s", r.StatusCode, r.Body)
		}

		// audit is the rows of /audit?q (not its filter's choices).
		audit := func(q string) string {
			_, rows, _ := strings.Cut(owner.Get("/audit?"+q).Body, `data-testid="audit-row"`)
			return rows
		}
		appt := audit(fmt.Sprintf("entity=appointment&record=%d", a.ID))
		wantIn(t, "appointment's audit", appt,
			"Appointment created", "Appointment moved", "Appointment cancelled",
			"start: "+dayWords(day)+" 09:00 → "+dayWords(day)+" 10:00", "status: scheduled → cancelled", "MCP (agent)", "test agent")
		if strings.Contains(appt, "Lovelace") || strings.Contains(appt, `&#34;changed&#34;`) || strings.Contains(appt, `{"changed"`) {
			t.Error("the record filter lets other records through, or details are raw JSON")
		}
		wantIn(t, "booking door", audit("door=booking"), "Patient created", "first name: Ada", "last name: Lovelace")
		if strings.Contains(audit("door=booking"), "Appointment moved") {
			t.Error("door=booking lists a change made through the API")
		}
		wantIn(t, "page door", audit("door=page&actor="+url.QueryEscape(login.Email)), "Patient updated", "phone: 555 0100", "admin pages")
		wantIn(t, "appointment page", owner.Get(fmt.Sprintf("/appointments/%d", a.ID)).Body,
			`data-testid="record-history"`, "Appointment moved", "start: "+dayWords(day)+" 09:00 → "+dayWords(day)+" 10:00", "via API")
		wantIn(t, "patient page", owner.Get(path).Body, `data-testid="record-history"`, "Patient updated", "Patient created", login.Email)
	})
}

// dayWords is a YYYY-MM-DD day as audit details write it ("10 Dec 2026").
func dayWords(day string) string {
	var y, m, d int
	fmt.Sscanf(day, "%d-%d-%d", &y, &m, &d)
	months := []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	return fmt.Sprintf("%d %s %d", d, months[m-1], y)
}

// wantIn fails unless body holds every one of wants.
func wantIn(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) && !strings.Contains(body, htmlEscape(w)) {
			t.Errorf("%s does not show %q", what, w)
		}
	}
}

// htmlEscape is s as templ writes it in text.
func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}
