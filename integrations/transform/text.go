package transform

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// upper upper-cases strings; other values pass through.
func upper(v any) (any, error) { return onString(v, strings.ToUpper), nil }

// lower lower-cases strings; other values pass through.
func lower(v any) (any, error) { return onString(v, strings.ToLower), nil }

// trim removes leading and trailing white space from strings.
func trim(v any) (any, error) { return onString(v, strings.TrimSpace), nil }

// title capitalises each word and lower-cases the rest ("mary-jane SMITH"
// becomes "Mary-Jane Smith"), which is what names copied from a
// shouting form need. An apostrophe does not start a word ("Don't").
func title(v any) (any, error) { return onString(v, titleCase), nil }

// onString applies f when v is a string and returns v unchanged otherwise.
func onString(v any, f func(string) string) any {
	if s, ok := v.(string); ok {
		return f(s)
	}
	return v
}

// titleCase implements title.
func titleCase(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	startOfWord := true
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if startOfWord {
				b.WriteRune(unicode.ToTitle(r))
			} else {
				b.WriteRune(unicode.ToLower(r))
			}
			startOfWord = false
		case r == '\'' || r == '’':
			b.WriteRune(r)
		default:
			b.WriteRune(r)
			startOfWord = true
		}
	}
	return b.String()
}

// toStringValue renders scalars as text (numbers without exponent or
// trailing zeros, booleans as "true"/"false") and objects and arrays as
// JSON. nil stays nil: an absent value is not the empty string.
func toStringValue(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if s, ok := scalarText(v); ok {
		return s, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("cannot turn a %T into text", v)
	}
	return string(b), nil
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
		return formatFloat(x), true
	case float32:
		return formatFloat(float64(x)), true
	}
	if n, ok := Integer(v); ok {
		return strconv.FormatInt(n, 10), true
	}
	if n, ok := v.(uint64); ok {
		return strconv.FormatUint(n, 10), true
	}
	return "", false
}

// formatFloat writes a float without exponent; whole numbers have no
// fraction ("30", not "30.0" or "3e+01").
func formatFloat(f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// Integer returns the value of Go's integer types (an unsigned one only
// when it fits an int64).
func Integer(v any) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true
	case int8:
		return int64(x), true
	case int16:
		return int64(x), true
	case int32:
		return int64(x), true
	case int64:
		return x, true
	case uint:
		if uint64(x) <= math.MaxInt64 {
			return int64(x), true
		}
	case uint8:
		return int64(x), true
	case uint16:
		return int64(x), true
	case uint32:
		return int64(x), true
	case uint64:
		if x <= math.MaxInt64 {
			return int64(x), true
		}
	}
	return 0, false
}

// quote shortens a value for an error message.
func quote(v any) string {
	s, ok := scalarText(v)
	if !ok {
		return fmt.Sprintf("a %T", v)
	}
	if _, isString := v.(string); !isString {
		return s
	}
	const limit = 40
	if len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return strconv.Quote(s)
}
