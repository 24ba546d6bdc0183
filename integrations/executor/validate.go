package executor

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/integrations/transform"
)

// validate checks mapped parameters against the endpoint's: each must be
// declared, of its type (numeric and boolean strings are converted), among
// its enum when it has one; required ones must be present and path values
// must not be empty. It returns the converted values and every problem.
func (c *call) validate(params map[string]any, origin map[string]string) (map[string]any, []apperr.FieldError) {
	fn := c.ep.Endpoint.Function
	out := make(map[string]any, len(params))
	var problems []apperr.FieldError
	for _, name := range slices.Sorted(maps.Keys(params)) {
		field := origin[name]
		if field == "" {
			field = name
		}
		p, ok := c.ep.Params[name]
		if !ok {
			problems = append(problems, apperr.FieldError{Field: field, Message: "is not a parameter of " + fn})
			continue
		}
		v, err := coerce(params[name], p.Type)
		if err == nil {
			err = checkValue(p, v)
		}
		if err != nil {
			problems = append(problems, apperr.FieldError{Field: field, Message: err.Error()})
			continue
		}
		out[name] = v
	}
	for _, p := range c.ep.Endpoint.Params {
		if _, given := params[p.Name]; p.Required && !given {
			problems = append(problems, apperr.FieldError{Field: c.displayName(p.Name), Message: "is required"})
		}
	}
	return out, problems
}

// checkValue applies the rules beyond the type: a non-empty path value and
// the enum.
func checkValue(p *definition.Param, v any) error {
	if p.In == definition.InPath {
		if s, _ := scalarText(v); s == "" {
			return errors.New("must not be empty")
		}
	}
	if len(p.Enum) == 0 {
		return nil
	}
	text, _ := scalarText(v)
	allowed := make([]string, 0, len(p.Enum))
	for _, e := range p.Enum {
		s, _ := scalarText(e)
		if s == text {
			return nil
		}
		allowed = append(allowed, s)
	}
	return fmt.Errorf("must be one of %s", strings.Join(allowed, ", "))
}

// coerce checks v against a parameter type, converting what converts
// without loss: numeric strings to numbers, "true"/"false" to booleans,
// numbers and booleans to strings.
func coerce(v any, typ string) (any, error) {
	switch typ {
	case definition.TypeInteger:
		return toInteger(v)
	case definition.TypeNumber:
		return toNumber(v)
	case definition.TypeBoolean:
		return toBoolean(v)
	case definition.TypeArray:
		return toArray(v)
	case definition.TypeObject:
		if m, ok := v.(map[string]any); ok {
			return m, nil
		}
		return nil, errors.New("must be an object")
	}
	if s, ok := scalarText(v); ok {
		return s, nil
	}
	return nil, errors.New("must be a string")
}

// toInteger accepts whole numbers and numeric strings.
func toInteger(v any) (any, error) {
	bad := errors.New("must be an integer")
	var f float64
	switch x := v.(type) {
	case string:
		s := strings.TrimSpace(x)
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n, nil
		}
		var err error
		if f, err = strconv.ParseFloat(s, 64); err != nil {
			return nil, bad
		}
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n, nil
		}
		var err error
		if f, err = x.Float64(); err != nil {
			return nil, bad
		}
	case float64:
		f = x
	case float32:
		f = float64(x)
	default:
		if n, ok := transform.Integer(v); ok {
			return n, nil
		}
		return nil, bad
	}
	if f != math.Trunc(f) || math.IsInf(f, 0) || math.IsNaN(f) || math.Abs(f) > 1<<53 {
		return nil, bad
	}
	return int64(f), nil
}

// toNumber accepts numbers and numeric strings (kept exact as json.Number).
func toNumber(v any) (any, error) {
	bad := errors.New("must be a number")
	switch x := v.(type) {
	case string:
		s := strings.TrimSpace(x)
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || !json.Valid([]byte(s)) {
			return nil, bad
		}
		return json.Number(s), nil
	case json.Number:
		return x, nil
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return nil, bad
		}
		return x, nil
	case float32:
		return float64(x), nil
	}
	if n, ok := transform.Integer(v); ok {
		return n, nil
	}
	return nil, bad
}

// toBoolean accepts booleans and "true"/"false" (any case), "1"/"0".
func toBoolean(v any) (any, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case string:
		if b, err := strconv.ParseBool(strings.TrimSpace(x)); err == nil {
			return b, nil
		}
	}
	return nil, errors.New("must be true or false")
}

// toArray accepts any slice, as []any.
func toArray(v any) (any, error) {
	if a, ok := v.([]any); ok {
		return a, nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice || rv.Type().Elem().Kind() == reflect.Uint8 {
		return nil, errors.New("must be an array")
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, nil
}

// scalarText returns the text of a string, boolean or number.
func scalarText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case bool:
		return strconv.FormatBool(x), true
	case json.Number:
		return x.String(), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32), true
	}
	if n, ok := transform.Integer(v); ok {
		return strconv.FormatInt(n, 10), true
	}
	return "", false
}

// valueText is scalarText, with arrays and objects written as JSON and nil
// as "".
func valueText(v any) string {
	if v == nil {
		return ""
	}
	if s, ok := scalarText(v); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
