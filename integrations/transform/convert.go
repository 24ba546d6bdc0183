package transform

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// maxRepeat bounds repeat's output so a stray value cannot allocate
// without limit.
const maxRepeat = 10000

// toInt turns numbers, numeric strings and booleans (1/0) into an int64.
// A fraction is refused rather than silently cut. nil and blank strings
// become nil (absent).
func toInt(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if b, ok := v.(bool); ok {
		if b {
			return int64(1), nil
		}
		return int64(0), nil
	}
	if n, ok := Integer(v); ok {
		return n, nil
	}
	if s, ok := v.(string); ok {
		s = strings.TrimSpace(s)
		if s == "" {
			return nil, nil
		}
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n, nil
		}
	}
	f, err := number(v)
	if err != nil {
		return nil, err
	}
	return wholeInt(v, f)
}

// wholeInt checks that f is a whole number that fits an int64.
func wholeInt(v any, f float64) (int64, error) {
	if f != math.Trunc(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%s is not a whole number", quote(v))
	}
	if f < math.MinInt64 || f >= math.MaxInt64 {
		return 0, fmt.Errorf("%s is out of range", quote(v))
	}
	return int64(f), nil
}

// number reads a number or a numeric string as a float64.
func number(v any) (float64, error) {
	switch x := v.(type) {
	case float64:
		return x, nil
	case float32:
		return float64(x), nil
	case json.Number:
		return parseNumber(v, x.String())
	case string:
		return parseNumber(v, strings.TrimSpace(x))
	}
	if n, ok := Integer(v); ok {
		return float64(n), nil
	}
	if n, ok := v.(uint64); ok {
		return float64(n), nil
	}
	return 0, fmt.Errorf("%s is not a number", quote(v))
}

// parseNumber parses decimal text, refusing NaN, infinities and hex.
func parseNumber(v any, s string) (float64, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || strings.ContainsAny(s, "xXnN") {
		return 0, fmt.Errorf("%s is not a number", quote(v))
	}
	return f, nil
}

// toBool reads booleans, numbers (0 is false) and the usual words
// (true/false, yes/no, y/n, on/off, t/f, 1/0, any case). nil and blank
// strings become nil (absent).
func toBool(v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case bool:
		return x, nil
	case string:
		return wordBool(x)
	}
	f, err := number(v)
	if err != nil {
		return nil, fmt.Errorf("%s is not a boolean", quote(v))
	}
	return f != 0, nil
}

// wordBool implements toBool for strings.
func wordBool(s string) (any, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return nil, nil
	case "true", "t", "yes", "y", "on", "1":
		return true, nil
	case "false", "f", "no", "n", "off", "0":
		return false, nil
	}
	return nil, fmt.Errorf("%s is not a boolean", quote(s))
}

// buildRepeat compiles "<char>:<unit>": a value of N becomes the text
// repeated ceil(N/unit) times, so 30 with "X:5" is "XXXXXX" (Open Dental's
// appointment Pattern, one character per 5 minutes). The last ":" splits
// the argument, so the text may itself be ":".
func buildRepeat(arg string, hasArg bool) (fn, error) {
	i := strings.LastIndex(arg, ":")
	if !hasArg || i <= 0 {
		return nil, errors.New("needs a character and a unit, e.g. repeat:X:5")
	}
	text, unitText := arg[:i], strings.TrimSpace(arg[i+1:])
	unit, err := strconv.Atoi(unitText)
	if err != nil || unit < 1 {
		return nil, fmt.Errorf("unit %q must be a whole number of at least 1", unitText)
	}
	return func(v any) (any, error) {
		if v == nil || v == "" {
			return v, nil
		}
		f, err := number(v)
		if err != nil {
			return nil, err
		}
		if f < 0 {
			return nil, fmt.Errorf("%s is negative", quote(v))
		}
		count := math.Ceil(f / float64(unit))
		if count > maxRepeat {
			return nil, fmt.Errorf("%s would repeat %q more than %d times", quote(v), text, maxRepeat)
		}
		return strings.Repeat(text, int(count)), nil
	}, nil
}
