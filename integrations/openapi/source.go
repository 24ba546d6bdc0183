package openapi

import (
	"fmt"
	"regexp"
	"strings"

	"switchboard/integrations/definition"
)

// Source is what an imported file offers: endpoints in the definition
// document's form, and for a new integration a base URL, a suggested auth
// setting with its credential fields, a title and a description.
// Warnings say what was left out or adjusted on the way.
type Source struct {
	// Format is "openapi 3.0.4", "swagger 2.0" or "registry".
	Format           string
	BaseURL          string
	Auth             *definition.Auth
	CredentialFields []string
	Title            string
	Description      string
	Endpoints        []definition.Endpoint
	Warnings         []string
	// Normalized says what the import adjusted to fit the definition
	// document (a registry in the original shape: methods, path
	// prefixes, parameters). Duplicates names function names that
	// appeared more than once and how the repeats were renamed.
	Normalized []string
	Duplicates []string
	// original marks a registry in the original system's shape.
	original bool
}

// Parse reads an OpenAPI 3.x or Swagger 2.0 document, or a registry file,
// telling them apart by content: an object with an "openapi" or "swagger"
// key is an API description, an array or an object with "endpoints" a
// registry. filename only names the file in errors. Every error is an
// *Error.
func Parse(data []byte, filename string) (*Source, error) {
	root, err := decode(data, filename)
	if err != nil {
		return nil, asError(filename, err)
	}
	switch {
	case root.kind == kindObject && (root.has("openapi") || root.has("swagger")):
		return parseOpenAPI(root, filename)
	case root.kind == kindArray || root.has("endpoints"):
		return parseRegistry(root, filename)
	case isOriginalRegistry(root):
		return parseOriginal(root, filename)
	}
	return nil, &Error{File: filename, Line: int(root.line), Reason: "not an OpenAPI 3, Swagger 2.0 or registry document: " +
		"expected an object with an openapi, swagger, endpoints or functions key, or an array of endpoints"}
}

// ParseOpenAPI reads an OpenAPI 3.x or Swagger 2.0 document, YAML or
// JSON, into a Source: one endpoint per operation. Every error is an
// *Error.
func ParseOpenAPI(data []byte, filename string) (*Source, error) {
	root, err := decode(data, filename)
	if err != nil {
		return nil, asError(filename, err)
	}
	return parseOpenAPI(root, filename)
}

var (
	oas3Version    = regexp.MustCompile(`^3\.\d+(\.\d+)?(-[0-9A-Za-z.-]+)?$`)
	swaggerVersion = regexp.MustCompile(`^2\.0(\.0)?$`)
)

// parseOpenAPI imports a decoded API description.
func parseOpenAPI(root *node, file string) (*Source, error) {
	swagger, version, err := detectVersion(root)
	if err != nil {
		return nil, asError(file, err)
	}
	if err := checkShape(root, swagger); err != nil {
		return nil, asError(file, err)
	}
	if err := checkRefs(root); err != nil {
		return nil, asError(file, err)
	}
	x := newExtractor(root, swagger)
	findings, err := x.read()
	if err != nil {
		return nil, asError(file, err)
	}
	src := &Source{Format: version, Warnings: capFindings(findings)}
	if info := x.doc.Info; info != nil {
		src.Title = strings.TrimSpace(info.Title)
		src.Description = strings.TrimSpace(info.Description)
	}
	src.Endpoints = x.endpoints
	src.BaseURL = x.baseURL()
	src.Auth, src.CredentialFields = x.suggestAuth(src.BaseURL)
	src.Warnings = append(src.Warnings, x.warnings...)
	src.Warnings = append(src.Warnings, x.summaries()...)
	return src, nil
}

// release lets go of what a batch read and no later batch refers to: its
// path items and the components it was the last to use, so that a large
// document's tree shrinks as the import goes.
func (x *extractor) release(paths *node, b int, plan batchPlan, last map[string]int) {
	for _, i := range plan.items {
		if ptr := pointerJoin("/paths", paths.keys[i]); last[ptr] <= b {
			paths.items[i] = scalarNode(kindNull, "", int(paths.items[i].line))
		}
	}
	for _, m := range plan.members {
		if last[m] == b && !strings.HasPrefix(m, "/paths/") {
			releaseMember(x.root, m)
		}
	}
}

// read loads the document with kin-openapi one batch of path items at a
// time (see partOf) and extracts their operations; the last batch's
// document stays as x.doc for what every batch shares (info, servers,
// security schemes). It returns kin-openapi's validation findings, each
// once.
func (x *extractor) read() ([]string, error) {
	paths := x.root.get("paths")
	if paths == nil || paths.kind != kindObject || len(paths.keys) == 0 {
		x.warn("the document has no paths: there is nothing to import")
		doc, err := load(x.root, appendJSON(nil, partOf(x.root, x.swagger, batchPlan{})), x.swagger)
		x.doc = doc
		return validate(doc), err
	}
	var findings []string
	seen := map[string]bool{}
	plans := planBatches(x.root, x.swagger)
	last := lastUses(plans)
	for b, plan := range plans {
		x.doc, x.order = nil, nil // the previous batch goes before the next comes
		part := partOf(x.root, x.swagger, plan)
		doc, err := load(part, appendJSON(nil, part), x.swagger)
		if err != nil {
			return nil, err
		}
		x.use(doc)
		for _, f := range validate(doc) {
			if !seen[f] {
				seen[f] = true
				findings = append(findings, f)
			}
		}
		x.operations(paths, plan.items)
		x.release(paths, b, plan, last)
	}
	x.root = nil // the tree is done with; let it go before the endpoints are checked
	x.fixup()
	return findings, nil
}

// detectVersion reads the openapi or swagger key. YAML reads an unquoted
// 2.0 or 3.0 as a number; that is taken as meant, with the key rewritten
// as a string for kin-openapi.
func detectVersion(root *node) (swagger bool, format string, err error) {
	key := "openapi"
	if !root.has(key) {
		key, swagger = "swagger", true
	}
	v := root.get(key)
	if v == nil {
		return false, "", failf("", root, "not an OpenAPI 3 or Swagger 2.0 document: expected an object with an openapi or swagger key")
	}
	if v.kind == kindNumber {
		text := v.text
		if !strings.Contains(text, ".") {
			text += ".0"
		}
		v = scalarNode(kindString, text, int(v.line))
		root.set(key, v)
	}
	if v.kind != kindString {
		example := "3.0.3"
		if swagger {
			example = "2.0"
		}
		return false, "", failf("/"+key, v, "%s must be a version string such as %q, not %s", key, example, v.kindName())
	}
	if swagger && !swaggerVersion.MatchString(v.text) {
		return false, "", failf("/swagger", v, "unsupported Swagger version %q (2.0 is supported)", v.text)
	}
	if !swagger && !oas3Version.MatchString(v.text) {
		return false, "", failf("/openapi", v, "unsupported OpenAPI version %q (3.x is supported; convert older documents to Swagger 2.0 or OpenAPI 3)", v.text)
	}
	if swagger {
		return true, "swagger " + v.text, nil
	}
	return false, "openapi " + v.text, nil
}

// Filter selects the endpoints to import.
type Filter struct {
	// Tags keeps endpoints with at least one of these tags (compared
	// without regard to case); empty keeps all.
	Tags []string
	// PathPrefix keeps endpoints whose path is the prefix or lies under
	// it, segment by segment: "/pet" keeps /pet and /pet/{petId} but not
	// /pets. A prefix ending in "/" matches as written.
	PathPrefix string
}

// IsZero reports whether the filter keeps everything.
func (f Filter) IsZero() bool { return len(f.Tags) == 0 && strings.TrimSpace(f.PathPrefix) == "" }

// Filter returns a copy of s with the endpoints that f keeps (both
// conditions must hold), and a warning saying how many were kept.
func (s *Source) Filter(f Filter) *Source {
	out := *s
	out.Warnings = append([]string(nil), s.Warnings...)
	if f.IsZero() {
		out.Endpoints = append([]definition.Endpoint(nil), s.Endpoints...)
		return &out
	}
	out.Endpoints = nil
	for _, e := range s.Endpoints {
		if f.keeps(e) {
			out.Endpoints = append(out.Endpoints, e)
		}
	}
	out.Warnings = append(out.Warnings, fmt.Sprintf("the filter kept %d of %d endpoints", len(out.Endpoints), len(s.Endpoints)))
	return &out
}

// keeps reports whether the filter keeps e.
func (f Filter) keeps(e definition.Endpoint) bool {
	if len(f.Tags) > 0 && !hasTag(e.Tags, f.Tags) {
		return false
	}
	prefix := strings.TrimSpace(f.PathPrefix)
	switch {
	case prefix == "" || prefix == "/":
		return true
	case strings.HasSuffix(prefix, "/"):
		return strings.HasPrefix(e.Path, prefix)
	}
	return e.Path == prefix || strings.HasPrefix(e.Path, prefix+"/")
}

// hasTag reports whether tags share one with want, ignoring case.
func hasTag(tags, want []string) bool {
	for _, t := range tags {
		for _, w := range want {
			if strings.EqualFold(strings.TrimSpace(t), strings.TrimSpace(w)) {
				return true
			}
		}
	}
	return false
}
