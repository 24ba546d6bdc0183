package openapi

import (
	"strconv"
	"strings"
)

// maxFunctionName is the longest function name the importer makes, so
// that names also work as LLM tool names (^[a-zA-Z0-9_-]{1,64}$).
const maxFunctionName = 64

// namer hands out unique function names.
type namer struct {
	used map[string]bool
}

// newNamer returns a namer with no names taken.
func newNamer() *namer { return &namer{used: map[string]bool{}} }

// name returns a unique function name for an operation: its operationId
// made to match ^[A-Za-z][A-Za-z0-9_]{0,63}$, or, when it has none (or
// nothing of it survives), a name from the method and path such as
// GetPatientsAppointmentsByPatNum for GET /patients/{PatNum}/appointments.
// A name already taken gets a numeric suffix: Name_2, Name_3, ...
func (n *namer) name(operationID, method, path string) string {
	base := sanitizeName(operationID)
	if base == "" {
		base = generatedName(method, path)
	}
	return n.unique(base)
}

// unique returns base, or base with the first free suffix, and takes it.
func (n *namer) unique(base string) string {
	name := base
	for i := 2; n.used[name]; i++ {
		suffix := "_" + strconv.Itoa(i)
		name = truncate(base, maxFunctionName-len(suffix)) + suffix
	}
	n.used[name] = true
	return name
}

// sanitizeName keeps the ASCII letters and digits of s, turns every run
// of other characters into one underscore, and makes the result start
// with a letter and fit the length limit.
func sanitizeName(s string) string {
	var b strings.Builder
	sep := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAlnum(c) {
			if sep && b.Len() > 0 {
				b.WriteByte('_')
			}
			sep = false
			b.WriteByte(c)
			continue
		}
		sep = true
	}
	out := b.String()
	if out == "" {
		return ""
	}
	if !isLetter(out[0]) {
		out = "Op_" + out
	}
	return truncate(out, maxFunctionName)
}

// generatedName builds a CamelCase name from the method and the path:
// the literal segments in order, then "By" and the path parameters joined
// with "And".
func generatedName(method, path string) string {
	var b strings.Builder
	b.WriteString(camel(strings.ToLower(method)))
	var params []string
	for _, seg := range strings.Split(path, "/") {
		for seg != "" {
			open := strings.IndexByte(seg, '{')
			if open < 0 {
				b.WriteString(camelWords(seg))
				break
			}
			b.WriteString(camelWords(seg[:open]))
			end := strings.IndexByte(seg[open:], '}')
			if end < 0 {
				b.WriteString(camelWords(seg[open:]))
				break
			}
			if p := camelWords(seg[open+1 : open+end]); p != "" {
				params = append(params, p)
			}
			seg = seg[open+end+1:]
		}
	}
	if b.Len() == len(method) && len(params) == 0 {
		b.WriteString("Root")
	}
	if len(params) > 0 {
		b.WriteString("By" + strings.Join(params, "And"))
	}
	return sanitizeName(b.String())
}

// camelWords writes the words of s (split at anything but ASCII letters
// and digits) each with a capital first letter, the rest as written:
// "findByStatus" → "FindByStatus", "group-notes" → "GroupNotes".
func camelWords(s string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r > 127 || !isAlnum(byte(r)) }) {
		b.WriteString(camel(w))
	}
	return b.String()
}

// camel upper-cases the first letter of w.
func camel(w string) string {
	if w == "" || !isLetter(w[0]) {
		return w
	}
	return strings.ToUpper(w[:1]) + w[1:]
}

// truncate cuts s to at most n bytes (s is ASCII here).
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isAlnum(c byte) bool { return isLetter(c) || c >= '0' && c <= '9' }
