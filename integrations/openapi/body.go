package openapi

import (
	"maps"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"switchboard/integrations/definition"
)

// Media types whose top-level properties become body parameters.
const (
	mediaJSON      = "application/json"
	mediaForm      = "application/x-www-form-urlencoded"
	mediaMultipart = "multipart/form-data"
)

// maxSchemaDepth bounds the allOf nesting followed.
const maxSchemaDepth = 8

// body converts the top-level properties of an operation's JSON or form
// request body (after $ref and allOf) into body parameters, required as
// the schema says. Read-only properties are left out: a client does not
// send them.
func (x *extractor) body(fn string, op *openapi3.Operation, rawOp *node) []definition.Param {
	if op.RequestBody == nil || op.RequestBody.Value == nil || len(op.RequestBody.Value.Content) == 0 {
		return nil
	}
	content := op.RequestBody.Value.Content
	mt, kind := pickMedia(content)
	if mt == nil {
		x.warn("%s: the request body (%s) is not imported as parameters: only JSON and form bodies are", fn, strings.Join(slices.Sorted(maps.Keys(content)), ", "))
		return nil
	}
	if kind != mediaJSON {
		x.formOnly = append(x.formOnly, fn)
	}
	var s *openapi3.Schema
	if mt.Schema != nil {
		s = mt.Schema.Value
	}
	x.hintBody(s, rawOp, kind)
	f := &flat{props: map[string]*openapi3.Schema{}, required: map[string]bool{}}
	x.flatten(s, f, 0)
	switch {
	case f.list:
		x.warn("%s: the request body is a list, not an object: it is not imported as parameters (write a body_template)", fn)
		return nil
	case len(f.names) == 0:
		x.freeForm = append(x.freeForm, fn)
		return nil
	}
	out := make([]definition.Param, 0, len(f.names))
	for _, name := range f.names {
		ps := f.props[name]
		if ps != nil && ps.ReadOnly {
			continue
		}
		p := definition.Param{Name: name, In: definition.InBody, Type: schemaType(ps), Required: f.required[name]}
		if ps != nil {
			p.Description = strings.TrimSpace(ps.Description)
		}
		x.values(fn, &p, ps)
		out = append(out, p)
	}
	return out
}

// pickMedia chooses the body's media type: JSON (application/json, then
// any other JSON type), then URL-encoded form, then multipart form.
func pickMedia(content openapi3.Content) (*openapi3.MediaType, string) {
	keys := slices.Sorted(maps.Keys(content))
	for _, want := range []func(string) bool{
		func(k string) bool { return k == mediaJSON },
		func(k string) bool {
			return strings.HasPrefix(k, mediaJSON) || strings.HasSuffix(mediaBase(k), "+json")
		},
		func(k string) bool { return mediaBase(k) == mediaForm },
		func(k string) bool { return mediaBase(k) == mediaMultipart },
	} {
		for _, k := range keys {
			if want(strings.ToLower(k)) && content[k] != nil {
				if strings.Contains(strings.ToLower(k), "json") {
					return content[k], mediaJSON
				}
				return content[k], mediaBase(strings.ToLower(k))
			}
		}
	}
	return nil, ""
}

// mediaBase strips parameters from a media type.
func mediaBase(k string) string {
	base, _, _ := strings.Cut(k, ";")
	return strings.TrimSpace(base)
}

// flat is a schema's top-level properties with allOf merged in.
type flat struct {
	names    []string
	props    map[string]*openapi3.Schema
	required map[string]bool
	list     bool
}

// flatten merges s (and its allOf members) into f.
func (x *extractor) flatten(s *openapi3.Schema, f *flat, depth int) {
	if s == nil || depth > maxSchemaDepth {
		return
	}
	if depth == 0 && s.Type != nil && s.Type.Is("array") {
		f.list = true
		return
	}
	for _, r := range s.AllOf {
		if r != nil {
			x.flatten(r.Value, f, depth+1)
		}
	}
	for _, name := range x.propertyOrder(s) {
		if _, ok := f.props[name]; !ok {
			f.names = append(f.names, name)
		}
		if r := s.Properties[name]; r != nil {
			f.props[name] = r.Value
		}
	}
	for _, r := range s.Required {
		f.required[r] = true
	}
}

// propertyOrder lists a schema's properties in document order when known,
// else sorted.
func (x *extractor) propertyOrder(s *openapi3.Schema) []string {
	out := make([]string, 0, len(s.Properties))
	seen := map[string]bool{}
	for _, name := range x.order[s] {
		if _, ok := s.Properties[name]; ok && !seen[name] {
			out = append(out, name)
			seen[name] = true
		}
	}
	for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
		if !seen[name] {
			out = append(out, name)
		}
	}
	return out
}

// hint records the property order of s (and of its inline allOf members)
// from its raw form.
func (x *extractor) hint(s *openapi3.Schema, raw *node) {
	x.hintDepth(s, raw, 0)
}

func (x *extractor) hintDepth(s *openapi3.Schema, raw *node, depth int) {
	if s == nil || raw == nil || raw.kind != kindObject || raw.has("$ref") || depth > maxSchemaDepth {
		return
	}
	if _, done := x.order[s]; done {
		return
	}
	if props := raw.get("properties"); props != nil && props.kind == kindObject {
		x.order[s] = props.keys
	}
	if all := raw.get("allOf"); all != nil && all.kind == kindArray {
		for i, r := range s.AllOf {
			if r != nil && i < len(all.items) {
				x.hintDepth(r.Value, all.items[i], depth+1)
			}
		}
	}
}

// hintBody records the property order of an inline body schema: in
// OpenAPI 3 the schema of the chosen media type, in Swagger 2 the body
// parameter's schema or the order of the formData parameters.
func (x *extractor) hintBody(s *openapi3.Schema, rawOp *node, kind string) {
	if s == nil || rawOp == nil {
		return
	}
	if !x.swagger {
		content := x.derefRaw(x.derefRaw(rawOp.get("requestBody")).get("content"))
		if content == nil {
			return
		}
		for i, k := range content.keys {
			if kind == mediaJSON && strings.Contains(strings.ToLower(k), "json") || mediaBase(strings.ToLower(k)) == kind {
				x.hint(s, x.derefRaw(content.items[i]).get("schema"))
				return
			}
		}
		return
	}
	x.hintSwaggerBody(s, rawOp)
}

// hintSwaggerBody records the order of a Swagger 2 body: the schema of
// the "in: body" parameter, or the formData parameters in order.
func (x *extractor) hintSwaggerBody(s *openapi3.Schema, rawOp *node) {
	params := rawOp.get("parameters")
	if params == nil {
		return
	}
	var form []string
	for _, p := range params.items {
		p = x.derefRaw(p)
		in, _ := p.str("in")
		switch in {
		case "body":
			x.hint(s, p.get("schema"))
			return
		case "formData":
			if name, ok := p.str("name"); ok {
				form = append(form, name)
			}
		}
	}
	if len(form) > 0 {
		if _, done := x.order[s]; !done {
			x.order[s] = form
		}
	}
}
