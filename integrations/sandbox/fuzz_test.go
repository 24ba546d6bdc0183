package sandbox

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// FuzzReadC9Request checks the Cloud9 request parser: parameters are
// keyed by lower-cased names and trimmed, and GUIDs normalise once.
func FuzzReadC9Request(f *testing.F) {
	f.Add([]byte(`<?xml version="1.0"?><GetDataRequest xmlns="http://schemas.practica.ws/cloud9/partners/"><ClientID>c</ClientID><UserName>u</UserName>` +
		`<Password>p</Password><Procedure>GetPatientInformation</Procedure><Parameters><patGUID> {ABC-def} </patGUID><PatGuid>x</PatGuid></Parameters></GetDataRequest>`))
	f.Add([]byte(`<GetDataRequest><Procedure>SetAppointment</Procedure><Parameters><StartTime>3/4/2026 9:30 AM</StartTime><Notes>a &amp; b</Notes></Parameters></GetDataRequest>`))
	f.Add([]byte(`<Other/>`))
	f.Add([]byte(`<GetDataRequest><Parameters><a:b xmlns:a="urn:x">1</a:b></Parameters>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest(http.MethodPost, "/cloud9/GetData.ashx", bytes.NewReader(body))
		_, params, err := readC9Request(r)
		if err != nil {
			return
		}
		for k, v := range params {
			if k != strings.ToLower(k) || v != strings.TrimSpace(v) {
				t.Fatalf("parameter %q = %q: name not lower-cased or value not trimmed", k, v)
			}
			if g := guidKey(v); guidKey(g) != g {
				t.Fatalf("guidKey(%q) = %q is not stable", v, g)
			}
		}
	})
}

// FuzzReadODBody checks the Open Dental body parser: field names match
// without regard to case, text fields come back trimmed, and a number it
// reads is the field's text.
func FuzzReadODBody(f *testing.F) {
	for _, seed := range []string{`{"PatNum": 12, "LName": " Bo ", "FName": "Ann", "Birthdate": "1990-02-03"}`, `{"AptNum":"7","Note":null,"Op":[1]}`,
		`{"PatNum": 1e3, "x": true}`, ``, `[]`, `{"a":1}{"b":2}`, `{"PATNUM": "-9223372036854775809"}`} {
		f.Add([]byte(seed), "PatNum")
	}
	f.Fuzz(func(t *testing.T, body []byte, name string) {
		r := httptest.NewRequest(http.MethodPost, "/opendental/api/v1/patients", bytes.NewReader(body))
		b, msg := readODBody(r)
		if msg != "" {
			return
		}
		if b.has(name) != b.has(strings.ToUpper(name)) {
			t.Fatalf("field %q is found in one case only", name)
		}
		s, ok, errMsg := b.str(name)
		if errMsg == "" && ok && s != strings.TrimSpace(s) && strings.HasPrefix(string(bytes.TrimSpace(b[strings.ToLower(name)])), `"`) {
			t.Fatalf("field %q = %q, not trimmed", name, s)
		}
		if n, ok, errMsg := b.num(name); ok && errMsg == "" && s != "" && n == 0 && strings.Trim(s, "+-0") != "" {
			t.Fatalf("field %q = %q read as the number 0", name, s)
		}
	})
}

// FuzzParseC9Time checks the Cloud9 date-time parser: what it reads is
// wall-clock time in the practice's zone, and the formats the sandbox
// writes read back to the same instant.
func FuzzParseC9Time(f *testing.F) {
	for _, seed := range []string{"3/4/2026 9:30:00 AM", "03/04/2026 09:30 pm", "3/4/2026 21:30", "3/4/2026", "2026-03-04T09:30:00-06:00", "2026-03-04 09:30:00",
		"3/8/2026 2:30 AM", "13/45/2026", "", " 3/4/2026 "} {
		f.Add(seed)
	}
	loc, err := time.LoadLocation("America/Chicago")
	if err != nil {
		f.Skip("no time zone data")
	}
	f.Fuzz(func(t *testing.T, v string) {
		ts, ok := parseC9Time(v, loc)
		if !ok {
			return
		}
		if ts.Location() != loc {
			t.Fatalf("parseC9Time(%q) in %v, want %v", v, ts.Location(), loc)
		}
		_, off := ts.Zone()
		_, before := ts.Add(-time.Hour).Zone()
		_, after := ts.Add(time.Hour).Zone()
		if off != before || off != after || ts.Nanosecond() != 0 {
			return // a wall clock names two instants near a change of offset
		}
		back, ok := parseC9Time(ts.Format(c9DateTimeLayout), loc)
		if !ok || !back.Equal(ts) {
			t.Fatalf("parseC9Time(%q) = %v, written as %q, reads back as %v (%v)", v, ts, ts.Format(c9DateTimeLayout), back, ok)
		}
	})
}
