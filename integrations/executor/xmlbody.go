package executor

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"switchboard/apperr"
	"switchboard/integrations/definition"
)

// errXMLChar says a value holds a character XML 1.0 cannot carry.
var errXMLChar = errors.New("holds a control character (or invalid UTF-8) that XML cannot carry")

// xmlEscape escapes text for XML content or attribute values; tabs and
// line breaks become character references so they survive parsing exactly.
func xmlEscape(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s)) // a strings.Builder never fails
	return b.String()
}

// checkXMLText refuses text with characters outside XML 1.0's Char
// production: control characters other than tab, LF and CR, surrogates,
// U+FFFE/U+FFFF, and invalid UTF-8. (encoding/xml would silently turn them
// into U+FFFD, changing the value.)
func checkXMLText(s string) error {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size <= 1 {
				return errXMLChar
			}
		}
		if !xmlChar(r) {
			return errXMLChar
		}
	}
	return nil
}

// xmlChar reports whether r is an XML 1.0 Char.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		(r >= 0x20 && r <= 0xD7FF) ||
		(r >= 0xE000 && r <= 0xFFFD) ||
		(r >= 0x10000 && r <= 0x10FFFF)
}

// validXMLName reports whether name may be an element name: an XML Name
// without a namespace prefix (no colon).
func validXMLName(name string) bool {
	if name == "" || !utf8.ValidString(name) {
		return false
	}
	for i, r := range name {
		first := unicode.IsLetter(r) || r == '_'
		if i == 0 {
			if !first {
				return false
			}
			continue
		}
		if !first && !unicode.IsDigit(r) && r != '-' && r != '.' && r != 0xB7 &&
			!unicode.Is(unicode.Mn, r) && !unicode.Is(unicode.Mc, r) {
			return false
		}
	}
	return true
}

// paramsXML writes every body parameter that has a value as
// <Name>value</Name>, in declared order: the value of {{params_xml}}.
// Arrays repeat the element; objects nest their members (keys in order).
// Values are escaped; element names and characters XML cannot carry are
// reported, named as the caller named them.
func (c *call) paramsXML() (string, []apperr.FieldError) {
	var b strings.Builder
	var problems []apperr.FieldError
	for _, p := range c.ep.Endpoint.Params {
		v, ok := c.params[p.Name]
		if !ok || p.In != definition.InBody {
			continue
		}
		if err := writeXMLElement(&b, p.Name, v, 0); err != nil {
			problems = append(problems, apperr.FieldError{Field: c.fieldName(p.Name), Message: err.Error()})
		}
	}
	return b.String(), problems
}

// maxXMLValueDepth bounds the nesting of an object parameter in XML.
const maxXMLValueDepth = 32

// writeXMLElement writes one value as an element named name.
func writeXMLElement(b *strings.Builder, name string, v any, depth int) error {
	if !validXMLName(name) {
		return fmt.Errorf("%q is not a valid XML element name", name)
	}
	if depth > maxXMLValueDepth {
		return errors.New("is nested too deeply")
	}
	switch x := v.(type) {
	case []any:
		for _, item := range x {
			if err := writeXMLElement(b, name, item, depth+1); err != nil {
				return err
			}
		}
		return nil
	case map[string]any:
		b.WriteString("<" + name + ">")
		for _, k := range slices.Sorted(maps.Keys(x)) {
			if err := writeXMLElement(b, k, x[k], depth+1); err != nil {
				return err
			}
		}
		b.WriteString("</" + name + ">")
		return nil
	}
	text := valueText(v)
	if err := checkXMLText(text); err != nil {
		return err
	}
	b.WriteString("<" + name + ">" + xmlEscape(text) + "</" + name + ">")
	return nil
}

// checkWellFormed parses a rendered XML body, so that a body template that
// does not produce XML is refused before it is sent.
func checkWellFormed(body string) error {
	dec := xml.NewDecoder(strings.NewReader(body))
	dec.Strict = true
	roots := 0
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	if roots != 1 {
		return fmt.Errorf("has %d root elements, want 1", roots)
	}
	return nil
}

// fieldName is the caller's name of an endpoint parameter.
func (c *call) fieldName(name string) string {
	if n := c.origin[name]; n != "" {
		return n
	}
	return name
}
