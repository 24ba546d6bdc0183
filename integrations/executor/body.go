package executor

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"strings"
)

// headSize is how much of an answer is kept for excerpts and traces: more
// than either cuts (MaxExcerpt characters, MaxTraceBody bytes) with their
// margins, so they still see that the answer went on.
const headSize = 4 << 10

// bodyReader reads an answer once, for receive: it counts the bytes
// against the call's allowance, keeps the head, and looks for the error
// rules' substrings on the way, so nothing else needs the whole body.
type bodyReader struct {
	r     io.Reader
	limit int64
	n     int64
	// over is set once the answer went past limit; err is a read error
	// other than the end of the body.
	over bool
	err  error
	head []byte
	scan *substrings
}

// Read implements io.Reader.
func (b *bodyReader) Read(p []byte) (int, error) {
	if b.over {
		return 0, errTooLarge
	}
	if left := b.limit - b.n + 1; int64(len(p)) > left {
		p = p[:left] // one byte past the limit is enough to know
	}
	n, err := b.r.Read(p)
	if b.n+int64(n) > b.limit {
		b.over = true
		return 0, errTooLarge
	}
	b.n += int64(n)
	if keep := headSize - len(b.head); keep > 0 {
		b.head = append(b.head, p[:min(n, keep)]...)
	}
	b.scan.write(p[:n])
	if err != nil && !errors.Is(err, io.EOF) {
		b.err = err
	}
	return n, err
}

// parseAnswer parses a received body. JSON and XML (by content type) are
// decoded from it as a stream; other bodies are read whole, since they
// are kept as text (or sniffed for JSON or XML).
func (c *call) parseAnswer(a *answer, got *received) error {
	mt, _, _ := mime.ParseMediaType(a.header.Get("Content-Type"))
	if c.passThrough(a, mt, got) {
		a.raw = got.mem
		return nil
	}
	body, err := got.reader()
	if err != nil {
		return err
	}
	switch {
	case strings.Contains(mt, "json"):
		a.tree, a.parseErr = ParseJSON(body)
	case strings.Contains(mt, "xml"):
		a.tree, a.parseErr = ParseXML(body)
	default:
		raw, err := io.ReadAll(body)
		if err != nil {
			return err
		}
		a.tree, a.parseErr = parseBytes(mt, raw)
	}
	if a.parseErr != nil && a.size <= int64(len(a.head)) && len(bytes.TrimSpace(a.head)) == 0 {
		a.tree, a.parseErr = nil, nil // an empty body says nothing
	}
	a.tree = c.redactor().tree(a.tree)
	return nil
}

// parseBytes reads a whole body of a type other than JSON or XML: text,
// or, when the type says nothing, JSON or XML if it parses as such.
func parseBytes(mt string, body []byte) (any, error) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil, nil
	}
	if mt != "" && mt != "text/plain" && mt != "application/octet-stream" {
		return string(body), nil
	}
	switch trimmed[0] {
	case '<':
		if tree, err := ParseXML(bytes.NewReader(body)); err == nil {
			return tree, nil
		}
	case '{', '[', '"':
		if tree, err := ParseJSON(bytes.NewReader(body)); err == nil {
			return tree, nil
		}
	}
	return string(body), nil
}

// ruleSubstrings lists the contains conditions of the call's error rules.
func (c *call) ruleSubstrings() []string {
	var out []string
	for _, r := range c.ep.ErrorRules {
		if s := r.When.Contains; s != "" {
			out = append(out, s)
		}
	}
	return out
}

// substrings finds which of a few strings occur in a stream, keeping only
// the last bytes of what it saw so that a match across two reads counts.
type substrings struct {
	needles []string
	found   map[string]bool
	tail    []byte
	longest int
	scratch []byte
}

// newSubstrings watches for needles; nil when there are none.
func newSubstrings(needles []string) *substrings {
	if len(needles) == 0 {
		return nil
	}
	s := &substrings{needles: needles, found: map[string]bool{}}
	for _, n := range needles {
		s.longest = max(s.longest, len(n))
	}
	return s
}

// result is the set of needles found.
func (s *substrings) result() map[string]bool {
	if s == nil {
		return nil
	}
	return s.found
}

// write looks at the next bytes of the stream.
func (s *substrings) write(p []byte) {
	if s == nil || len(p) == 0 || len(s.found) == len(s.needles) {
		return
	}
	s.scratch = append(append(s.scratch[:0], s.tail...), p[:min(len(p), s.longest)]...)
	for _, n := range s.needles {
		if !s.found[n] && (bytes.Contains(s.scratch, []byte(n)) || bytes.Contains(p, []byte(n))) {
			s.found[n] = true
		}
	}
	keep := min(s.longest-1, len(s.scratch))
	if len(p) >= keep {
		s.tail = append(s.tail[:0], p[len(p)-keep:]...)
	} else {
		s.tail = append(s.tail[:0], s.scratch[len(s.scratch)-keep:]...)
	}
}
