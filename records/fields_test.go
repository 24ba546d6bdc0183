package records_test

import (
	"strings"
	"testing"

	"switchboard/models"
	"switchboard/records"
	"switchboard/testsupport"
)

// TestEveryTextFieldHasALength: a field added to a table without one
// would take 100 KB again (gender, city, state and postal code did).
func TestEveryTextFieldHasALength(t *testing.T) {
	for _, f := range models.PatientFields {
		if f.Text != nil && f.Max <= 0 {
			t.Errorf("patient field %s has no length", f.Name)
		}
	}
	for _, f := range models.AppointmentFields {
		if f.Text != nil && f.Max <= 0 {
			t.Errorf("appointment field %s has no length", f.Name)
		}
	}
}

// TestLongValuesAndControlCharactersAreRefused: 100 KB in gender, city,
// state and postal code, and ANSI escapes or line breaks in a name, are
// refused naming each field, and nothing is saved; notes keep their line
// breaks and tabs.
func TestLongValuesAndControlCharactersAreRefused(t *testing.T) {
	testsupport.ForEachBackend(t, func(t *testing.T, dbURL string) {
		f := newFixture(t, dbURL)
		huge := strings.Repeat("x", 100<<10)
		_, _, err := f.svc.CreatePatient(f.ctx, f.org, records.Values{"first_name": "\x1b[31mEve", "last_name": "Doe\nSmith",
			"gender": huge, "city": huge, "state": huge, "postal_code": huge, "email": strings.Repeat("a", 250) + "@example.test"}, nil)
		bad := testsupport.Problems(t, err)
		for field, msg := range map[string]string{
			"first_name":  "must not contain control characters (line breaks, tabs, escape sequences)",
			"last_name":   "must not contain control characters (line breaks, tabs, escape sequences)",
			"gender":      "must be at most 32 characters",
			"city":        "must be at most 100 characters",
			"state":       "must be at most 64 characters",
			"postal_code": "must be at most 16 characters",
			"email":       "must be at most 254 characters",
		} {
			if bad[field] != msg {
				t.Errorf("%s: %q, want %q", field, bad[field], msg)
			}
		}
		if ps, err := f.svc.Patients(f.ctx, f.org, models.PatientFilter{}); err != nil || len(ps) != 0 {
			t.Fatalf("patients after the refusal = %d %v, want none", len(ps), err)
		}
		// Lengths count characters, not bytes.
		p, _, err := f.svc.CreatePatient(f.ctx, f.org, records.Values{"first_name": strings.Repeat("é", 100), "last_name": "Ok", "city": "Zürich"}, nil)
		if err != nil {
			t.Fatalf("100 two-byte characters: %v", err)
		}
		base := records.Values{"patient_id": itoa(p.ID), "start": "2030-03-04T09:30:00-05:00", "duration_minutes": "30"}
		with := func(k, v string) records.Values {
			in := records.Values{k: v}
			for bk, bv := range base {
				in[bk] = bv
			}
			return in
		}
		_, _, err = f.svc.CreateAppointment(f.ctx, f.org, with("provider_ref", huge), nil)
		if got := testsupport.Problems(t, err)["provider_ref"]; got != "must be at most 100 characters" {
			t.Errorf("a 100 KB provider_ref: %q", got)
		}
		_, _, err = f.svc.CreateAppointment(f.ctx, f.org, with("notes", "see \x1b]8;;http://evil\x07here"), nil)
		if got := testsupport.Problems(t, err)["notes"]; got != "must not contain control characters other than line breaks and tabs" {
			t.Errorf("an escape sequence in notes: %q", got)
		}
		a, _, err := f.svc.CreateAppointment(f.ctx, f.org, with("notes", "line one\r\nline two\ttabbed"), nil)
		if err != nil || a.Notes != "line one\r\nline two\ttabbed" {
			t.Fatalf("notes with line breaks = %+v %v", a, err)
		}
	})
}
