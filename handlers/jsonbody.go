package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
)

// decodeJSON reads a JSON body into v, refusing unknown fields (400 naming
// the field), trailing data, bodies over the limit and NUL bytes in any
// string or key (422 naming its JSON path).
func decodeJSON(c echo.Context, v any) error {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return jsonError(err)
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	// More() says nothing of a stray "}" or "]" after the value: ask for
	// the next token, which must be the end of the body.
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return apperr.New(apperr.CodeInvalidRequest, "the body holds more than one JSON value")
	}
	return refuseNULInJSON(body)
}

// refuseNULInJSON refuses a JSON text whose strings or keys hold a NUL
// byte. JSON can only write one as the escape \u0000, so texts without it
// are not walked.
func refuseNULInJSON(body []byte) error {
	if !bytes.Contains(body, []byte(`\u0000`)) {
		return nil
	}
	var tree any
	if err := json.Unmarshal(body, &tree); err != nil {
		return jsonError(err)
	}
	return refuseNULIn(tree)
}

// jsonError turns a decoding error into a 400 that says what is wrong.
func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tooLarge interface{ Error() string }
	switch {
	case errors.Is(err, io.EOF):
		return apperr.New(apperr.CodeInvalidRequest, "the request body is empty: send a JSON object")
	case errors.As(err, &syn):
		return apperr.New(apperr.CodeInvalidRequest, "the body is not valid JSON (at byte %d): %s", syn.Offset, syn.Error())
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "(body)"
		}
		return &apperr.Error{Code: apperr.CodeInvalidRequest, Message: fmt.Sprintf("field %s must be %s, not %s", field, typ.Type, typ.Value),
			Fields: []apperr.FieldError{{Field: field, Message: "must be " + typ.Type.String()}}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := unknownFieldName(err)
		return &apperr.Error{Code: apperr.CodeInvalidRequest, Message: fmt.Sprintf("unknown field %q", name),
			Fields: []apperr.FieldError{{Field: name, Message: "is not a known field"}}}
	case errors.As(err, &tooLarge) && strings.Contains(err.Error(), "too large"):
		return apperr.New(codePayloadTooLarge, "the request body is too large")
	}
	return apperr.New(apperr.CodeInvalidRequest, "the body could not be read: %v", err)
}

// unknownFieldName reads the name out of encoding/json's "unknown field"
// error, which quotes it with %q. An empty name is written "" so that the
// field error still names something.
func unknownFieldName(err error) string {
	quoted := strings.TrimPrefix(err.Error(), "json: unknown field ")
	name, uerr := strconv.Unquote(quoted)
	if uerr != nil {
		name = strings.Trim(quoted, `"`)
	}
	if name == "" {
		return `""`
	}
	return name
}

// list is the envelope of every list answer: {"items": [...],
// "next_cursor": "…"}, the cursor empty on the last page.
type list[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}

func listOf[T any](items []T) list[T] {
	if items == nil {
		items = []T{}
	}
	return list[T]{Items: items}
}
