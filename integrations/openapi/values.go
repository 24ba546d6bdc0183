package openapi

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"switchboard/integrations/definition"
)

// fit converts a schema value (as kin-openapi decodes JSON: float64,
// string, bool, []any, map[string]any) into the definition's form
// (numbers as json.Number) and to the parameter type, converting a
// string that spells a number or boolean; ok is false when it cannot fit.
func fit(v any, typ string) (any, bool) {
	v = jsonValue(v)
	switch typ {
	case definition.TypeInteger:
		switch x := v.(type) {
		case json.Number:
			return x, isInteger(x)
		case string:
			n := json.Number(strings.TrimSpace(x))
			return n, isInteger(n)
		}
	case definition.TypeNumber:
		switch x := v.(type) {
		case json.Number:
			return x, true
		case string:
			f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
			return formatNumber(f), err == nil && !math.IsInf(f, 0) && !math.IsNaN(f)
		}
	case definition.TypeBoolean:
		switch x := v.(type) {
		case bool:
			return x, true
		case string:
			b, err := strconv.ParseBool(strings.TrimSpace(x))
			return b, err == nil
		}
	case definition.TypeString:
		switch x := v.(type) {
		case string:
			return x, true
		case json.Number:
			return string(x), true
		case bool:
			return strconv.FormatBool(x), true
		}
	case definition.TypeArray:
		_, ok := v.([]any)
		return v, ok
	case definition.TypeObject:
		_, ok := v.(map[string]any)
		return v, ok
	}
	return nil, false
}

// jsonValue turns the numbers in a decoded value into json.Number.
func jsonValue(v any) any {
	switch x := v.(type) {
	case float64:
		return formatNumber(x)
	case float32:
		return formatNumber(float64(x))
	case int:
		return json.Number(strconv.Itoa(x))
	case int64:
		return json.Number(strconv.FormatInt(x, 10))
	case uint64:
		return json.Number(strconv.FormatUint(x, 10))
	case []any:
		out := make([]any, len(x))
		for i, it := range x {
			out[i] = jsonValue(it)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, it := range x {
			out[k] = jsonValue(it)
		}
		return out
	}
	return v
}

// formatNumber writes a float as a JSON number, whole numbers without a
// fraction or exponent.
func formatNumber(f float64) json.Number {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return json.Number(strconv.FormatInt(int64(f), 10))
	}
	return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
}

// isInteger reports whether n is a whole number.
func isInteger(n json.Number) bool {
	if _, err := n.Int64(); err == nil {
		return true
	}
	f, err := n.Float64()
	return err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<63
}
