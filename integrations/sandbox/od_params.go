package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
)

const maxBody = 1 << 20

// odBody is a JSON object body with its keys lower-cased: Open Dental field
// names are matched without regard to case, and a field's absence is
// visible (a PUT leaves absent fields alone).
type odBody map[string]json.RawMessage

// readODBody parses the request body; an empty body is an empty object.
func readODBody(r *http.Request) (odBody, string) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil {
		return nil, "Could not read the request body."
	}
	if len(raw) > maxBody {
		return nil, "Request body is too large."
	}
	b := odBody{}
	if len(bytes.TrimSpace(raw)) == 0 {
		return b, ""
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, "Request body is not a valid JSON object."
	}
	for k, v := range m {
		b[strings.ToLower(k)] = v
	}
	return b, ""
}

func (b odBody) has(name string) bool {
	_, ok := b[strings.ToLower(name)]
	return ok
}

// str reads a text field; numbers and booleans are taken as their text and
// null as "". ok is false when the field is absent.
func (b odBody) str(name string) (v string, ok bool, errMsg string) {
	raw, ok := b[strings.ToLower(name)]
	if !ok {
		return "", false, ""
	}
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return "", true, ""
	case raw[0] == '"':
		if err := json.Unmarshal(raw, &v); err != nil {
			return "", true, name + " is invalid."
		}
		return strings.TrimSpace(v), true, ""
	case raw[0] == '{' || raw[0] == '[':
		return "", true, name + " must be a string."
	default:
		return string(raw), true, ""
	}
}

// num reads an integer field given as a JSON number or a numeric string.
func (b odBody) num(name string) (v int64, ok bool, errMsg string) {
	s, ok, msg := b.str(name)
	if !ok || msg != "" {
		return 0, ok, msg
	}
	if s == "" {
		return 0, true, ""
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, true, name + " must be a whole number."
	}
	return v, true, ""
}

// odQuery holds the query parameters, names lower-cased, first value each.
type odQuery map[string]string

func queryOf(r *http.Request) odQuery {
	q := odQuery{}
	for k, v := range r.URL.Query() {
		if len(v) > 0 {
			q[strings.ToLower(k)] = strings.TrimSpace(v[0])
		}
	}
	return q
}

func (q odQuery) get(name string) string { return q[strings.ToLower(name)] }

// num reads an optional integer parameter.
func (q odQuery) num(name string) (v int64, ok bool, errMsg string) {
	s := q.get(name)
	if s == "" {
		return 0, false, ""
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, true, name + " must be a whole number."
	}
	return v, true, ""
}

// page reads Limit and Offset: default and maximum Limit 100.
func (q odQuery) page() (limit, offset int, errMsg string) {
	limit = 100
	if v, ok, msg := q.num("Limit"); msg != "" {
		return 0, 0, msg
	} else if ok {
		if v < 0 {
			return 0, 0, "Limit must not be negative."
		}
		if v > 0 && v < 100 {
			limit = int(v)
		}
	}
	if v, ok, msg := q.num("Offset"); msg != "" {
		return 0, 0, msg
	} else if ok {
		if v < 0 {
			return 0, 0, "Offset must not be negative."
		}
		offset = int(min(v, 1<<31))
	}
	return limit, offset, ""
}

// pathNum reads an integer path value such as {PatNum}.
func pathNum(r *http.Request, name string) (int64, bool) {
	v, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	return v, err == nil && v > 0
}
