package sandbox

import (
	"fmt"
	"net/http"
	"testing"
	"time"
)

func TestOpenDentalAuth(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name   string
		header string
		want   int
	}{
		{"a missing header is refused", "", http.StatusUnauthorized},
		{"another scheme is refused", "Bearer sandbox-dev-key/sandbox-customer-key", http.StatusUnauthorized},
		{"a wrong customer key is refused", "ODFHIR sandbox-dev-key/other", http.StatusUnauthorized},
		{"a developer key alone is refused", "ODFHIR sandbox-dev-key", http.StatusUnauthorized},
		{"the right keys are accepted", odAuth, http.StatusOK},
		{"the scheme is read in any case", "odfhir sandbox-dev-key/sandbox-customer-key", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := f.do(t, http.MethodGet, OpenDentalPrefix+"/providers", nil, map[string]string{"Authorization": tt.header})
			if a.status != tt.want {
				t.Fatalf("status = %d, want %d (%s)", a.status, tt.want, a.body)
			}
			if tt.want == http.StatusUnauthorized && a.message(t) == "" {
				t.Errorf("401 body %q explains nothing", a.body)
			}
		})
	}
	if got := f.sb.Stats().Unauthorized; got != 4 {
		t.Errorf("Stats().Unauthorized = %d, want 4", got)
	}
}

func TestOpenDentalPatientCreateAndGet(t *testing.T) {
	f := newFixture(t)
	p := f.createPatient(t, map[string]any{
		"LName": "Rivera", "FName": "Camila", "Birthdate": "1991-04-12", "WirelessPhone": "(503) 555-0177",
		"Email": "camila@example.com", "Gender": "female", "Address": "12 Elm St", "City": "Portland",
		"State": "OR", "Zip": 97201, "PriProv": "2",
	})
	if p.PatNum != 13 || p.Guarantor != 13 {
		t.Errorf("PatNum, Guarantor = %d, %d; want 13, 13 after 12 seeded patients", p.PatNum, p.Guarantor)
	}
	if p.Gender != "Female" || p.Zip != "97201" || p.PriProv != 2 || p.PatStatus != "Patient" {
		t.Errorf("created patient = %+v; want Gender Female, Zip 97201, PriProv 2, PatStatus Patient", p)
	}
	if p.DateTStamp != "2026-03-02 07:30:00" || p.ServerDateTime != "2026-03-02 07:30:00" {
		t.Errorf("DateTStamp, serverDateTime = %q, %q; want the clock", p.DateTStamp, p.ServerDateTime)
	}
	a := f.od(t, http.MethodGet, fmt.Sprintf("/patients/%d", p.PatNum), nil)
	var got OpenDentalPatient
	a.decode(t, &got)
	if a.status != http.StatusOK || got != p {
		t.Errorf("GET = %d %+v, want 200 %+v", a.status, got, p)
	}
	if a.header.Get("X-Server-DateTime") != "2026-03-02 07:30:00" {
		t.Errorf("X-Server-DateTime = %q", a.header.Get("X-Server-DateTime"))
	}
	if a := f.od(t, http.MethodGet, "/patients/999", nil); a.status != http.StatusNotFound {
		t.Errorf("GET unknown patient = %d, want 404", a.status)
	}
	if n := f.sb.Created().OpenDentalPatients; n != 1 {
		t.Errorf("Created().OpenDentalPatients = %d, want 1", n)
	}
}

func TestOpenDentalPatientCreateValidation(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name string
		body any
		want string
	}{
		{"LName is required", map[string]any{"FName": "Ann"}, "LName is required."},
		{"FName is required", map[string]any{"LName": "Lee", "FName": "  "}, "FName is required."},
		{"Birthdate must be yyyy-MM-dd", map[string]any{"LName": "Lee", "FName": "Ann", "Birthdate": "04/12/1991"}, "Birthdate is invalid."},
		{"Gender must be known", map[string]any{"LName": "Lee", "FName": "Ann", "Gender": "robot"}, "Gender is invalid."},
		{"PriProv must exist", map[string]any{"LName": "Lee", "FName": "Ann", "PriProv": 99}, "PriProv is invalid."},
		{"the body must be an object", "[1,2]", "Request body is not a valid JSON object."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := f.od(t, http.MethodPost, "/patients", tt.body)
			if a.status != http.StatusBadRequest || a.message(t) != tt.want {
				t.Errorf("POST = %d %s, want 400 %q", a.status, a.body, tt.want)
			}
		})
	}
	if n := len(f.sb.OpenDentalPatients()); n != 12 {
		t.Errorf("patients = %d after refused creates, want the 12 seeded", n)
	}
}

func TestOpenDentalPatientList(t *testing.T) {
	f := newFixture(t)
	for i := range 240 {
		f.createPatient(t, map[string]any{"LName": fmt.Sprintf("Zulu%03d", i), "FName": "Test"})
	}
	tests := []struct {
		name      string
		query     string
		wantLen   int
		wantFirst int64
	}{
		{"the first page holds 100", "", 100, 1},
		{"Offset moves the page", "?Offset=200", 52, 201},
		{"Limit and Offset together", "?Limit=10&Offset=5", 10, 6},
		{"Limit is capped at 100", "?Limit=500", 100, 1},
		{"an Offset past the end is empty", "?Offset=1000", 0, 0},
		{"LName matches a prefix in any case", "?LName=smi", 1, 12},
		{"LName and paging combine", "?LName=Zulu&Offset=230", 10, 243},
		{"Phone matches the digits", "?Phone=%2B1%20503-555-0103", 1, 3},
		{"FName filters too", "?FName=Olivia", 1, 1},
		{"Birthdate matches exactly", "?Birthdate=1983-10-08", 1, 12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := f.od(t, http.MethodGet, "/patients"+tt.query, nil)
			var got []OpenDentalPatient
			a.decode(t, &got)
			if a.status != http.StatusOK || len(got) != tt.wantLen {
				t.Fatalf("GET %s = %d with %d patients, want 200 with %d", tt.query, a.status, len(got), tt.wantLen)
			}
			if tt.wantLen > 0 && got[0].PatNum != tt.wantFirst {
				t.Errorf("first PatNum = %d, want %d", got[0].PatNum, tt.wantFirst)
			}
		})
	}
	t.Run("bad paging is refused", func(t *testing.T) {
		for _, q := range []string{"?Limit=x", "?Offset=-1", "?DateTStamp=yesterday"} {
			if a := f.od(t, http.MethodGet, "/patients"+q, nil); a.status != http.StatusBadRequest {
				t.Errorf("GET %s = %d, want 400", q, a.status)
			}
		}
	})
}

func TestOpenDentalPatientUpdateAndChangedSince(t *testing.T) {
	f := newFixture(t)
	f.clock.Advance(time.Hour)
	a := f.od(t, http.MethodPut, "/patients/5", map[string]any{"WirelessPhone": "503-555-0999", "City": "Salem"})
	var p OpenDentalPatient
	a.decode(t, &p)
	if a.status != http.StatusOK || p.WirelessPhone != "503-555-0999" || p.City != "Salem" {
		t.Fatalf("PUT = %d %+v, want the new phone and city", a.status, p)
	}
	if p.LName != "Evans" || p.Birthdate != "1968-05-09" {
		t.Errorf("PUT changed fields it was not given: %+v", p)
	}
	if p.DateTStamp != "2026-03-02 08:30:00" {
		t.Errorf("DateTStamp = %q, want the time of the change", p.DateTStamp)
	}
	var changed []OpenDentalPatient
	f.od(t, http.MethodGet, "/patients?DateTStamp=2026-03-02%2008:00:00", nil).decode(t, &changed)
	if len(changed) != 1 || changed[0].PatNum != 5 || changed[0].ServerDateTime != "2026-03-02 08:30:00" {
		t.Errorf("changed since 08:00 = %+v, want only patient 5 with serverDateTime", changed)
	}
	for _, tt := range []struct {
		path string
		body any
		want int
	}{
		{"/patients/5", map[string]any{"LName": ""}, http.StatusBadRequest},
		{"/patients/5", map[string]any{"Birthdate": "tomorrow"}, http.StatusBadRequest},
		{"/patients/404", map[string]any{"City": "Bend"}, http.StatusNotFound},
	} {
		if a := f.od(t, http.MethodPut, tt.path, tt.body); a.status != tt.want {
			t.Errorf("PUT %s %v = %d, want %d", tt.path, tt.body, a.status, tt.want)
		}
	}
}
