package openapi

import (
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"switchboard/integrations/definition"
)

// params merges the parameters of a path item and of an operation (the
// operation's win, matched by name and location) and converts them, in
// declared order: the path item's first.
func (x *extractor) params(fn string, shared, own openapi3.Parameters) []definition.Param {
	type key struct{ name, in string }
	var list []*openapi3.Parameter
	at := map[key]int{}
	for _, group := range []openapi3.Parameters{shared, own} {
		for _, ref := range group {
			if ref == nil || ref.Value == nil {
				continue
			}
			p := ref.Value
			k := key{p.Name, p.In}
			if i, ok := at[k]; ok {
				list[i] = p
				continue
			}
			at[k] = len(list)
			list = append(list, p)
		}
	}
	out := make([]definition.Param, 0, len(list))
	for _, p := range list {
		if dp, ok := x.param(fn, p); ok {
			out = append(out, dp)
		}
	}
	return out
}

// ignoredHeaders are header parameters OpenAPI says to ignore: the
// request's format and auth set them.
var ignoredHeaders = []string{"accept", "content-type", "authorization"}

// param converts one parameter; cookies are skipped with a warning.
func (x *extractor) param(fn string, p *openapi3.Parameter) (definition.Param, bool) {
	switch p.In {
	case openapi3.ParameterInPath, openapi3.ParameterInQuery, openapi3.ParameterInHeader:
	case openapi3.ParameterInCookie:
		x.warn("%s: cookie parameter %q skipped: cookies are not supported", fn, p.Name)
		return definition.Param{}, false
	default:
		x.warn("%s: parameter %q skipped: unknown location %q", fn, p.Name, p.In)
		return definition.Param{}, false
	}
	if p.In == openapi3.ParameterInHeader && slices.Contains(ignoredHeaders, strings.ToLower(p.Name)) {
		return definition.Param{}, false
	}
	s := paramSchema(p)
	dp := definition.Param{
		Name:        p.Name,
		In:          p.In,
		Type:        schemaType(s),
		Required:    p.Required || p.In == openapi3.ParameterInPath,
		Description: strings.TrimSpace(p.Description),
	}
	if s != nil && dp.Description == "" {
		dp.Description = strings.TrimSpace(s.Description)
	}
	x.values(fn, &dp, s)
	return dp, true
}

// paramSchema returns a parameter's schema, or that of its first content
// type.
func paramSchema(p *openapi3.Parameter) *openapi3.Schema {
	if p.Schema != nil {
		return p.Schema.Value
	}
	keys := make([]string, 0, len(p.Content))
	for k := range p.Content {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if mt := p.Content[k]; mt != nil && mt.Schema != nil {
			return mt.Schema.Value
		}
	}
	return nil
}

// values sets a parameter's default and enum from its schema, in the
// definition's form and fitted to its type; values that do not fit are
// dropped with a warning.
func (x *extractor) values(fn string, p *definition.Param, s *openapi3.Schema) {
	if s == nil {
		return
	}
	if s.Default != nil {
		if v, ok := fit(s.Default, p.Type); ok {
			p.Default = v
		} else {
			x.warn("%s: the default of %q does not fit its type %s and was left out", fn, p.Name, p.Type)
		}
	}
	for _, e := range s.Enum {
		if e == nil {
			continue
		}
		v, ok := fit(e, p.Type)
		if !ok {
			x.warn("%s: the enum of %q has values that do not fit its type %s and was left out", fn, p.Name, p.Type)
			p.Enum = nil
			return
		}
		p.Enum = append(p.Enum, v)
	}
}

// schemaType maps a schema to a parameter type: its own type (the first
// that is not null), else what its allOf members, properties or items
// say, else string.
func schemaType(s *openapi3.Schema) string {
	return schemaTypeDepth(s, 0)
}

func schemaTypeDepth(s *openapi3.Schema, depth int) string {
	if s == nil || depth > 8 {
		return definition.TypeString
	}
	if s.Type != nil {
		for _, t := range s.Type.Slice() {
			switch t {
			case "integer", "number", "boolean", "array", "object", "string":
				return t
			}
		}
	}
	for _, refs := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
		for _, r := range refs {
			if r != nil && r.Value != nil && r.Value.Type != nil && !r.Value.Type.IsEmpty() {
				return schemaTypeDepth(r.Value, depth+1)
			}
		}
	}
	switch {
	case len(s.Properties) > 0:
		return definition.TypeObject
	case s.Items != nil:
		return definition.TypeArray
	}
	return definition.TypeString
}

// reconcile makes the parameters fit the path: path parameters come
// first, every {name} of the path gets one (a required string when the
// document declares none), path parameters the path does not name are
// dropped, and a name used twice keeps its first parameter.
func (x *extractor) reconcile(fn, path string, params []definition.Param) []definition.Param {
	tpl, err := definition.ParsePathTemplate(path)
	if err != nil {
		return params // the endpoint is dropped with the reason by fixup
	}
	inPath := tpl.Params()
	ordered := make([]definition.Param, 0, len(params)+len(inPath))
	for _, p := range params {
		if p.In == definition.InPath {
			ordered = append(ordered, p)
		}
	}
	for _, p := range params {
		if p.In != definition.InPath {
			ordered = append(ordered, p)
		}
	}
	out := ordered[:0:0]
	seen := map[string]bool{}
	for _, p := range ordered {
		switch {
		case p.In == definition.InPath && !slices.Contains(inPath, p.Name):
			x.warn("%s: path parameter %q skipped: the path %s does not name it", fn, p.Name, path)
		case seen[p.Name]:
			x.warn("%s: %s parameter %q skipped: another parameter has that name", fn, p.In, p.Name)
		default:
			seen[p.Name] = true
			out = append(out, p)
		}
	}
	var missing []definition.Param
	for i, name := range inPath {
		if slices.Contains(inPath[:i], name) ||
			slices.ContainsFunc(out, func(p definition.Param) bool { return p.Name == name && p.In == definition.InPath }) {
			continue
		}
		if seen[name] {
			x.warn("%s: parameter %q is named in the path but declared elsewhere: it is used as a path parameter", fn, name)
			out = slices.DeleteFunc(out, func(p definition.Param) bool { return p.Name == name })
		} else {
			x.warn("%s: path parameter %q is not declared: added as a required string", fn, name)
		}
		missing = append(missing, definition.Param{Name: name, In: definition.InPath, Type: definition.TypeString, Required: true})
		seen[name] = true
	}
	return append(missing, out...)
}
