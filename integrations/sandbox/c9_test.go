package sandbox

import (
	"net/http"
	"strings"
	"testing"
)

func TestCloud9Auth(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name       string
		creds      c9Creds
		wantStatus string
		wantCode   string
	}{
		{"the right credentials are accepted", goodC9, "Success", ""},
		{"a bad password answers an error inside 200", c9Creds{"sandbox-client", "sandbox", "guess"}, "Error", "1"},
		{"a bad client answers an error inside 200", c9Creds{"other", "sandbox", "sandbox-password"}, "Error", "1"},
		{"empty credentials are refused", c9Creds{}, "Error", "1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := f.c9(t, tt.creds, "GetLocations")
			if got.Status != tt.wantStatus || got.Code != tt.wantCode {
				t.Fatalf("ResponseStatus, ErrorCode = %q, %q; want %q, %q (%s)", got.Status, got.Code, tt.wantStatus, tt.wantCode, got.Raw)
			}
			if tt.wantStatus == "Success" && len(got.Records) != 2 {
				t.Errorf("GetLocations = %d records, want 2", len(got.Records))
			}
			if tt.wantStatus == "Error" && (got.Message == "" || len(got.Records) != 0) {
				t.Errorf("error answer %s has no message or has records", got.Raw)
			}
		})
	}
}

func TestCloud9ErrorsInside200(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name      string
		procedure string
		params    [][2]string
		wantCode  string
	}{
		{"an unknown procedure", "GetEverything", nil, "4"},
		{"no procedure", "", nil, "2"},
		{"GetPatientInformation without patGUID", "GetPatientInformation", nil, "2"},
		{"GetPatientInformation with an unknown patGUID", "GetPatientInformation", [][2]string{{"patGUID", "00000000-0000-4000-8000-000000000000"}}, "3"},
		{"SetPatient without a last name", "SetPatient", [][2]string{{"patientFirstName", "Ann"}}, "2"},
		{"SetAppointment without StartTime", "SetAppointment", [][2]string{{"PatientGUID", seedGUID(guidPatient, 1)}}, "2"},
		{"SetAppointment with a bad StartTime", "SetAppointment", [][2]string{{"PatientGUID", seedGUID(guidPatient, 1)}, {"StartTime", "soon"}}, "3"},
		{"GetOnlineReservations without dates", "GetOnlineReservations", nil, "2"},
		{"SetAppointmentStatusConfirmed with an unknown apptGUID", "SetAppointmentStatusConfirmed", [][2]string{{"apptGUID", "nope"}}, "3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := f.c9(t, goodC9, tt.procedure, tt.params...)
			if got.Status != "Error" || got.Code != tt.wantCode || got.Message == "" {
				t.Errorf("answer = %s, want Error with code %s and a message", got.Raw, tt.wantCode)
			}
		})
	}
	t.Run("a body that is not XML", func(t *testing.T) {
		a := f.c9Raw(t, "{not xml", nil)
		if got := parseC9(t, a.body); a.status != http.StatusOK || got.Status != "Error" || got.Code != "2" {
			t.Errorf("answer = %d %s, want 200 with Error code 2", a.status, a.body)
		}
	})
	t.Run("only POST is allowed", func(t *testing.T) {
		if a := f.do(t, http.MethodGet, Cloud9Path, nil, nil); a.status != http.StatusMethodNotAllowed {
			t.Errorf("GET = %d, want 405", a.status)
		}
	})
	if n := f.sb.Created().Cloud9Patients + f.sb.Created().Cloud9Appointments; n != 0 {
		t.Errorf("created %d records through refused calls", n)
	}
}

func TestCloud9XMLEscapingRoundTrips(t *testing.T) {
	f := newFixture(t)
	const first, last, email = `Ann <"Annie">`, "O'Brien & Sons </LastName>", "a&b@example.com"
	set := f.c9(t, goodC9, "SetPatient", [2]string{"patientFirstName", first}, [2]string{"patientLastName", last},
		[2]string{"email", email}, [2]string{"birthdayDateTime", "7/4/2011"}).mustSucceed(t)
	guid := set.Records[0]["PatientGUID"]
	if guid == "" || set.Records[0]["Result"] != "Patient GUID Added: "+guid {
		t.Fatalf("SetPatient records = %v", set.Records)
	}
	info := f.c9(t, goodC9, "GetPatientInformation", [2]string{"patGUID", strings.ToUpper("{" + guid + "}")}).mustSucceed(t)
	rec := info.Records[0]
	if rec["PatientFirstName"] != first || rec["PatientLastName"] != last || rec["PatientEmail"] != email {
		t.Errorf("round trip = %q %q %q, want %q %q %q", rec["PatientFirstName"], rec["PatientLastName"], rec["PatientEmail"], first, last, email)
	}
	if rec["PatientBirthDate"] != "07/04/2011" {
		t.Errorf("PatientBirthDate = %q, want 07/04/2011", rec["PatientBirthDate"])
	}
	if !strings.Contains(info.Raw, "O&#39;Brien &amp; Sons &lt;/LastName&gt;") {
		t.Errorf("raw answer does not escape the name: %s", info.Raw)
	}
	if !strings.Contains(info.Raw, `<GetDataResponse xmlns="`+Cloud9Namespace+`">`) {
		t.Errorf("raw answer lacks the Cloud9 namespace: %s", info.Raw)
	}
	list := f.c9(t, goodC9, "GetPatientList", [2]string{"LastName", "o'brien &"}).mustSucceed(t)
	if len(list.Records) != 1 || list.Records[0]["PatientGUID"] != guid {
		t.Errorf("GetPatientList by the escaped name = %v", list.Records)
	}
}

func TestCloud9PatientLookups(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name      string
		procedure string
		params    [][2]string
		wantLast  []string
	}{
		{"GetPatientList by last name prefix", "GetPatientList", [][2]string{{"LastName", "sm"}}, []string{"Smith"}},
		{"GetPatientList by first and last name", "GetPatientList", [][2]string{{"FirstName", "olivia"}, {"LastName", "anderson"}}, []string{"Anderson"}},
		{"GetPatientList by location", "GetPatientList", [][2]string{{"LocationGUID", seedGUID(guidLocation, 2)}}, []string{"Chen", "Foster", "Ito", "Smith"}},
		{"GetPatientList by birth date", "GetPatientList", [][2]string{{"BirthDate", "10/08/1983"}}, []string{"Smith"}},
		{"GetPortalPatientLookup by name", "GetPortalPatientLookup", [][2]string{{"filter", "Garcia, Ava"}}, []string{"Garcia"}},
		{"GetPortalPatientLookup by phone", "GetPortalPatientLookup", [][2]string{{"filter", "971-555-0105"}}, []string{"Evans"}},
		{"GetPortalPatientLookup by e-mail", "GetPortalPatientLookup", [][2]string{{"filter", "MIA.ITO@example.com"}}, []string{"Ito"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := f.c9(t, goodC9, tt.procedure, tt.params...).mustSucceed(t)
			var lasts []string
			for _, r := range got.Records {
				lasts = append(lasts, r["PatientLastName"])
			}
			if strings.Join(lasts, ",") != strings.Join(tt.wantLast, ",") {
				t.Errorf("patients = %v, want %v", lasts, tt.wantLast)
			}
		})
	}
}

func TestCloud9AppointmentLifecycle(t *testing.T) {
	f := newFixture(t)
	pat := seedGUID(guidPatient, 4)
	chair := seedGUID(guidChair, 2)
	reservations := func() []string {
		got := f.c9(t, goodC9, "GetOnlineReservations", [2]string{"startDate", "03/04/2026 8:00:00 AM"},
			[2]string{"endDate", "03/04/2026"}, [2]string{"ScheduleColumnGUID", chair}, [2]string{"Minutes", "60"}).mustSucceed(t)
		var starts []string
		for _, r := range got.Records {
			starts = append(starts, r["StartTime"][11:])
		}
		return starts
	}
	if got := reservations(); len(got) != 9 || got[1] != "09:00:00 AM" {
		t.Fatalf("free hours on Wednesday = %v, want 9 starting 08:00", got)
	}
	set := f.c9(t, goodC9, "SetAppointment", [2]string{"PatientGUID", pat}, [2]string{"StartTime", "03/04/2026 9:00 AM"},
		[2]string{"ScheduleColumnGUID", chair}, [2]string{"Minutes", "60"}, [2]string{"Note", "Bring retainer"}).mustSucceed(t)
	appt := set.Records[0]["AppointmentGUID"]
	if got := reservations(); len(got) != 8 || got[1] != "10:00:00 AM" {
		t.Errorf("free hours after booking 09:00 = %v, want 09:00 gone", got)
	}
	taken := f.c9(t, goodC9, "SetAppointment", [2]string{"PatientGUID", seedGUID(guidPatient, 5)},
		[2]string{"StartTime", "03/04/2026 09:30:00 AM"}, [2]string{"ScheduleColumnGUID", chair})
	if taken.Status != "Error" || taken.Code != "3" {
		t.Errorf("booking a taken chair time = %s, want Error code 3", taken.Raw)
	}
	list := f.c9(t, goodC9, "GetAppointmentListByPatient", [2]string{"patGUID", pat}).mustSucceed(t)
	if len(list.Records) != 1 || list.Records[0]["AppointmentDateTime"] != "03/04/2026 09:00:00 AM" ||
		list.Records[0]["AppointmentNote"] != "Bring retainer" || list.Records[0]["Chair"] != "Chair 2" {
		t.Errorf("GetAppointmentListByPatient = %v", list.Records)
	}
	f.c9(t, goodC9, "SetAppointmentStatusConfirmed", [2]string{"apptGUID", appt}).mustSucceed(t)
	if got := f.sb.Cloud9Appointments()[2].AppointmentStatus; got != "Confirmed" {
		t.Errorf("status after confirming = %q", got)
	}
	f.c9(t, goodC9, "SetAppointmentStatusCanceled", [2]string{"apptGUID", appt}).mustSucceed(t)
	if got := reservations(); len(got) != 9 {
		t.Errorf("free hours after canceling = %v, want 09:00 free again", got)
	}
	if again := f.c9(t, goodC9, "SetAppointmentStatusConfirmed", [2]string{"apptGUID", appt}); again.Status != "Error" {
		t.Errorf("confirming a canceled appointment = %s, want Error", again.Raw)
	}
	if n := f.sb.Created().Cloud9Appointments; n != 1 {
		t.Errorf("Created().Cloud9Appointments = %d, want 1", n)
	}
}

func TestCloud9ReferenceProcedures(t *testing.T) {
	f := newFixture(t)
	for _, tt := range []struct {
		procedure string
		field     string
		want      int
	}{
		{"GetLocations", "LocationGUID", 2},
		{"GetChairSchedules", "schdcolGUID", 3},
		{"GetAppointmentTypes", "AppointmentTypeGUID", 5},
	} {
		t.Run(tt.procedure, func(t *testing.T) {
			got := f.c9(t, goodC9, tt.procedure).mustSucceed(t)
			if len(got.Records) != tt.want || got.Records[0][tt.field] == "" {
				t.Errorf("%s = %v, want %d records with %s", tt.procedure, got.Records, tt.want, tt.field)
			}
		})
	}
}
