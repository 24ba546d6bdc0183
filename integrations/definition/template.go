package definition

import (
	"errors"
	"fmt"
	"strings"
)

// RefKind says what a template reference names.
type RefKind string

// Kinds of template reference.
const (
	// RefBare is a bare {{name}}: a credential field when one has that
	// name, else a parameter. Compile resolves every bare reference to
	// RefCredential or RefParam.
	RefBare RefKind = "name"
	// RefCredential is {{credentials.name}}.
	RefCredential RefKind = "credentials"
	// RefParam is {{params.name}}.
	RefParam RefKind = "params"
	// RefFunction is {{function}}, the endpoint's function name.
	RefFunction RefKind = "function"
	// RefParamsXML is {{params_xml}}: every body parameter as
	// <Name>value</Name> in declared order, already escaped.
	RefParamsXML RefKind = "params_xml"
)

// Ref is one {{…}} of a template. Name is empty for RefFunction and
// RefParamsXML.
type Ref struct {
	Kind RefKind
	Name string
}

// String writes the reference as it is written in a template.
func (r Ref) String() string {
	switch r.Kind {
	case RefFunction, RefParamsXML:
		return "{{" + string(r.Kind) + "}}"
	case RefCredential, RefParam:
		return "{{" + string(r.Kind) + "." + r.Name + "}}"
	}
	return "{{" + r.Name + "}}"
}

// Template is a parsed text template: literal text and {{name}}
// references, with optional spaces inside the braces. The zero Template
// is empty and renders as "".
type Template struct {
	src   string
	parts []part
}

// part is literal text or, when ref is set, a reference.
type part struct {
	text string
	ref  *Ref
}

// ParseTemplate parses a template. An unterminated "{{", an empty "{{ }}"
// and a reference holding spaces or braces are errors. A run of three or
// more "{" keeps all but the last two as text, so JSON bodies such as
// {"a":{{{x}}}} read naturally.
func ParseTemplate(src string) (Template, error) {
	t := Template{src: src}
	rest := src
	for rest != "" {
		open := strings.Index(rest, "{{")
		if open < 0 {
			t.addText(rest)
			break
		}
		for open+2 < len(rest) && rest[open+2] == '{' {
			open++
		}
		t.addText(rest[:open])
		body, after, ok := strings.Cut(rest[open+2:], "}}")
		if !ok {
			return Template{}, fmt.Errorf("unterminated {{ at %q", clip(rest[open:]))
		}
		ref, err := parseRef(body)
		if err != nil {
			return Template{}, err
		}
		t.parts = append(t.parts, part{ref: &ref})
		rest = after
	}
	return t, nil
}

// parseRef reads the inside of {{…}}.
func parseRef(body string) (Ref, error) {
	name := strings.TrimSpace(body)
	switch {
	case name == "":
		return Ref{}, errors.New("empty {{ }}")
	case strings.ContainsAny(name, " \t\r\n{}"):
		return Ref{}, fmt.Errorf("invalid reference {{%s}}", clip(body))
	case name == string(RefFunction):
		return Ref{Kind: RefFunction}, nil
	case name == string(RefParamsXML):
		return Ref{Kind: RefParamsXML}, nil
	}
	for _, kind := range []RefKind{RefCredential, RefParam} {
		if rest, ok := strings.CutPrefix(name, string(kind)+"."); ok {
			if rest == "" {
				return Ref{}, fmt.Errorf("invalid reference {{%s}}", name)
			}
			return Ref{Kind: kind, Name: rest}, nil
		}
	}
	return Ref{Kind: RefBare, Name: name}, nil
}

// addText appends literal text, merging with a preceding literal.
func (t *Template) addText(s string) {
	if s == "" {
		return
	}
	if n := len(t.parts); n > 0 && t.parts[n-1].ref == nil {
		t.parts[n-1].text += s
		return
	}
	t.parts = append(t.parts, part{text: s})
}

// String returns the template's source.
func (t Template) String() string { return t.src }

// IsZero reports whether the template is empty.
func (t Template) IsZero() bool { return len(t.parts) == 0 }

// Refs returns the template's references in order of appearance.
func (t Template) Refs() []Ref {
	var refs []Ref
	for _, p := range t.parts {
		if p.ref != nil {
			refs = append(refs, *p.ref)
		}
	}
	return refs
}

// Render writes the template, asking lookup for each reference's value.
// Every value except that of {{params_xml}} (which the caller builds from
// escaped values) goes through escape, when escape is not nil: pass an XML
// escaper for XML bodies. A reference lookup cannot answer is an error.
func (t Template) Render(lookup func(Ref) (string, bool), escape func(string) string) (string, error) {
	var b strings.Builder
	for _, p := range t.parts {
		if p.ref == nil {
			b.WriteString(p.text)
			continue
		}
		v, ok := lookup(*p.ref)
		if !ok {
			return "", fmt.Errorf("definition: no value for %s", p.ref)
		}
		if escape != nil && p.ref.Kind != RefParamsXML {
			v = escape(v)
		}
		b.WriteString(v)
	}
	return b.String(), nil
}

// resolve turns bare references into credential references when creds
// has the name and parameter references otherwise.
func (t Template) resolve(creds map[string]bool) Template {
	out := Template{src: t.src, parts: make([]part, len(t.parts))}
	for i, p := range t.parts {
		if p.ref != nil && p.ref.Kind == RefBare {
			ref := Ref{Kind: RefParam, Name: p.ref.Name}
			if creds[p.ref.Name] {
				ref.Kind = RefCredential
			}
			p.ref = &ref
		}
		out.parts[i] = p
	}
	return out
}

// clip shortens text quoted in an error.
func clip(s string) string {
	const limit = 30
	if r := []rune(s); len(r) > limit {
		return string(r[:limit]) + "…"
	}
	return s
}
