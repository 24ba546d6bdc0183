package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

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
	return regexp.MustCompile(`(?s)<select id="` + regexp.QuoteMeta(id) + `".*?</select>`).FindString(body)
}

// demoPatientID is the id of one of the demo's seeded patients.
func demoPatientID(t *testing.T, srv *testsupport.Server) int64 {
	t.Helper()
	org := srv.DemoOrg(t)
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
		// Back up, as the demo's switch does: the circuit the outage may
		// have opened (the page's four lists and a background call make
		// five failures) is closed, so the next page reads the lists.
		setDemoFaults(t, srv, sandboxOK())
		srv.App.Executor.CloseCircuits(srv.DemoOrg(t).ID, "opendental")

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

		// An operatory Open Dental does not list is refused; the choices
		// made stay.
		r := staff.PostForm("/appointments", url.Values{"_csrf": {tok}, "patient_id": {itoa(demoPatientID(t, srv))},
			"start": {"2031-04-07T09:00"}, "duration_minutes": {"30"}, "provider_ref": {"1"}, "operatory_ref": {"chair-9"},
			"appointment_type": {"2"}, "location_ref": {"2"}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `data-testid="error-operatory_ref"`) ||
			!strings.Contains(r.Body, "Open Dental has no operatory &#34;chair-9&#34;") {
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
		srv, _, _ := demoOn(t, dbURL)
		org := srv.DemoOrg(t)
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

// bookDemo books through the API with Open Dental's operatory and
// provider 1 and returns the appointment's id.
func bookDemo(t *testing.T, agent *testsupport.Client, patientID int64, start string) int64 {
	t.Helper()
	r := agent.SendJSON("POST", "/api/appointments", map[string]any{"patient_id": patientID, "start": start,
		"duration_minutes": 30, "provider_ref": "1", "operatory_ref": "1"})
	if r.StatusCode != http.StatusCreated {
		t.Fatalf("book %s = %d %s", start, r.StatusCode, r.Body)
	}
	var a struct {
		ID int64 `json:"id"`
	}
	r.JSON(t, &a)
	return a.ID
}

// TestAppointmentEditPage: the appointment page links to its edit page,
// which shows the current values (start in practice time, the pickers
// chosen); saving goes through the records service's update: Open
// Dental's check names the field (and the value refused stays shown), a taken slot says so with a link, and a
// good save flashes, redirects and reaches Open Dental in practice time.
func TestAppointmentEditPage(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv, agent, _ := demoOn(t, dbURL)
		staff, tok := loginDemoStaff(t, srv)
		pid := demoPatientID(t, srv)
		id := bookDemo(t, agent, pid, "2031-04-08T09:00:00-05:00")
		other := bookDemo(t, agent, pid, "2031-04-08T11:00:00-05:00")
		edit := fmt.Sprintf("/appointments/%d/edit", id)
		if show := staff.Get(fmt.Sprintf("/appointments/%d", id)); !strings.Contains(show.Body, `href="`+edit+`" data-testid="edit-appointment"`) {
			t.Fatalf("the appointment page has no Edit link:\n%.3000s", show.Body)
		}
		page := staff.Get(edit)
		if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `value="2031-04-08T09:00"`) ||
			!strings.Contains(selectOf(page.Body, "f-operatory_ref"), `<option value="1" selected>Operatory 1</option>`) ||
			!strings.Contains(page.Body, `action="`+edit+`"`) {
			t.Fatalf("edit page = %d %.4000s", page.StatusCode, page.Body)
		}
		form := url.Values{"_csrf": {tok}, "start": {"2031-04-08T11:15"}, "duration_minutes": {"30"},
			"provider_ref": {"1"}, "operatory_ref": {"1"}, "notes": {"moved"}}
		if r := staff.PostForm(edit, form); r.StatusCode != http.StatusConflict || !strings.Contains(r.Body, `data-testid="slot-taken"`) ||
			!strings.Contains(r.Body, fmt.Sprintf(`href="/appointments/%d" data-testid="slot-taken-link"`, other)) {
			t.Fatalf("moving onto a taken slot = %d %.3000s", r.StatusCode, r.Body)
		}
		form.Set("operatory_ref", "chair-one")
		form.Set("start", "2031-04-08T14:00")
		if r := staff.PostForm(edit, form); r.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(r.Body, `data-testid="error-operatory_ref"`) || !strings.Contains(r.Body, "Open Dental has no operatory") ||
			!strings.Contains(r.Body, `<option value="chair-one" selected>chair-one (not in Open Dental&#39;s list)</option>`) {
			t.Fatalf("saving an operatory Open Dental refuses = %d %s", r.StatusCode, r.Body[strings.Index(r.Body, `data-testid="appointment-edit-form"`):])
		}
		form.Set("operatory_ref", "2")
		r := staff.PostForm(edit, form)
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != fmt.Sprintf("/appointments/%d", id) {
			t.Fatalf("save = %d %s %.2000s", r.StatusCode, r.Header.Get("Location"), r.Body)
		}
		if shown := staff.Get(r.Header.Get("Location")); !strings.Contains(shown.Body, "The appointment was saved.") {
			t.Fatalf("no flash after the save:\n%.3000s", shown.Body)
		}
		settleSync(t, srv)
		got := agent.Get(fmt.Sprintf("/api/appointments/%d", id))
		var a recordOut
		got.JSON(t, &a)
		if !strings.Contains(got.Body, `"start":"2031-04-08T14:00:00-05:00"`) || !strings.Contains(got.Body, `"notes":"moved"`) ||
			len(a.Sync) != 1 || a.Sync[0].Status != "synced" {
			t.Fatalf("after the save = %s", got.Body)
		}
		var found bool
		for _, apt := range srv.DemoSandbox(t).OpenDentalAppointments() {
			if itoa(apt.AptNum) == a.Sync[0].ExternalID {
				found = true
				if apt.AptDateTime != "2031-04-08 14:00:00" || apt.Op != 2 || apt.Note != "moved" {
					t.Fatalf("Open Dental's appointment = %+v, want 14:00 practice time in operatory 2", apt)
				}
			}
		}
		if !found {
			t.Fatalf("Open Dental has no appointment %s", a.Sync[0].ExternalID)
		}
		// A cancelled appointment offers no edit.
		if r := staff.PostForm(fmt.Sprintf("/appointments/%d/cancel", other), url.Values{"_csrf": {tok}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("cancel = %d", r.StatusCode)
		}
		if show := staff.Get(fmt.Sprintf("/appointments/%d", other)); strings.Contains(show.Body, `data-testid="edit-appointment"`) {
			t.Error("a cancelled appointment offers Edit")
		}
	})
}

// TestPatientEditPage: the patient page links to the patient's edit
// page, whose form shows the current values and saves them.
func TestPatientEditPage(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv, agent, _ := demoOn(t, dbURL)
		staff, tok := loginDemoStaff(t, srv)
		r := agent.SendJSON("POST", "/api/patients", map[string]any{"first_name": "Edna", "last_name": "Edit", "email": "edna@example.test"})
		var p recordOut
		r.JSON(t, &p)
		show := fmt.Sprintf("/patients/%d", p.ID)
		if page := staff.Get(show); !strings.Contains(page.Body, `href="`+show+`/edit" data-testid="edit-patient"`) {
			t.Fatalf("the patient page has no Edit link:\n%.3000s", page.Body)
		}
		page := staff.Get(show + "/edit")
		if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, `value="edna@example.test"`) ||
			!strings.Contains(page.Body, `action="`+show+`"`) || !strings.Contains(page.Body, `data-testid="patient-edit-form"`) {
			t.Fatalf("patient edit page = %d %.3000s", page.StatusCode, page.Body)
		}
		if r := staff.PostForm(show, url.Values{"_csrf": {tok}, "first_name": {"Edna"}, "last_name": {"Edited"}, "email": {"edna@example.test"}}); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("save = %d %.1000s", r.StatusCode, r.Body)
		}
		if got := agent.Get("/api" + show); !strings.Contains(got.Body, `"last_name":"Edited"`) {
			t.Fatalf("after the save = %s", got.Body)
		}
	})
}

// cloud9Practice is the demo with Cloud9 as the only system appointments
// go to (dual-write), a patient Cloud9 already has linked to it (a Cloud9
// patient needs a provider and location the local record does not carry),
// and Cloud9's reference lists by kind.
func cloud9Practice(t *testing.T, dbURL string) (*testsupport.Server, *testsupport.Client, *models.Tenant, *models.Patient, map[string]referenceAnswer) {
	t.Helper()
	srv, agent, admin := demoOn(t, dbURL)
	settleSync(t, srv)
	org := srv.DemoOrg(t)
	tn := srv.App.Store.Tenant(org.ID)
	cfgs, err := tn.SyncConfigs(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, cfg := range cfgs {
		if err := tn.DeleteSyncConfig(t.Context(), cfg.ID); err != nil {
			t.Fatal(err)
		}
	}
	// Appointments go to Cloud9; the patient is one Cloud9 already has
	// (a Cloud9 patient needs a provider and location the local record
	// does not carry).
	if r := admin.SendJSON("POST", "/api/admin/integration-settings", map[string]any{"integration": "cloud9", "enabled": true,
		"direction": "dual_write", "entities": []string{"appointment"}}); r.StatusCode != http.StatusCreated {
		t.Fatalf("Cloud9 sync settings = %d %s", r.StatusCode, r.Body)
	}
	c9p := srv.DemoSandbox(t).Cloud9Patients()[0]
	p := &models.Patient{FirstName: c9p.PatientFirstName, LastName: c9p.PatientLastName}
	if err := tn.CreatePatient(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	c9, err := tn.IntegrationBySlug(t.Context(), "cloud9")
	if err != nil {
		t.Fatal(err)
	}
	if err := tn.SaveExternalRef(t.Context(), &models.ExternalRef{IntegrationID: c9.ID, Entity: "patient", LocalID: p.ID,
		ExternalID: c9p.PatientGUID, SyncedVersion: p.Version}); err != nil {
		t.Fatal(err)
	}
	first := map[string]referenceAnswer{}
	for _, kind := range []string{"providers", "operatories", "locations", "appointment_types"} {
		var a referenceAnswer
		agent.Get("/api/reference/"+kind+"?integration=cloud9").JSON(t, &a)
		if len(a.Items) == 0 {
			t.Fatalf("Cloud9 lists no %s", kind)
		}
		first[kind] = a
	}
	return srv, agent, tn, p, first
}

// TestCloud9BookingFromTheForm: when Cloud9 is the practice system
// appointments go to, the booking form's pickers list Cloud9's doctors,
// chairs, schedule views and appointment types; booking from the form
// reaches the Cloud9 sandbox with the chosen chair and type, and the edit
// page shows the choices and saves.
func TestCloud9BookingFromTheForm(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv, agent, tn, p, first := cloud9Practice(t, dbURL)
		staff, tok := loginDemoStaff(t, srv)
		page := staff.Get("/appointments")
		for id, kind := range map[string]string{"f-provider_ref": "providers", "f-operatory_ref": "operatories",
			"f-location_ref": "locations", "f-appointment_type": "appointment_types"} {
			it := first[kind].Items[0]
			if want := fmt.Sprintf(`<option value="%s">%s</option>`, it.ID, it.Label); !strings.Contains(selectOf(page.Body, id), want) {
				t.Errorf("%s lacks Cloud9's %s:\n%s", id, want, selectOf(page.Body, id))
			}
		}
		if !strings.Contains(page.Body, "From Cloud9 Ortho") {
			t.Error("the pickers do not say they come from Cloud9")
		}
		// Chair 1 of the main location, on the main schedule view.
		chair, view, typ := first["operatories"].Items[0].ID, first["locations"].Items[0].ID, first["appointment_types"].Items[1].ID
		form := url.Values{"_csrf": {tok}, "patient_id": {itoa(p.ID)}, "start": {"2031-04-09T09:00"}, "duration_minutes": {"20"},
			"provider_ref": {first["providers"].Items[0].ID}, "operatory_ref": {chair}, "location_ref": {view}, "appointment_type": {typ}}
		r := staff.PostForm("/appointments", form)
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("book for Cloud9 = %d %.3000s", r.StatusCode, r.Body)
		}
		loc := r.Header.Get("Location")
		settleSync(t, srv)
		var a recordOut
		agent.Get("/api"+loc).JSON(t, &a)
		if len(a.Sync) != 1 || a.Sync[0].Integration != "cloud9" || a.Sync[0].Status != "synced" {
			t.Fatalf("the booking's sync = %+v", a.Sync)
		}
		var got []string
		for _, c9 := range srv.DemoSandbox(t).Cloud9Appointments() {
			if c9.AppointmentGUID == a.Sync[0].ExternalID {
				got = append(got, c9.ScheduleColumnGUID, c9.ScheduleViewGUID, c9.AppointmentTypeGUID, fmt.Sprint(c9.AppointmentMinutes))
			}
		}
		if want := []string{chair, view, typ, "20"}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("Cloud9's appointment = %v, want chair, view, type, minutes %v", got, want)
		}
		edit := staff.Get(loc + "/edit")
		for id, v := range map[string]string{"f-operatory_ref": chair, "f-location_ref": view, "f-appointment_type": typ} {
			if !strings.Contains(selectOf(edit.Body, id), fmt.Sprintf(`<option value="%s" selected>`, v)) {
				t.Errorf("the edit page's %s does not show the choice %s", id, v)
			}
		}
		form.Del("patient_id")
		form.Set("notes", "bring retainer")
		if r := staff.PostForm(loc+"/edit", form); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("save for Cloud9 = %d %.3000s", r.StatusCode, r.Body)
		}
		if r := agent.Get("/api" + loc); !strings.Contains(r.Body, `"notes":"bring retainer"`) {
			t.Fatalf("after the save = %s", r.Body)
		}
		// Cloud9 holds no notes and has no update: the save queues nothing
		// that could only fail, and the booking stays synced.
		settleSync(t, srv)
		jobs, err := tn.SyncJobs(t.Context(), models.SyncJobFilter{Entity: "appointment", LocalID: a.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(jobs) != 1 || jobs[0].Status != models.JobSynced {
			t.Fatalf("after a notes-only save the appointment's jobs are %+v, want only its synced create", jobs)
		}
		// Moving it would never reach Cloud9: refused, naming the field,
		// and nothing saved.
		form.Set("start", "2031-04-09T10:00")
		r = staff.PostForm(loc+"/edit", form)
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "cloud9: cloud9 cannot move or change an appointment it already holds") {
			t.Fatalf("moving a Cloud9 appointment = %d, want 422 saying Cloud9 cannot change it:\n%.3000s", r.StatusCode, r.Body)
		}
		if !strings.Contains(r.Body, `data-testid="error-start"`) {
			t.Error("the refusal is not shown next to the start field")
		}
		var after struct{ Start string }
		agent.Get("/api"+loc).JSON(t, &after)
		if !strings.HasPrefix(after.Start, "2031-04-09T09:00") {
			t.Errorf("the refused move saved start %s", after.Start)
		}
	})
}

// TestCloud9ParkedBookingIsFixedByItsEdit: a booking made while the
// Cloud9 sandbox is down keeps failing; once it is back, saving the edit
// page with another chair puts that same job back in the queue, and Cloud9
// gets the booking once, in the new chair.
func TestCloud9ParkedBookingIsFixedByItsEdit(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		srv, _, tn, p, first := cloud9Practice(t, dbURL)
		chairs := first["operatories"].Items
		if len(chairs) < 2 {
			t.Fatalf("Cloud9's sandbox lists %d chairs, the test needs two", len(chairs))
		}
		staff, tok := loginDemoStaff(t, srv)
		switchOutage(t, staff, true)
		form := url.Values{"_csrf": {tok}, "patient_id": {itoa(p.ID)}, "start": {"2031-04-10T09:00"}, "duration_minutes": {"20"},
			"provider_ref": {first["providers"].Items[0].ID}, "operatory_ref": {chairs[0].ID},
			"location_ref": {first["locations"].Items[0].ID}, "appointment_type": {first["appointment_types"].Items[0].ID}}
		r := staff.PostForm("/appointments", form)
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("book for Cloud9 = %d %.3000s", r.StatusCode, r.Body)
		}
		loc := r.Header.Get("Location")
		id, err := strconv.ParseInt(loc[strings.LastIndex(loc, "/")+1:], 10, 64)
		if err != nil {
			t.Fatalf("booking went to %q", loc)
		}
		jobs := func() []models.SyncJob {
			js, err := tn.SyncJobs(t.Context(), models.SyncJobFilter{Entity: "appointment", LocalID: id})
			if err != nil {
				t.Fatal(err)
			}
			return js
		}
		for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			if js := jobs(); len(js) == 1 && js[0].Attempts > 0 && js[0].Status == models.JobRetrying {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the booking never failed during the outage: %+v", jobs())
			}
		}
		parked := jobs()[0]

		switchOutage(t, staff, false)
		form.Del("patient_id")
		form.Set("operatory_ref", chairs[1].ID)
		if r := staff.PostForm(loc+"/edit", form); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("save = %d %.3000s", r.StatusCode, r.Body)
		}
		settleSync(t, srv)
		js := jobs()
		if len(js) != 1 || js[0].ID != parked.ID || js[0].Status != models.JobSynced {
			t.Fatalf("after the save the appointment's jobs are %+v, want job %d alone, synced", js, parked.ID)
		}
		var inChair []string
		for _, c9 := range srv.DemoSandbox(t).Cloud9Appointments() {
			if c9.AppointmentGUID == js[0].ExternalID {
				inChair = append(inChair, c9.ScheduleColumnGUID)
			}
		}
		if len(inChair) != 1 || inChair[0] != chairs[1].ID {
			t.Fatalf("Cloud9 holds the booking in chairs %v, want once in %s", inChair, chairs[1].ID)
		}
	})
}
