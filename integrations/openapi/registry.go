package openapi

import (
	"errors"
	"regexp"
	"strings"

	"switchboard/integrations/definition"
)

// ParseRegistry reads a registry file: a JSON (or YAML) array of endpoint
// objects in the definition document's endpoints form, an object with
// an "endpoints" array, or the original system's registry (an object with
// a "functions" array, see FormatOriginal) (a whole definition document works too: its name,
// description, base URL and auth come along; its other settings do not).
// Reading is strict: an unknown field or a value of the wrong kind is
// refused naming its place ("[12].parms: unknown field"), and so is an
// endpoint the definition rules refuse. Every error is an *Error.
func ParseRegistry(data []byte, filename string) (*Source, error) {
	root, err := decode(data, filename)
	if err != nil {
		return nil, asError(filename, err)
	}
	return parseRegistry(root, filename)
}

// registryExtras are document settings a registry import leaves behind.
var registryExtras = []string{"category", "request_format", "body_template", "headers", "timeout", "retry", "rate_limit",
	"success", "extract", "test_function", "enabled", "error_rules", "access_windows", "parameter_maps", "sync",
	"max_response_bytes"}

// parseRegistry imports a decoded registry.
func parseRegistry(root *node, file string) (*Source, error) {
	list := root.kind == kindArray
	var js []byte
	switch {
	case list:
		js = appendJSON([]byte(`{"endpoints":`), root)
		js = append(js, '}')
	case root.kind == kindObject && root.has("endpoints"):
		js = appendJSON(nil, root)
	case isOriginalRegistry(root):
		return parseOriginal(root, file)
	default:
		return nil, &Error{File: file, Line: int(root.line), Reason: "a registry is an array of endpoint objects, an object with an endpoints array, " +
			"or the original system's object with a functions array"}
	}
	doc, err := definition.ParseJSON(js)
	if err != nil {
		var de *definition.DecodeError
		if errors.As(err, &de) {
			return nil, registryError(file, root, list, de.Problems)
		}
		return nil, &Error{File: file, Reason: err.Error()}
	}
	src := &Source{Format: "registry", Endpoints: doc.Endpoints}
	if !list {
		documentSettings(src, doc, root)
	}
	if len(src.Endpoints) == 0 {
		src.Warnings = append(src.Warnings, "the registry has no endpoints: there is nothing to import")
	}
	if problems := endpointProblems(src.Endpoints, src.CredentialFields, src.Auth); len(problems) > 0 {
		return nil, registryError(file, root, list, problems)
	}
	return src, nil
}

// documentSettings takes what a registry object carries besides its
// endpoints.
func documentSettings(src *Source, doc *definition.Document, root *node) {
	src.Title, src.Description = strings.TrimSpace(doc.Name), strings.TrimSpace(doc.Description)
	src.BaseURL = doc.BaseURL[definition.EnvProduction]
	if src.BaseURL == "" {
		src.BaseURL = doc.BaseURL[definition.EnvSandbox]
	}
	if doc.Auth.Type != "" && doc.Auth.Type != definition.AuthNone {
		a := doc.Auth
		src.Auth = &a
		src.CredentialFields = doc.CredentialNames()
	}
	var left []string
	for _, k := range registryExtras {
		if root.has(k) {
			left = append(left, k)
		}
	}
	if len(left) > 0 {
		src.Warnings = append(src.Warnings, "only endpoints, base URL and auth are imported; these settings are not: "+strings.Join(left, ", "))
	}
}

// registryError words definition problems as an *Error: places in the
// file's own terms ("[12].parms" for a bare array), the pointer and line
// of the first.
func registryError(file string, root *node, list bool, problems []definition.Problem) *Error {
	e := &Error{File: file}
	msgs := make([]string, 0, len(problems))
	for i, p := range problems {
		place := p.Field
		if list {
			place = strings.TrimPrefix(place, "endpoints")
		}
		if i == 0 {
			e.Pointer = fieldPointer(place)
			if n := lookup(root, e.Pointer); n != nil {
				e.Line = int(n.line)
			}
		}
		if place == "" {
			msgs = append(msgs, p.Message)
			continue
		}
		msgs = append(msgs, place+": "+p.Message)
	}
	e.Reason = strings.Join(msgs, "; ")
	return e
}

var fieldIndex = regexp.MustCompile(`\[(\d+)\]`)

// fieldPointer turns a definition place ("endpoints[3].params[0].in",
// "[3].parms") into a JSON pointer ("/endpoints/3/params/0/in").
func fieldPointer(field string) string {
	if field == "" {
		return ""
	}
	field = fieldIndex.ReplaceAllString(field, ".$1")
	var ptr string
	for _, seg := range strings.Split(strings.TrimPrefix(field, "."), ".") {
		ptr = pointerJoin(ptr, seg)
	}
	return ptr
}
