package handlers

import (
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/nulbyte"
)

// nulMessage is what every refusal of a NUL byte says about the field.
const nulMessage = "must not contain a NUL byte"

// refuseNULInput is the one input check for the text every route reads
// outside a JSON body: path parameters and the query (400), and url-encoded
// or multipart form fields (422), each refusal naming the field. JSON
// bodies are checked where they are decoded (decodeJSON, definition
// documents, webhooks), which knows the JSON path.
func refuseNULInput(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		for i, name := range c.ParamNames() {
			if v := c.ParamValues(); i < len(v) && nulbyte.In(v[i]) {
				return nulRefusal(apperr.CodeInvalidRequest, name)
			}
		}
		if name, ok := nulField(c.QueryParams()); ok {
			return nulRefusal(apperr.CodeInvalidRequest, name)
		}
		if hasForm(c) {
			form, err := c.FormParams()
			if err != nil {
				return next(c) // unreadable forms are the handler's to refuse
			}
			if name, ok := nulField(form); ok {
				return nulRefusal(apperr.CodeValidationFailed, name)
			}
		}
		return next(c)
	}
}

// hasForm reports a form body worth checking; import uploads are read (and
// size-limited) by their handler and checked as documents.
func hasForm(c echo.Context) bool {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	form := strings.HasPrefix(ct, echo.MIMEApplicationForm) || strings.HasPrefix(ct, echo.MIMEMultipartForm)
	return form && !isImportPath(c.Request().URL.Path)
}

// nulField returns the first field (in name order) whose name or one of
// whose values holds a NUL byte.
func nulField(values map[string][]string) (string, bool) {
	names := make([]string, 0, len(values))
	for k := range values {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if nulbyte.In(k) || slices.ContainsFunc(values[k], nulbyte.In) {
			return nulbyte.Path{k}.Dot(), true
		}
	}
	return "", false
}

// nulRefusal is the error naming the field that holds a NUL byte.
func nulRefusal(code, field string) error {
	return &apperr.Error{Code: code, Message: "field " + field + " " + nulMessage,
		Fields: []apperr.FieldError{{Field: field, Message: nulMessage}}}
}

// refuseNULIn checks a decoded JSON value (any) for NUL bytes: 422 naming
// its JSON path.
func refuseNULIn(v any) error {
	if p, ok := nulbyte.Find(v); ok {
		field := p.Dot()
		if field == "" {
			field = "(body)"
		}
		return nulRefusal(apperr.CodeValidationFailed, field)
	}
	return nil
}
