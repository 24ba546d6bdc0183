package handlers

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
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
		var in PatientRequest
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
