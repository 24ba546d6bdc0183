package web

import (
	"slices"

	"switchboard/apperr"
	"switchboard/nulbyte"
)

// nulMessage is what every refusal of a NUL byte says about the field.
const nulMessage = "must not contain a NUL byte"

// NULRefusal is the error naming the field that holds a NUL byte.
func NULRefusal(code, field string) error {
	return &apperr.Error{Code: code, Message: "field " + field + " " + nulMessage,
		Fields: []apperr.FieldError{{Field: field, Message: nulMessage}}}
}

// RefuseNULIn checks a decoded JSON value (any) for NUL bytes: 422 naming
// its JSON path.
func RefuseNULIn(v any) error {
	if p, ok := nulbyte.Find(v); ok {
		field := p.Dot()
		if field == "" {
			field = "(body)"
		}
		return NULRefusal(apperr.CodeValidationFailed, field)
	}
	return nil
}

// NULField returns the first field (in name order) whose name or one of
// whose values holds a NUL byte.
func NULField(values map[string][]string) (string, bool) {
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
