package openapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// Limits that keep a hostile document from exhausting memory: the number
// of values a document may hold, and how many of them may come from
// expanding YAML aliases.
const (
	maxValues      = 4_000_000
	maxAliasValues = 200_000
)

// maxYAMLBytes is the largest YAML document read. The YAML library
// builds a tree of its own of about nine times the text before anything
// else happens, so importing YAML peaks near 30 times its size where JSON,
// read as a stream, stays under 10 times: 6 MiB of YAML takes about as
// much memory as the 20 MiB of JSON the import route accepts.
const maxYAMLBytes = 6 << 20

// decode reads a YAML or JSON document into a tree. A .json file is read
// as JSON; other input that looks like JSON is read as JSON first
// (faster, with precise errors) and as YAML when that fails, since flow
// YAML looks like JSON too.
func decode(data []byte, filename string) (*node, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, &failure{reason: "the document is empty"}
	}
	isJSON := strings.EqualFold(filepath.Ext(filename), ".json")
	if isJSON || trimmed[0] == '{' || trimmed[0] == '[' {
		n, jerr := decodeJSON(data)
		if jerr == nil || isJSON {
			return n, jerr
		}
		if len(data) <= maxYAMLBytes {
			if n, yerr := decodeYAML(data); yerr == nil {
				return n, nil
			}
		}
		return nil, jerr
	}
	if len(data) > maxYAMLBytes {
		return nil, &failure{reason: fmt.Sprintf("a YAML document is read up to %d MiB (this one is %.1f MiB): reading YAML takes "+
			"about 30 times its size in memory; convert it to JSON (for example yq -o=json), which is read up to 20 MiB",
			maxYAMLBytes>>20, float64(len(data))/(1<<20))}
	}
	return decodeYAML(data)
}

// decodeJSON reads a JSON document, keeping key order and lines.
func decodeJSON(data []byte) (*node, error) {
	d := &jsonReader{dec: json.NewDecoder(bytes.NewReader(data)), lines: lineStarts(data)}
	d.dec.UseNumber()
	n, err := d.value("")
	if err != nil {
		return nil, err
	}
	if _, err := d.dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &failure{line: d.line(), reason: "invalid JSON: unexpected data after the document"}
	}
	return n, nil
}

// jsonReader builds a tree from a JSON token stream.
type jsonReader struct {
	dec   *json.Decoder
	lines []int
	count int
	names interner
}

// intern shares one copy of a short string among the many places it
// occurs (keys, types, formats).
func (d *jsonReader) intern(s string) string { return d.names.intern(s) }

// interner keeps one copy of each short string.
type interner map[string]string

// maxInterned is the longest string interned: names and keywords repeat,
// descriptions do not.
const maxInterned = 32

// intern returns the copy of s kept, keeping s when it is the first.
func (in *interner) intern(s string) string {
	if len(s) > maxInterned {
		return s
	}
	if *in == nil {
		*in = interner{}
	}
	if c, ok := (*in)[s]; ok {
		return c
	}
	(*in)[s] = s
	return s
}

// line is the line of the decoder's current offset.
func (d *jsonReader) line() int { return lineOf(d.lines, int(d.dec.InputOffset())) }

// value reads one value at ptr.
func (d *jsonReader) value(ptr string) (*node, error) {
	if d.count++; d.count > maxValues {
		return nil, &failure{reason: fmt.Sprintf("the document holds more than %d values", maxValues)}
	}
	tok, err := d.dec.Token()
	if err != nil {
		return nil, d.syntax(err)
	}
	line := d.line() // just past the token, on its line: JSON tokens do not span lines
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return d.object(ptr, line)
		}
		return d.array(ptr, line)
	case string:
		return scalarNode(kindString, d.intern(t), line), nil
	case json.Number:
		return scalarNode(kindNumber, d.intern(string(t)), line), nil
	case bool:
		return boolNode(t, line), nil
	}
	return scalarNode(kindNull, "", line), nil
}

// object reads the members of an object whose "{" has been read.
func (d *jsonReader) object(ptr string, line int) (*node, error) {
	n := containerNode(kindObject, line)
	var seen map[string]bool // past a few keys; a scan finds a repeat before
	for d.dec.More() {
		tok, err := d.dec.Token()
		if err != nil {
			return nil, d.syntax(err)
		}
		keyLine := d.line()
		key, _ := tok.(string)
		key = d.intern(key)
		if repeated(n.keys, &seen, key) {
			return nil, &failure{pointer: pointerJoin(ptr, key), line: keyLine, reason: fmt.Sprintf("duplicate key %q", key)}
		}
		v, err := d.value(pointerJoin(ptr, key))
		if err != nil {
			return nil, err
		}
		n.keys = append(n.keys, key)
		n.items = append(n.items, v)
	}
	if _, err := d.dec.Token(); err != nil {
		return nil, d.syntax(err)
	}
	n.fit()
	return n, nil
}

// repeated reports whether key is among an object's keys so far, and
// notes it: small objects (most) are scanned, larger ones keep a set.
func repeated(keys []string, seen *map[string]bool, key string) bool {
	if len(keys) < indexAfter {
		return slices.Contains(keys, key)
	}
	if *seen == nil {
		*seen = make(map[string]bool, 2*len(keys))
		for _, k := range keys {
			(*seen)[k] = true
		}
	}
	if (*seen)[key] {
		return true
	}
	(*seen)[key] = true
	return false
}

// array reads the items of an array whose "[" has been read.
func (d *jsonReader) array(ptr string, line int) (*node, error) {
	n := containerNode(kindArray, line)
	for d.dec.More() {
		v, err := d.value(pointerIndex(ptr, len(n.items)))
		if err != nil {
			return nil, err
		}
		n.items = append(n.items, v)
	}
	if _, err := d.dec.Token(); err != nil {
		return nil, d.syntax(err)
	}
	n.fit()
	return n, nil
}

// syntax words a JSON syntax error with its line.
func (d *jsonReader) syntax(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &failure{line: lineOf(d.lines, int(se.Offset)), reason: "invalid JSON: " + strings.TrimPrefix(se.Error(), "json: ")}
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &failure{line: len(d.lines), reason: "invalid JSON: unexpected end of the document"}
	}
	return &failure{line: d.line(), reason: "invalid JSON: " + strings.TrimPrefix(err.Error(), "json: ")}
}

// lineStarts returns the offset of the start of every line.
func lineStarts(data []byte) []int {
	starts := []int{0}
	for i, c := range data {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// lineOf returns the 1-based line of an offset.
func lineOf(starts []int, offset int) int {
	return sort.Search(len(starts), func(i int) bool { return starts[i] > offset })
}
