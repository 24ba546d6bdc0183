package traces

import (
	"encoding/json"
	"regexp"
	"strings"
	"unicode/utf8"
)

// MaxExcerpt is how many bytes of a trace's input or output are kept.
const MaxExcerpt = 2000

// Redacted replaces a credential, Card a card-like number.
const (
	Redacted = "[redacted]"
	Card     = "[card]"
)

// secretKeys end the JSON keys whose values are credentials wherever they
// appear (compared in lower case, without '-' and '_').
var secretKeys = []string{"apikey", "secret", "secretkey", "password", "passwd", "token", "accesstoken",
	"refreshtoken", "authorization", "clientsecret", "privatekey", "cookie", "cvv", "cvc"}

var (
	// tokenPattern finds credentials written inline: bearer and basic
	// values, vendor keys (sk-…, pk-…, rk-…, key_…, xox…-, ghp_…, AKIA…)
	// and long JWT-like runs.
	tokenPattern = regexp.MustCompile(`(?i)\b(?:bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}|` +
		`\b(?:sk|pk|rk)-[A-Za-z0-9-]{6,}|\bkey_[A-Za-z0-9]{8,}|\bxox[abp]-[A-Za-z0-9-]{8,}|\bghp_[A-Za-z0-9]{20,}|` +
		`\bAKIA[0-9A-Z]{16}\b|\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{5,}`)
	// keyValuePattern finds "password=…", "api_key: …" in free text.
	keyValuePattern = regexp.MustCompile(`(?i)\b(api[_-]?key|secret|password|passwd|token|authorization)(\s*[:=]\s*)("?)[^\s",;&]{3,}`)
	// cardPattern finds runs of 13 to 19 digits, spaces or dashes between
	// groups allowed; Luhn decides which are card numbers.
	cardPattern = regexp.MustCompile(`\b\d(?:[ -]?\d){12,18}\b`)
)

// RedactText hides credentials and card-like numbers (those passing the
// Luhn check) in free text.
func RedactText(s string) string {
	s = tokenPattern.ReplaceAllString(s, Redacted)
	s = keyValuePattern.ReplaceAllString(s, "${1}${2}${3}"+Redacted)
	return cardPattern.ReplaceAllStringFunc(s, func(m string) string {
		if luhn(m) {
			return Card
		}
		return m
	})
}

// luhn reports whether the digits of s pass the Luhn check.
func luhn(s string) bool {
	sum, n := 0, 0
	for i := len(s) - 1; i >= 0; i-- {
		c := s[i]
		if c < '0' || c > '9' {
			continue
		}
		d := int(c - '0')
		if n%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		n++
	}
	return n >= 13 && sum%10 == 0
}

// redactTree hides the values of credential keys in a decoded JSON value
// and redacts every string in it.
func redactTree(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			if isSecretKey(k) {
				out[k] = Redacted
				continue
			}
			out[k] = redactTree(val)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = redactTree(val)
		}
		return out
	case string:
		return RedactText(x)
	default:
		return v
	}
}

func isSecretKey(k string) bool {
	k = strings.NewReplacer("-", "", "_", "").Replace(strings.ToLower(k))
	for _, s := range secretKeys {
		if strings.HasSuffix(k, s) {
			return true
		}
	}
	return false
}

// Excerpt is a trace's input or output as stored: plain text as it is, any
// other value as JSON, redacted and cut to MaxExcerpt bytes (on a
// character boundary, "…" marking the cut).
func Excerpt(v any) string {
	if v == nil {
		return ""
	}
	var s string
	if text, ok := v.(string); ok {
		s = RedactText(text)
	} else {
		b, err := json.Marshal(redactTree(v))
		if err != nil {
			return ""
		}
		s = string(b)
	}
	s = strings.ToValidUTF8(s, "")
	if len(s) <= MaxExcerpt {
		return s
	}
	cut := MaxExcerpt
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
