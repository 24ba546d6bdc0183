package openapi

import (
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"

	"switchboard/integrations/definition"
)

// DurationPattern is the pattern of a Go duration string ("15s", "250ms",
// "1m30s"), the form every duration field takes.
const DurationPattern = `^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$`

// describe reads a field's documentation from its struct tags — the one
// source the document and the code share: doc (the description), enum
// (comma-separated values) — and writes durations as the strings they
// are in JSON.
func describe(_ string, t reflect.Type, tag reflect.StructTag, s *openapi3.Schema) error {
	if d := tag.Get("doc"); d != "" {
		s.Description = d
	}
	if e := tag.Get("enum"); e != "" {
		s.Enum = nil
		for v := range strings.SplitSeq(e, ",") {
			s.Enum = append(s.Enum, strings.TrimSpace(v))
		}
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == reflect.TypeFor[definition.Duration]() || t == reflect.TypeFor[time.Duration]() {
		s.Type, s.Format, s.Pattern = &openapi3.Types{openapi3.TypeString}, "", DurationPattern
		if !strings.Contains(s.Description, "duration") {
			s.Description = strings.TrimSpace(s.Description + " A Go duration string such as 15s, 250ms or 1m30s.")
		}
	}
	return nil
}

// OperationID is a route name as an operationId: camelCase, without the
// "api." prefix and without dots ("api.sync-jobs.get" is syncJobsGet).
func OperationID(name string) string {
	name = strings.TrimPrefix(name, "api.")
	var b strings.Builder
	upper := false
	for _, r := range name {
		switch {
		case r == '.' || r == '-' || r == '_':
			upper = b.Len() > 0
		case upper:
			b.WriteRune(unicode.ToUpper(r))
			upper = false
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// requireInBody sets the required list of a request body's struct from its
// fields' tags — the one source, kept true to what the handlers refuse by
// TestOpenAPIRequiredMatchesRefusals: required:"true" (or the validator's
// validate:"required") in every body, required:"create" in a POST body
// only (a PATCH or PUT keeps what it leaves out). A field tagged
// required:"...,anyof:group" belongs to one alternative of an anyOf: the
// body needs every field of at least one group (end, or duration_minutes).
func requireInBody(t reflect.Type, schema *openapi3.Schema, create bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || len(schema.Properties) == 0 {
		return
	}
	schema.Required, schema.AnyOf = nil, nil
	groups := map[string]*openapi3.Schema{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		when, opt, _ := strings.Cut(f.Tag.Get("required"), ",")
		if slices.Contains(strings.Split(f.Tag.Get("validate"), ","), "required") {
			when = "true"
		}
		if name == "" || name == "-" || !(when == "true" || when == "create" && create) {
			continue
		}
		group, ok := strings.CutPrefix(opt, "anyof:")
		if !ok {
			schema.Required = append(schema.Required, name)
			continue
		}
		if groups[group] == nil {
			groups[group] = &openapi3.Schema{}
			schema.AnyOf = append(schema.AnyOf, &openapi3.SchemaRef{Value: groups[group]})
		}
		groups[group].Required = append(groups[group].Required, name)
	}
}
