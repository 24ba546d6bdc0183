package transform

import (
	"errors"
	"fmt"
	"strings"
)

// maxE164Digits is the longest number E.164 allows.
const maxE164Digits = 15

// cleanPhone keeps the ASCII digits of a phone number and drops the US
// country code from an 11-digit number starting with 1, so
// "+1 (555) 123-4567" becomes "5551234567". Numbers are read as their
// decimal text; nil passes through.
func cleanPhone(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	text, err := phoneText(v)
	if err != nil {
		return nil, err
	}
	return nationalDigits(digits(text)), nil
}

// e164 writes a phone number as E.164: a 10-digit US number (or 11 digits
// starting with 1) becomes "+1XXXXXXXXXX"; a number written with a leading
// "+" keeps its country code. Anything else cannot be made E.164 without
// guessing and is an error. nil and "" pass through.
func e164(v any) (any, error) {
	if v == nil || v == "" {
		return v, nil
	}
	text, err := phoneText(v)
	if err != nil {
		return nil, err
	}
	d := digits(text)
	switch {
	case strings.HasPrefix(strings.TrimSpace(text), "+"):
		if len(d) < 2 || len(d) > maxE164Digits || d[0] == '0' {
			return nil, fmt.Errorf("%s is not an international number", quote(v))
		}
		return "+" + d, nil
	case len(d) == 10:
		return "+1" + d, nil
	case len(d) == 11 && d[0] == '1':
		return "+" + d, nil
	}
	return nil, errors.New(quote(v) + " is neither a 10-digit US number nor written with a + and country code")
}

// phoneText returns the text of a string or a number.
func phoneText(v any) (string, error) {
	text, ok := scalarText(v)
	if _, isBool := v.(bool); !ok || isBool {
		return "", fmt.Errorf("%s is not a phone number", quote(v))
	}
	return text, nil
}

// digits returns the ASCII digits of s.
func digits(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// nationalDigits drops the leading 1 of an 11-digit US number.
func nationalDigits(d string) string {
	if len(d) == 11 && d[0] == '1' {
		return d[1:]
	}
	return d
}
