package openapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
)

// maxValidationWarnings caps the warnings taken from kin-openapi's
// validation.
const maxValidationWarnings = 10

// load reads the tree with kin-openapi: OpenAPI 3 directly, Swagger 2
// converted to OpenAPI 3 with openapi2conv. References are resolved.
// kin-openapi is not known to panic on odd input, but a library panic
// must not take the server down with it, so one becomes an error.
func load(root *node, js []byte, swagger bool) (doc *openapi3.T, err error) {
	defer func() {
		if r := recover(); r != nil {
			doc, err = nil, &failure{reason: fmt.Sprintf("the OpenAPI library failed to read the document: %v", r)}
		}
	}()
	if swagger {
		var d2 openapi2.T
		if err := json.Unmarshal(js, &d2); err != nil {
			return nil, locate(root, swagger, err)
		}
		doc, err := openapi2conv.ToV3(&d2)
		if err != nil {
			return nil, &failure{reason: "cannot convert the Swagger 2.0 document: " + err.Error()}
		}
		return doc, nil
	}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	doc, err = loader.LoadFromData(js)
	if err != nil {
		return nil, locate(root, swagger, err)
	}
	return doc, nil
}

// validate runs kin-openapi's validation and returns its findings, to be
// shown as warnings: an import needs far less than a conforming document
// (no info.version, no response descriptions), and whatever the import
// does need is checked where it is used.
func validate(doc *openapi3.T) (findings []string) {
	defer func() {
		if r := recover(); r != nil {
			findings = append(findings, fmt.Sprintf("the document could not be fully validated: %v", r))
		}
	}()
	err := doc.Validate(context.Background(),
		openapi3.EnableMultiError(),
		openapi3.DisableExamplesValidation(),
		openapi3.DisableSchemaDefaultsValidation(),
		openapi3.DisableSchemaPatternValidation(),
		openapi3.DisableSchemaFormatValidation(),
	)
	if err == nil {
		return nil
	}
	var errs []error
	var me openapi3.MultiError
	if errors.As(err, &me) {
		errs = flatten(me)
	} else {
		errs = []error{err}
	}
	for _, e := range errs {
		findings = append(findings, "the document does not follow the OpenAPI rules: "+e.Error())
	}
	return findings
}

// capFindings keeps the first maxValidationWarnings findings and counts
// the rest.
func capFindings(findings []string) []string {
	if len(findings) <= maxValidationWarnings {
		return findings
	}
	out := append([]string(nil), findings[:maxValidationWarnings]...)
	return append(out, fmt.Sprintf("... and %d more findings of the OpenAPI validation", len(findings)-maxValidationWarnings))
}

// flatten expands nested multi-errors.
func flatten(me openapi3.MultiError) []error {
	var out []error
	for _, e := range me {
		var inner openapi3.MultiError
		if errors.As(e, &inner) && len(inner) > 0 {
			out = append(out, flatten(inner)...)
			continue
		}
		out = append(out, e)
	}
	return out
}

// locate turns a kin-openapi read error into a failure at the smallest
// part of the document that fails on its own: each path item, operation
// and component is read separately until one gives the error.
func locate(root *node, swagger bool, err error) error {
	reason := cleanKinError(err)
	for _, part := range parts(root, swagger) {
		n := lookup(root, part.ptr)
		if n == nil {
			continue
		}
		v := part.into()
		if e := json.Unmarshal(appendJSON(nil, n), v); e != nil {
			return failf(part.ptr, n, "%s", cleanKinError(e))
		}
	}
	return &failure{reason: reason}
}

// part is a place in the document and the kin-openapi type it holds.
type part struct {
	ptr  string
	into func() any
}

// parts lists, smallest first, the places locate tries.
func parts(root *node, swagger bool) []part {
	var out []part
	paths := root.get("paths")
	if paths != nil && paths.kind == kindObject {
		for i, p := range paths.keys {
			ptr := pointerJoin("/paths", p)
			for _, k := range paths.items[i].keys {
				if isMethod(k) {
					out = append(out, part{pointerJoin(ptr, k), operationType(swagger)})
				}
			}
			out = append(out, part{ptr, pathItemType(swagger)})
		}
	}
	if swagger {
		out = append(out, component(root, "/definitions", func() any { return &openapi2.Schema{} })...)
		out = append(out, component(root, "/parameters", func() any { return &openapi2.Parameter{} })...)
		out = append(out, component(root, "/securityDefinitions", func() any { return &openapi2.SecurityScheme{} })...)
		return append(out, part{"/info", func() any { return &openapi3.Info{} }})
	}
	out = append(out, component(root, "/components/schemas", func() any { return &openapi3.Schema{} })...)
	out = append(out, component(root, "/components/parameters", func() any { return &openapi3.Parameter{} })...)
	out = append(out, component(root, "/components/requestBodies", func() any { return &openapi3.RequestBody{} })...)
	out = append(out, component(root, "/components/responses", func() any { return &openapi3.Response{} })...)
	out = append(out, component(root, "/components/securitySchemes", func() any { return &openapi3.SecurityScheme{} })...)
	return append(out, part{"/info", func() any { return &openapi3.Info{} }}, part{"/components", func() any { return &openapi3.Components{} }})
}

// component lists the members of a components map.
func component(root *node, ptr string, into func() any) []part {
	var out []part
	if c := lookup(root, ptr); c != nil {
		for _, k := range c.keys {
			out = append(out, part{pointerJoin(ptr, k), into})
		}
	}
	return out
}

func operationType(swagger bool) func() any {
	if swagger {
		return func() any { return &openapi2.Operation{} }
	}
	return func() any { return &openapi3.Operation{} }
}

func pathItemType(swagger bool) func() any {
	if swagger {
		return func() any { return &openapi2.PathItem{} }
	}
	return func() any { return &openapi3.PathItem{} }
}

// cleanKinError keeps the useful part of a kin-openapi read error: its
// loader tries JSON and then YAML and reports both.
func cleanKinError(err error) string {
	msg := err.Error()
	if _, after, ok := strings.Cut(msg, "json error: "); ok {
		msg = after
		if before, _, ok := strings.Cut(msg, ", yaml error: "); ok {
			msg = before
		}
	}
	msg = strings.TrimPrefix(msg, "json: ")
	return "cannot read the document: " + msg
}
