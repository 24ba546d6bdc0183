package definition

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"

	"sigs.k8s.io/yaml"

	"switchboard/nulbyte"
)

// DecodeError reports a document that cannot be read: bad JSON or YAML, an
// unknown field, or a value of the wrong kind. Each problem names its
// place in the document.
type DecodeError struct {
	Problems []Problem
}

// Error joins the problems into one message.
func (e *DecodeError) Error() string {
	return "definition: " + joinProblems(e.Problems)
}

// ParseJSON reads a JSON document. Unknown fields (matched with their exact
// case) and values of the wrong kind are refused with a *DecodeError naming
// every such place, e.g. "endpoints[3].parms: unknown field". Numbers in
// parameter defaults and enums are kept as json.Number.
func ParseJSON(b []byte) (*Document, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, decodeError("", "the document is empty")
	}
	var raw any
	if err := decodeStrict(b, &raw, false); err != nil {
		return nil, decodeError("", "invalid JSON: "+syntaxMessage(err))
	}
	if _, ok := raw.(map[string]any); !ok {
		return nil, decodeError("", "the document must be an object")
	}
	if problems := checkShape(raw); len(problems) > 0 {
		return nil, &DecodeError{Problems: problems}
	}
	if at, ok := nulbyte.Find(raw); ok {
		return nil, &ValidationError{Problems: []Problem{{Field: placeOf(at), Message: "must not contain a NUL byte"}}}
	}
	var d Document
	if err := decodeStrict(b, &d, true); err != nil {
		return nil, typeError(err)
	}
	return &d, nil
}

// placeOf writes a path as problems name places: "endpoints[3].path".
func placeOf(p nulbyte.Path) string {
	var b strings.Builder
	for _, seg := range p {
		if i, ok := seg.(int); ok {
			fmt.Fprintf(&b, "[%d]", i)
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(nulbyte.Path{seg}.Dot())
	}
	return b.String()
}

// ParseYAML reads a YAML document (JSON, being YAML, is accepted too) with
// the same strictness as ParseJSON; a key given twice is refused. Remember
// that YAML reads unquoted yes, no, on and off as booleans.
func ParseYAML(b []byte) (*Document, error) {
	j, err := yaml.YAMLToJSONStrict(b)
	if err != nil {
		return nil, decodeError("", "invalid YAML: "+strings.TrimPrefix(err.Error(), "error converting YAML to JSON: "))
	}
	if bytes.Equal(bytes.TrimSpace(j), []byte("null")) {
		return nil, decodeError("", "the document is empty")
	}
	return ParseJSON(j)
}

// MarshalJSONIndent writes d as indented JSON, fields in document order,
// without HTML escaping (body templates hold XML).
func (d *Document) MarshalJSONIndent() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return nil, fmt.Errorf("definition: unable to write JSON: %w", err)
	}
	return buf.Bytes(), nil
}

// MarshalYAML writes d as YAML with its fields in document order (slug and
// name first), as the catalog files are written.
func (d *Document) MarshalYAML() ([]byte, error) {
	j, err := d.MarshalJSONIndent()
	if err != nil {
		return nil, err
	}
	y, err := orderedYAML(j)
	if err != nil {
		return nil, fmt.Errorf("definition: unable to write YAML: %w", err)
	}
	return y, nil
}

// Clone returns a deep copy of d, as writing it as JSON and reading it
// back would give (numbers of defaults and enums become json.Number,
// empty lists and maps of omitempty fields none), without the JSON: a
// definition of thousands of imported endpoints would take tens of
// megabytes of text and a second copy of every string, where this shares
// the strings, which never change.
func (d *Document) Clone() (*Document, error) {
	var c Document
	if err := deepCopy(reflect.ValueOf(&c).Elem(), reflect.ValueOf(d).Elem()); err != nil {
		return nil, fmt.Errorf("definition: unable to copy document: %w", err)
	}
	return &c, nil
}

// deepCopy copies src into dst (of the same type): structs field by field
// (empty lists and maps of omitempty fields left out), slices and maps
// element by element, pointers to a copy, interface values (defaults,
// enum items: JSON values) through JSON so that they take the form
// decoding gives them; strings and other scalars as they are.
func deepCopy(dst, src reflect.Value) error {
	switch src.Kind() {
	case reflect.Struct:
		t := src.Type()
		for i := range src.NumField() {
			f := src.Field(i)
			if !t.Field(i).IsExported() {
				continue // as JSON leaves it out
			}
			if omitEmpty(t.Field(i)) && (f.Kind() == reflect.Slice || f.Kind() == reflect.Map) && f.Len() == 0 {
				continue
			}
			if err := deepCopy(dst.Field(i), f); err != nil {
				return err
			}
		}
	case reflect.Slice:
		if src.IsNil() {
			return nil
		}
		dst.Set(reflect.MakeSlice(src.Type(), src.Len(), src.Len()))
		for i := range src.Len() {
			if err := deepCopy(dst.Index(i), src.Index(i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		return copyMap(dst, src)
	case reflect.Pointer:
		if src.IsNil() {
			return nil
		}
		dst.Set(reflect.New(src.Type().Elem()))
		return deepCopy(dst.Elem(), src.Elem())
	case reflect.Interface:
		return copyJSONValue(dst, src)
	default:
		dst.Set(src)
	}
	return nil
}

// copyMap copies a map's entries.
func copyMap(dst, src reflect.Value) error {
	if src.IsNil() {
		return nil
	}
	dst.Set(reflect.MakeMapWithSize(src.Type(), src.Len()))
	iter := src.MapRange()
	for iter.Next() {
		v := reflect.New(src.Type().Elem()).Elem()
		if err := deepCopy(v, iter.Value()); err != nil {
			return err
		}
		dst.SetMapIndex(iter.Key(), v)
	}
	return nil
}

// copyJSONValue copies an interface value through JSON (small values:
// a parameter's default, an enum item).
func copyJSONValue(dst, src reflect.Value) error {
	if src.IsNil() {
		return nil
	}
	b, err := json.Marshal(src.Interface())
	if err != nil {
		return err
	}
	var v any
	if err := decodeStrict(b, &v, false); err != nil {
		return err
	}
	if v != nil {
		dst.Set(reflect.ValueOf(v))
	}
	return nil
}

// omitEmpty reports whether a struct field's JSON tag says omitempty.
func omitEmpty(f reflect.StructField) bool {
	_, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
	for o := range strings.SplitSeq(opts, ",") {
		if o == "omitempty" {
			return true
		}
	}
	return false
}

// decodeStrict decodes exactly one JSON value, numbers as json.Number.
func decodeStrict(b []byte, v any, disallowUnknown bool) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if disallowUnknown {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("unexpected data after the document")
	}
	return nil
}

// syntaxMessage words a JSON syntax error with its offset.
func syntaxMessage(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%s (at byte %d)", strings.TrimPrefix(se.Error(), "json: "), se.Offset)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// typeError words an error of the typed decode, which checkShape should
// have caught already.
func typeError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return decodeError(te.Field, "must not be "+te.Value)
	}
	return decodeError("", strings.TrimPrefix(err.Error(), "json: "))
}

// decodeError builds a one-problem *DecodeError.
func decodeError(field, message string) error {
	return &DecodeError{Problems: []Problem{{Field: field, Message: message}}}
}
