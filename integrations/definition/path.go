package definition

import (
	"fmt"
	"net/url"
	"strings"
)

// PathTemplate is a parsed endpoint path such as "/patients/{PatNum}":
// literal segments and named path parameters.
type PathTemplate struct {
	src      string
	segments []PathSegment
}

// PathSegment is literal text or, when Param is set, a path parameter.
type PathSegment struct {
	Text  string
	Param string
}

// ParsePathTemplate parses a path. It must be empty (the base URL itself)
// or start with "/"; every "{" must close with "}" around a non-empty
// name.
func ParsePathTemplate(src string) (PathTemplate, error) {
	if src != "" && !strings.HasPrefix(src, "/") {
		return PathTemplate{}, fmt.Errorf("must start with /")
	}
	p := PathTemplate{src: src}
	rest := src
	for rest != "" {
		open := strings.IndexAny(rest, "{}")
		if open < 0 {
			p.segments = append(p.segments, PathSegment{Text: rest})
			break
		}
		if rest[open] == '}' {
			return PathTemplate{}, fmt.Errorf("unexpected } in %q", src)
		}
		if open > 0 {
			p.segments = append(p.segments, PathSegment{Text: rest[:open]})
		}
		name, after, ok := strings.Cut(rest[open+1:], "}")
		if !ok {
			return PathTemplate{}, fmt.Errorf("unterminated { in %q", src)
		}
		if name == "" || strings.ContainsAny(name, "{/ ") {
			return PathTemplate{}, fmt.Errorf("invalid parameter {%s}", name)
		}
		p.segments = append(p.segments, PathSegment{Param: name})
		rest = after
	}
	return p, nil
}

// String returns the path as written.
func (p PathTemplate) String() string { return p.src }

// Segments returns the path's parts in order.
func (p PathTemplate) Segments() []PathSegment { return p.segments }

// Params returns the names of the path parameters in order.
func (p PathTemplate) Params() []string {
	var names []string
	for _, s := range p.segments {
		if s.Param != "" {
			names = append(names, s.Param)
		}
	}
	return names
}

// Render writes the path with each parameter's value from value escaped
// as part of one path segment: url.PathEscape (so a "/" is %2F), and a
// segment that values make "." or ".." has its dots written %2E, so that
// no value can name another resource by climbing the path. A missing or
// empty value is an error: it would change which resource the path names.
func (p PathTemplate) Render(value func(name string) (string, bool)) (string, error) {
	var w pathWriter
	for _, s := range p.segments {
		if s.Param == "" {
			w.literal(s.Text)
			continue
		}
		v, ok := value(s.Param)
		if !ok || v == "" {
			return "", fmt.Errorf("definition: path parameter %s has no value", s.Param)
		}
		w.seg.WriteString(url.PathEscape(v))
		w.fromValue = true
	}
	w.flush()
	return w.out.String(), nil
}

// pathWriter assembles a path one segment at a time, to see the segments
// values take part in.
type pathWriter struct {
	out, seg  strings.Builder
	fromValue bool
}

// literal writes template text, ending a segment at each "/".
func (w *pathWriter) literal(text string) {
	for i, part := range strings.Split(text, "/") {
		if i > 0 {
			w.flush()
			w.out.WriteByte('/')
		}
		w.seg.WriteString(part)
	}
}

// flush ends the current segment, escaping the dots of a dot segment a
// value made.
func (w *pathWriter) flush() {
	s := w.seg.String()
	if w.fromValue && (s == "." || s == "..") {
		s = strings.Repeat("%2E", len(s))
	}
	w.out.WriteString(s)
	w.seg.Reset()
	w.fromValue = false
}
