package handlers

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/models"
)

// FuzzSafeNext checks the login's next parameter: whatever it is given, the
// redirect it keeps is a path of this site, also as a browser reads it (a
// browser drops tabs and line breaks from a URL and reads \ as /).
func FuzzSafeNext(f *testing.F) {
	for _, seed := range []string{"", "/", "/integrations/3?tab=logs", "//evil.example", "/\\evil.example", "/\t/evil.example", "/\n/evil.example",
		"https://evil.example", "javascript:alert(1)", "/%2F/evil.example", " /x", "/ /evil.example"} {
		f.Add(seed)
	}
	base, _ := url.Parse("https://switchboard.example/login")
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		if got != "/" && got != next {
			t.Fatalf("safeNext(%q) = %q, neither the input nor /", next, got)
		}
		browser := strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/").Replace(got)
		if !strings.HasPrefix(browser, "/") || strings.HasPrefix(browser, "//") {
			t.Fatalf("safeNext(%q) = %q, which a browser reads as %q: not a local path", next, got, browser)
		}
		if u, err := base.Parse(browser); err == nil && u.Host != base.Host {
			t.Fatalf("safeNext(%q) = %q leads to host %q", next, got, u.Host)
		}
	})
}

// FuzzBearerToken checks the Authorization header parser: the token it
// finds is the header's rest after "Bearer ", trimmed, and a header that
// is not a bearer one gives none.
func FuzzBearerToken(f *testing.F) {
	for _, seed := range []string{"Bearer sbk_0123456789abcdef", "bearer  sbk_x ", "BEARER\tx", "Basic dTpw", "Bearer", "Bearer ", "Bearersbk_x", ""} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, h string) {
		r := httptest.NewRequest(http.MethodGet, "/api/x", nil)
		r.Header["Authorization"] = []string{h}
		got := bearerToken(r)
		if got != strings.TrimSpace(got) {
			t.Fatalf("bearerToken(%q) = %q, not trimmed", h, got)
		}
		isBearer := len(h) > 7 && strings.EqualFold(h[:7], "bearer ")
		if !isBearer && got != "" {
			t.Fatalf("bearerToken(%q) = %q from a header that is not a bearer one", h, got)
		}
		if isBearer && got != strings.TrimSpace(h[7:]) {
			t.Fatalf("bearerToken(%q) = %q, want %q", h, got, strings.TrimSpace(h[7:]))
		}
	})
}

// decodeBody runs decodeJSON over body as a request would.
func decodeBody(body string, v any) error {
	req := httptest.NewRequest(http.MethodPost, "/api/patients", strings.NewReader(body))
	req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	return decodeJSON(echo.New().NewContext(req, httptest.NewRecorder()), v)
}

// FuzzDecodeJSON checks the JSON body decoder: it accepts exactly one JSON
// value and nothing after it, and a refusal is a 400 whose field errors
// name a field.
func FuzzDecodeJSON(f *testing.F) {
	for _, seed := range []string{`{"first_name":"Ann","last_name":"Bo"}`, `{"first_name":1}`, `{"nickname":"x"}`, `{}`, ``, `{} {}`, `{}}`, `{}]`, `[]`,
		`{"first_name":"a"`, `null`, `"x"`, `{"email":"a@b.example","birthdate":"2020-02-30"}`} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		var in patientIn
		err := decodeBody(body, &in)
		if err == nil {
			if !json.Valid([]byte(body)) {
				t.Fatalf("accepted %q, which is not one JSON value", body)
			}
			return
		}
		var e *apperr.Error
		if !errors.As(err, &e) || (e.Code != apperr.CodeInvalidRequest && e.Code != codePayloadTooLarge) {
			t.Fatalf("refused %q with %v, want invalid_request", body, err)
		}
		for _, fe := range e.Fields {
			if fe.Field == "" || fe.Message == "" {
				t.Fatalf("refused %q with a field error %+v that names nothing", body, fe)
			}
		}
	})
}

// FuzzAppointmentTimes checks the record time parser of POST and PATCH
// /api/appointments: a refusal names its fields; an accepted appointment
// ends after it starts and lasts its duration_minutes (whole minutes), 1 to
// 1440 of them (the limit duration_minutes itself has).
func FuzzAppointmentTimes(f *testing.F) {
	f.Add("2026-03-04T09:30:00-05:00", "", 30, true)
	f.Add("2026-03-04T09:30:00Z", "2026-03-04T10:15:00Z", 0, false)
	f.Add("2026-03-04T09:30:00Z", "2026-03-04T09:30:30Z", 0, false)
	f.Add("2026-03-04T09:30:00Z", "2026-03-09T09:30:00Z", 0, false)
	f.Add("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", 0, false)
	f.Add("2026-03-04T09:30", "2026-03-04 10:00:00", 1441, true)
	fields := []string{"patient_id", "start", "end", "duration_minutes", "status"}
	f.Fuzz(func(t *testing.T, start, end string, minutes int, withDuration bool) {
		patient := int64(7)
		in := appointmentIn{PatientID: &patient, Start: &start}
		if end != "" {
			in.End = &end
		}
		if withDuration {
			in.DurationMinutes = &minutes
		}
		var a models.Appointment
		err := in.apply(&a, true)
		if err != nil {
			var e *apperr.Error
			if !errors.As(err, &e) || e.Code != apperr.CodeValidationFailed || len(e.Fields) == 0 {
				t.Fatalf("refusal is not a validation error naming fields: %v", err)
			}
			for _, fe := range e.Fields {
				if !slices.Contains(fields, fe.Field) {
					t.Fatalf("refusal names %q", fe.Field)
				}
			}
			return
		}
		if a.DurationMinutes < 1 || a.DurationMinutes > 24*60 || !a.End.After(a.Start) ||
			int(a.End.Sub(a.Start)/time.Minute) != a.DurationMinutes {
			t.Fatalf("accepted %s to %s lasting %d minutes", a.Start, a.End, a.DurationMinutes)
		}
	})
}
