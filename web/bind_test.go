package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
)

// fuzzBody is a JSON body with the shape of a record request.
type fuzzBody struct {
	FirstName *string `json:"first_name"`
	LastName  *string `json:"last_name"`
	Birthdate *string `json:"birthdate"`
	Phone     *string `json:"phone"`
	Email     *string `json:"email"`
}

// decodeBody runs DecodeJSON over body as a request would.
func decodeBody(body string, v any) error {
	req := httptest.NewRequest(http.MethodPost, "/api/patients", strings.NewReader(body))
	req.Header.Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	return DecodeJSON(echo.New().NewContext(req, httptest.NewRecorder()), v)
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
		var in fuzzBody
		err := decodeBody(body, &in)
		if err == nil {
			if !json.Valid([]byte(body)) {
				t.Fatalf("accepted %q, which is not one JSON value", body)
			}
			return
		}
		var e *apperr.Error
		if !errors.As(err, &e) || (e.Code != apperr.CodeInvalidRequest && e.Code != CodePayloadTooLarge) {
			t.Fatalf("refused %q with %v, want invalid_request", body, err)
		}
		for _, fe := range e.Fields {
			if fe.Field == "" || fe.Message == "" {
				t.Fatalf("refused %q with a field error %+v that names nothing", body, fe)
			}
		}
	})
}
