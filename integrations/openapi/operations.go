package openapi

import (
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"switchboard/integrations/definition"
)

// extractor turns the operations of a document into endpoints, reading
// them batch by batch from the documents kin-openapi loads (see read).
type extractor struct {
	root      *node
	doc       *openapi3.T
	swagger   bool
	names     *namer
	order     map[*openapi3.Schema][]string
	endpoints []definition.Endpoint
	pointers  []string // the operation pointer of each endpoint
	warnings  []string
	freeForm  []string // functions whose body declares no properties
	formOnly  []string // functions whose body is form-encoded only
	// uses counts the operations that require each security scheme, and
	// scopes gathers the scopes they ask for, over every batch.
	uses   map[string]int
	scopes map[string][]string
}

// newExtractor prepares an extractor over a decoded document.
func newExtractor(root *node, swagger bool) *extractor {
	return &extractor{root: root, swagger: swagger, names: newNamer(), uses: map[string]int{}, scopes: map[string][]string{}}
}

// use makes doc (one batch of the document, loaded) the one read, with
// the property order of its named schemas taken from the document. The
// previous batch's schemas are let go.
func (x *extractor) use(doc *openapi3.T) {
	x.doc, x.order = doc, map[*openapi3.Schema][]string{}
	if doc.Components == nil {
		return
	}
	base := "/components/schemas"
	if x.swagger {
		base = "/definitions"
	}
	for name, ref := range doc.Components.Schemas {
		if ref != nil {
			x.hint(ref.Value, lookup(x.root, pointerJoin(base, name)))
		}
	}
}

// warn records a warning.
func (x *extractor) warn(format string, args ...any) {
	x.warnings = append(x.warnings, fmt.Sprintf(format, args...))
}

// operations extracts the operations of a batch of path items (indexes
// into paths' keys), paths and methods in document order.
func (x *extractor) operations(rawPaths *node, batch []int) {
	for _, i := range batch {
		p := rawPaths.keys[i]
		item := x.doc.Paths.Value(p)
		if item == nil || strings.HasPrefix(p, "x-") {
			continue
		}
		ptr := pointerJoin("/paths", p)
		if !strings.HasPrefix(p, "/") {
			x.warn("%s: skipped: a path must start with /", ptr)
			continue
		}
		raw := x.derefRaw(rawPaths.items[i])
		for _, m := range x.methodOrder(raw, item) {
			if op := item.GetOperation(strings.ToUpper(m)); op != nil {
				x.operation(p, m, item, op, raw.get(m), pointerJoin(ptr, m))
			}
		}
	}
}

// derefRaw follows a raw $ref (checked already) to its target.
func (x *extractor) derefRaw(n *node) *node {
	for hop := 0; hop < maxRefHops && n != nil; hop++ {
		ref, ok := n.str("$ref")
		if !ok {
			return n
		}
		frag, err := localFragment(ref)
		if err != nil {
			return nil
		}
		n = lookup(x.root, frag)
	}
	return n
}

// methodOrder lists the methods of a path item: as written in the
// document, then any others kin-openapi knows of in the usual order.
func (x *extractor) methodOrder(raw *node, item *openapi3.PathItem) []string {
	var out []string
	seen := map[string]bool{}
	if raw != nil {
		for _, k := range raw.keys {
			if isMethod(k) && !seen[k] {
				out = append(out, k)
				seen[k] = true
			}
		}
	}
	for _, m := range methods {
		if !seen[m] && item.GetOperation(strings.ToUpper(m)) != nil {
			out = append(out, m)
		}
	}
	return out
}

// operation builds the endpoint of one operation.
func (x *extractor) operation(path, method string, item *openapi3.PathItem, op *openapi3.Operation, raw *node, ptr string) {
	x.countSecurity(op)
	if method == "trace" {
		x.warn("%s: skipped: TRACE operations are not supported", ptr)
		return
	}
	m := strings.ToUpper(method)
	e := definition.Endpoint{
		Function:    x.names.name(op.OperationID, m, path),
		Method:      m,
		Path:        path,
		Description: describe(op),
		Tags:        cleanTags(op.Tags),
		Writes:      m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE",
	}
	params := x.params(e.Function, item.Parameters, op.Parameters)
	params = append(params, x.body(e.Function, op, raw)...)
	e.Params = x.reconcile(e.Function, path, params)
	x.endpoints = append(x.endpoints, e)
	x.pointers = append(x.pointers, ptr)
}

// describe joins an operation's summary and description.
func describe(op *openapi3.Operation) string {
	summary, desc := strings.TrimSpace(op.Summary), strings.TrimSpace(op.Description)
	switch {
	case summary == "":
		return desc
	case desc == "" || desc == summary:
		return summary
	}
	return summary + "\n\n" + desc
}

// cleanTags drops blank tags.
func cleanTags(tags []string) []string {
	var out []string
	for _, t := range tags {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

// summaries words the warnings collected per function.
func (x *extractor) summaries() []string {
	var out []string
	if len(x.freeForm) > 0 {
		out = append(out, "request bodies without declared properties (free-form JSON), so without body parameters: "+listNames(x.freeForm))
	}
	if len(x.formOnly) > 0 {
		out = append(out, "request bodies that are form-encoded only (the integration's request_format must be form for these): "+listNames(x.formOnly))
	}
	return out
}

// listNames joins names, naming at most ten.
func listNames(names []string) string {
	if len(names) <= 10 {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:10], ", ") + fmt.Sprintf(" and %d more", len(names)-10)
}
