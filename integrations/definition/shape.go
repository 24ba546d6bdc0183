package definition

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"
)

var (
	credentialFieldType = reflect.TypeFor[CredentialField]()
	durationType        = reflect.TypeFor[Duration]()
	anyType             = reflect.TypeFor[any]()
)

// checkShape walks a generic JSON value (objects as map[string]any,
// numbers as json.Number) against the Document type and reports every
// unknown field and every value of the wrong kind, with its exact place
// ("endpoints[3].params[0].required"). Field names match case-sensitively.
func checkShape(raw any) []Problem {
	var s shapeChecker
	s.walk("", reflect.TypeFor[Document](), raw)
	return s.problems
}

// shapeChecker collects the problems of checkShape.
type shapeChecker struct {
	problems []Problem
}

// walk checks v against type t at place field.
func (s *shapeChecker) walk(field string, t reflect.Type, v any) {
	if v == nil {
		return // null leaves the field at its zero value
	}
	if t == durationType {
		s.duration(field, v)
		return
	}
	if _, ok := v.(string); ok && t == credentialFieldType {
		return // a bare name
	}
	switch t.Kind() {
	case reflect.Pointer:
		s.walk(field, t.Elem(), v)
	case reflect.Interface:
		s.anyValue(field, v)
	case reflect.Struct:
		s.object(field, t, v)
	case reflect.Map:
		s.mapping(field, t, v)
	case reflect.Slice:
		s.list(field, t, v)
	case reflect.String:
		s.expect(field, v, isString, "must be a string")
	case reflect.Bool:
		s.expect(field, v, isBool, "must be true or false")
	case reflect.Int, reflect.Int64, reflect.Int32:
		s.expect(field, v, isWhole, "must be a whole number")
	case reflect.Float64, reflect.Float32:
		s.expect(field, v, isNumber, "must be a number")
	}
}

// object checks a JSON object against struct type t.
func (s *shapeChecker) object(field string, t reflect.Type, v any) {
	obj, ok := v.(map[string]any)
	if !ok {
		s.add(field, "must be an object, not "+kindOf(v))
		return
	}
	fields := jsonFields(t)
	for _, key := range slices.Sorted(maps.Keys(obj)) {
		ft, known := fields[key]
		if !known {
			s.add(join(field, key), "unknown field")
			continue
		}
		s.walk(join(field, key), ft, obj[key])
	}
}

// mapping checks a JSON object against map type t.
func (s *shapeChecker) mapping(field string, t reflect.Type, v any) {
	obj, ok := v.(map[string]any)
	if !ok {
		s.add(field, "must be an object, not "+kindOf(v))
		return
	}
	for _, key := range slices.Sorted(maps.Keys(obj)) {
		s.walk(join(field, key), t.Elem(), obj[key])
	}
}

// list checks a JSON array against slice type t.
func (s *shapeChecker) list(field string, t reflect.Type, v any) {
	arr, ok := v.([]any)
	if !ok {
		s.add(field, "must be a list, not "+kindOf(v))
		return
	}
	for i, item := range arr {
		s.walk(fmt.Sprintf("%s[%d]", field, i), t.Elem(), item)
	}
}

// anyValue checks a value of any kind (a default, an enum item): its
// numbers must be ones a float64 can hold, or the YAML export and every
// comparison with a caller's value would fail on them.
func (s *shapeChecker) anyValue(field string, v any) {
	switch x := v.(type) {
	case json.Number:
		if _, err := x.Float64(); err != nil {
			s.add(field, "is a number out of range")
		}
	case []any:
		for i, item := range x {
			s.anyValue(fmt.Sprintf("%s[%d]", field, i), item)
		}
	case map[string]any:
		for _, key := range slices.Sorted(maps.Keys(x)) {
			s.anyValue(join(field, key), x[key])
		}
	}
}

// duration checks a Go duration string.
func (s *shapeChecker) duration(field string, v any) {
	text, ok := v.(string)
	if _, err := time.ParseDuration(text); !ok || err != nil {
		s.add(field, `must be a duration such as "15s" or "250ms"`)
	}
}

// expect adds message unless ok(v).
func (s *shapeChecker) expect(field string, v any, ok func(any) bool, message string) {
	if !ok(v) {
		s.add(field, message+", not "+kindOf(v))
	}
}

// add records one problem.
func (s *shapeChecker) add(field, message string) {
	s.problems = append(s.problems, Problem{Field: field, Message: message})
}

// jsonFields maps the json names of struct t's fields to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	fields := make(map[string]reflect.Type, t.NumField())
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		fields[name] = f.Type
	}
	return fields
}

// join appends an object key to a place.
func join(field, key string) string {
	if field == "" {
		return key
	}
	return field + "." + key
}

func isString(v any) bool { _, ok := v.(string); return ok }

func isBool(v any) bool { _, ok := v.(bool); return ok }

func isNumber(v any) bool { _, ok := v.(json.Number); return ok }

func isWhole(v any) bool {
	n, ok := v.(json.Number)
	if !ok {
		return false
	}
	_, err := n.Int64()
	return err == nil
}

// kindOf names the JSON kind of a generic value.
func kindOf(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
