package web

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

// DecodeJSON reads a JSON body into v, refusing unknown fields (400 naming
// the field), trailing data, bodies over the limit and NUL bytes in any
// string or key (422 naming its JSON path). A field of v tagged
// `alias:"name"` is also read under that name (the original system's:
// functionName for function); both names at once is a 400, and v learns
// the aliases used when it is an AliasRecorder.
func DecodeJSON(c echo.Context, v any) error {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return JSONError(err)
	}
	if err := refuseNULInJSON(body); err != nil {
		return err
	}
	if aliases := aliasesOf(v); len(aliases) > 0 {
		var used []string
		if body, used, err = renameAliases(body, aliases); err != nil {
			return err
		}
		if r, ok := v.(AliasRecorder); ok && len(used) > 0 {
			r.RecordAliases(used)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return JSONError(err)
	}
	// More() says nothing of a stray "}" or "]" after the value: ask for
	// the next token, which must be the end of the body.
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return apperr.New(apperr.CodeInvalidRequest, "the body holds more than one JSON value")
	}
	return nil
}

// DecodeValidJSON reads a JSON body into v (see DecodeJSON) and checks its
// validate tags with the router's validator, the one forms use: a bad
// field answers 422 validation_failed naming it by its JSON name.
func DecodeValidJSON(c echo.Context, v any) error {
	if err := DecodeJSON(c, v); err != nil {
		return err
	}
	return c.Validate(v)
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
		return JSONError(err)
	}
	return RefuseNULIn(tree)
}

// JSONError turns a decoding error into a 400 that says what is wrong.
func JSONError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
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
	case strings.Contains(err.Error(), "too large"):
		return apperr.New(CodePayloadTooLarge, "the request body is too large")
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

// JSONEncoder is the encoder of every JSON answer written by hand: HTML
// is not escaped, since answers are not HTML.
func JSONEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}
