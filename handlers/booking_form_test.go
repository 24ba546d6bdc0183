package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"switchboard/models"
	"switchboard/testsupport"
)

// loginDemoStaff signs a front-desk user of the demo organization in and
// returns it with a CSRF token.
func loginDemoStaff(t *testing.T, srv *testsupport.Server) (*testsupport.Client, string) {
	t.Helper()
	staff := demoStaff(t, srv)
	return staff, staff.CSRF("/patients")
}

// selectOf is the HTML of the select with the id, or "" when the page has
// none.
func selectOf(body, id string) string {
	m := regexp.MustCompile(`(?s)<select id="` + regexp.QuoteMeta(id) + `".*?</select>`).FindString(body)
	return m
}

// demoPatientID is the id of one of the demo's seeded patients.
func demoPatientID(t *testing.T, srv *testsupport.Server) int64 {
	t.Helper()
	org, err := srv.App.Store.OrganizationBySlug(t.Context(), "demo")
	if err != nil {
		t.Fatal(err)
	}
	ps, err := srv.App.Store.Tenant(org.ID).Patients(t.Context(), models.PatientFilter{Limit: 1})
	if err != nil || len(ps) == 0 {
		t.Fatalf("demo patients: %v %v", ps, err)
	}
	return ps[0].ID
}

// TestBookingFormPickers: with dual-write to Open Dental on (the demo),
// the booking form's provider, operatory, appointment type and location
// are selects of Open Dental's lists with an empty first choice and a
// caption naming Open Dental; a 422 keeps the choices made. While Open
// Dental is down the page still answers, with text boxes saying why.
func TestBookingFormPickers(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv, _, _ := demoOn(t, dbURL)
		staff, tok := loginDemoStaff(t, srv)

		// Down before any list was read: the page answers with text boxes.
		setDemoFaults(t, srv, sandboxOutage())
		down := staff.Get("/appointments")
		if down.StatusCode != http.StatusOK {
			t.Fatalf("booking form while Open Dental is down = %d %.1000s", down.StatusCode, down.Body)
		}
		for _, id := range []string{"f-provider_ref", "f-operatory_ref", "f-appointment_type"} {
			if selectOf(down.Body, id) != "" || !strings.Contains(down.Body, `id="`+id+`" name=`) {
				t.Errorf("while Open Dental is down, %s is not a text box", id)
			}
		}
		if !strings.Contains(down.Body, "Open Dental did not answer its operatories list") {
			t.Errorf("the fallback does not say why:\n%.3000s", down.Body)
		}
		setDemoFaults(t, srv, sandboxOK())

		page := staff.Get("/appointments")
		ops := selectOf(page.Body, "f-operatory_ref")
		for _, want := range []string{`<option value="" selected>Choose…</option>`, `<option value="1">Operatory 1</option>`, `<option value="3">Hygiene 1</option>`} {
			if !strings.Contains(ops, want) {
				t.Errorf("the operatory picker lacks %s:\n%s", want, ops)
			}
		}
		if types := selectOf(page.Body, "f-appointment_type"); !strings.Contains(types, `<option value="2">Cleaning</option>`) {
			t.Errorf("the appointment type picker = %s", types)
		}
		if locs := selectOf(page.Body, "f-location_ref"); !strings.Contains(locs, `<option value="1">Main Street Dental</option>`) {
			t.Errorf("the location picker = %s", locs)
		}
		if provs := selectOf(page.Body, "f-provider_ref"); !strings.Contains(provs, `<option value="1">`) {
			t.Errorf("the provider picker = %s", provs)
		}
		if !strings.Contains(page.Body, "From Open Dental") {
			t.Error("the pickers do not say which practice system they come from")
		}

		// No operatory: Open Dental would refuse; the choices made stay.
		r := staff.PostForm("/appointments", url.Values{"_csrf": {tok}, "patient_id": {itoa(demoPatientID(t, srv))},
			"start": {"2031-04-07T09:00"}, "duration_minutes": {"30"}, "provider_ref": {"1"}, "operatory_ref": {""},
			"appointment_type": {"2"}, "location_ref": {"2"}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `data-testid="error-operatory_ref"`) ||
			!strings.Contains(r.Body, "opendental: is required") {
			t.Fatalf("booking without an operatory = %d %.3000s", r.StatusCode, r.Body)
		}
		for id, want := range map[string]string{"f-provider_ref": `<option value="1" selected>`,
			"f-appointment_type": `<option value="2" selected>Cleaning</option>`, "f-location_ref": `<option value="2" selected>Lakeside Dental</option>`} {
			if !strings.Contains(selectOf(r.Body, id), want) {
				t.Errorf("after the 422, %s lost its choice: %s", id, selectOf(r.Body, id))
			}
		}
	})
}

// TestBookingFormWithoutAPracticeSystem: with no sync target the pickers
// are text boxes saying why, and the location is not asked for.
func TestBookingFormWithoutAPracticeSystem(t *testing.T) {
	srv, _, _ := demoAdmin(t)
	staff, _ := loginDemoStaff(t, srv)
	page := staff.Get("/appointments")
	if page.StatusCode != http.StatusOK || selectOf(page.Body, "f-operatory_ref") != "" ||
		!strings.Contains(page.Body, "No practice system that takes appointments lists operatories") {
		t.Fatalf("booking form without sync = %d %.3000s", page.StatusCode, page.Body)
	}
	if strings.Contains(page.Body, `id="f-location_ref"`) {
		t.Error("the form asks for a location no practice system lists")
	}
}

// TestBookingFormPatientSearch: the patient select is filled by a search
// (name, email or phone) with no cap on how many patients there are: the
// 250th of 250 is found. Nothing is chosen by default; booking without a
// patient names patient_id; ?patient_id= chooses one.
func TestBookingFormPatientSearch(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv, _, admin := demoOn(t, dbURL)
		_ = admin
		org, err := srv.App.Store.OrganizationBySlug(t.Context(), "demo")
		if err != nil {
			t.Fatal(err)
		}
		tn := srv.App.Store.Tenant(org.ID)
		var last int64
		for i := 1; i <= 250; i++ {
			p := &models.Patient{FirstName: fmt.Sprintf("Many%03d", i), LastName: "Searchable",
				Phone: fmt.Sprintf("555%04d", 1000+i), Email: fmt.Sprintf("many%03d@example.test", i)}
			if err := tn.CreatePatient(t.Context(), p); err != nil {
				t.Fatal(err)
			}
			last = p.ID
		}
		staff, tok := loginDemoStaff(t, srv)
		page := staff.Get("/appointments")
		patients := selectOf(page.Body, "f-patient_id")
		if !strings.Contains(patients, `<option value="">Choose a patient…</option>`) || strings.Contains(patients, "selected") {
			t.Fatalf("the patient select preselects or lacks the empty choice:\n%s", patients)
		}
		for _, want := range []string{`hx-get="/patients/picker"`, `hx-trigger="input changed delay:250ms, search"`, `hx-target="#f-patient_id"`} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("the patient search lacks %s", want)
			}
		}
		want250 := fmt.Sprintf(`<option value="%d">Many250 Searchable`, last)
		for _, q := range []string{"many250", "Many250 Searchable", "many250@example", "5551250"} {
			r := staff.Get("/patients/picker?q=" + url.QueryEscape(q))
			if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, want250) || strings.Contains(r.Body, "Many249") {
				t.Errorf("search %q = %d %.1000s, want the 250th patient only", q, r.StatusCode, r.Body)
			}
		}
		many := staff.Get("/patients/picker?q=searchable")
		if n := strings.Count(many.Body, "Searchable"); n != 20 || !strings.Contains(many.Body, "keep typing to narrow") {
			t.Errorf("a search matching 250 answers %d options:\n%.500s", n, many.Body)
		}
		r := staff.PostForm("/appointments", url.Values{"_csrf": {tok}, "patient_id": {""}, "start": {"2031-04-07T09:00"}, "duration_minutes": {"30"}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `data-testid="error-patient_id"`) {
			t.Fatalf("booking without a patient = %d %.2000s", r.StatusCode, r.Body)
		}
		chosen := selectOf(staff.Get("/appointments?patient_id="+itoa(last)).Body, "f-patient_id")
		if !strings.Contains(chosen, fmt.Sprintf(`<option value="%d" selected>Many250`, last)) {
			t.Fatalf("?patient_id= does not choose the patient:\n%s", chosen)
		}
	})
}
