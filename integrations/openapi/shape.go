package openapi

import (
	"strings"
)

// methods are the operation keys of a path item, in the order an
// operation without document order is listed.
var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// isMethod reports whether a path item key names an operation.
func isMethod(k string) bool {
	for _, m := range methods {
		if k == m {
			return true
		}
	}
	return false
}

// checkShape checks the structure the importer relies on, so that a
// value of the wrong kind is reported at its place: kin-openapi reports
// such faults by Go type name only ("cannot unmarshal number into field
// Operation.parameters").
func checkShape(root *node, swagger bool) error {
	s := shape{}
	s.object(root, "", "the document")
	s.optional(root, "", "info", kindObject)
	s.optional(root.get("info"), "/info", "title", kindString)
	s.optional(root, "", "tags", kindArray)
	s.optional(root, "", "security", kindArray)
	if swagger {
		s.namedParams(root.get("parameters"), "/parameters")
		for _, k := range []string{"host", "basePath"} {
			s.optional(root, "", k, kindString)
		}
		if host, ok := root.str("host"); ok && strings.ContainsAny(host, "/ ") {
			s.fail("/host", root.get("host"), "host must be a host name (and port), without scheme or path: %q", host)
		}
		s.strings(root, "", "schemes")
		for _, k := range []string{"definitions", "parameters", "responses", "securityDefinitions"} {
			s.container(root, "", k)
		}
	} else {
		s.servers(root)
		s.optional(root, "", "components", kindObject)
		if c := root.get("components"); c != nil && c.kind == kindObject {
			for _, k := range c.keys {
				if !strings.HasPrefix(k, "x-") {
					s.container(c, "/components", k)
				}
			}
			s.namedParams(c.get("parameters"), "/components/parameters")
		}
	}
	s.paths(root)
	return s.err
}

// shape records the first structural fault.
type shape struct{ err error }

// fail records a fault unless one is recorded already.
func (s *shape) fail(ptr string, n *node, format string, args ...any) {
	if s.err == nil {
		s.err = failf(ptr, n, format, args...)
	}
}

// object checks that n is an object.
func (s *shape) object(n *node, ptr, what string) bool {
	if n == nil || n.kind != kindObject {
		s.fail(ptr, n, "%s must be an object, not %s", what, n.kindName())
		return false
	}
	return true
}

// optional checks the kind of an object's key when it is present (null
// counts as absent).
func (s *shape) optional(parent *node, ptr, key string, want kind) {
	v := parent.get(key)
	if v == nil || v.kind == kindNull || v.kind == want {
		return
	}
	s.fail(pointerJoin(ptr, key), v, "%s must be %s, not %s", key, (&node{kind: want}).kindName(), v.kindName())
}

// strings checks an optional list of strings.
func (s *shape) strings(parent *node, ptr, key string) {
	s.optional(parent, ptr, key, kindArray)
	v := parent.get(key)
	if v == nil || v.kind != kindArray {
		return
	}
	for i, it := range v.items {
		if it.kind != kindString {
			s.fail(pointerIndex(pointerJoin(ptr, key), i), it, "must be a string, not %s", it.kindName())
		}
	}
}

// container checks an optional map of objects (components.schemas,
// definitions, ...).
func (s *shape) container(parent *node, ptr, key string) {
	s.optional(parent, ptr, key, kindObject)
	v := parent.get(key)
	if v == nil || v.kind != kindObject {
		return
	}
	p := pointerJoin(ptr, key)
	for i, k := range v.keys {
		it := v.items[i]
		if it.kind != kindObject && it.kind != kindBool && !strings.HasPrefix(k, "x-") {
			s.fail(pointerJoin(p, k), it, "%s must be an object, not %s", k, it.kindName())
		}
	}
}

// servers checks the servers list of OpenAPI 3.
func (s *shape) servers(root *node) {
	s.optional(root, "", "servers", kindArray)
	v := root.get("servers")
	if v == nil || v.kind != kindArray {
		return
	}
	for i, it := range v.items {
		p := pointerIndex("/servers", i)
		if s.object(it, p, "a server") {
			s.optional(it, p, "url", kindString)
			s.optional(it, p, "variables", kindObject)
		}
	}
}

// paths checks the paths object, its path items and their operations.
func (s *shape) paths(root *node) {
	s.optional(root, "", "paths", kindObject)
	paths := root.get("paths")
	if paths == nil || paths.kind != kindObject {
		return
	}
	for i, p := range paths.keys {
		if strings.HasPrefix(p, "x-") {
			continue
		}
		ptr := pointerJoin("/paths", p)
		item := paths.items[i]
		if item.kind == kindNull {
			continue
		}
		if !s.object(item, ptr, "a path item") {
			return
		}
		s.parameters(item, ptr)
		for j, k := range item.keys {
			if isMethod(k) && item.items[j].kind != kindNull {
				s.operation(item.items[j], pointerJoin(ptr, k))
			}
		}
	}
}

// operation checks one operation.
func (s *shape) operation(op *node, ptr string) {
	if !s.object(op, ptr, "an operation") {
		return
	}
	s.optional(op, ptr, "operationId", kindString)
	s.optional(op, ptr, "summary", kindString)
	s.optional(op, ptr, "description", kindString)
	s.strings(op, ptr, "tags")
	s.optional(op, ptr, "requestBody", kindObject)
	s.optional(op, ptr, "responses", kindObject)
	s.optional(op, ptr, "security", kindArray)
	s.parameters(op, ptr)
}

// namedParams checks the reusable parameters of the components (or of
// Swagger 2's parameters).
func (s *shape) namedParams(params *node, ptr string) {
	if params == nil || params.kind != kindObject {
		return
	}
	for i, k := range params.keys {
		if p := params.items[i]; p.kind == kindObject && !p.has("$ref") {
			s.parameter(p, pointerJoin(ptr, k))
		}
	}
}

// parameter checks that a parameter has a name and a location.
func (s *shape) parameter(p *node, ptr string) {
	for _, k := range []string{"name", "in"} {
		v := p.get(k)
		if v == nil || v.kind != kindString || v.text == "" {
			s.fail(ptr, p, "the parameter needs a %s (a string)", k)
		}
	}
}

// parameters checks the parameters list of a path item or operation:
// each parameter needs a name and a location.
func (s *shape) parameters(parent *node, ptr string) {
	s.optional(parent, ptr, "parameters", kindArray)
	list := parent.get("parameters")
	if list == nil || list.kind != kindArray {
		return
	}
	lp := pointerJoin(ptr, "parameters")
	for i, p := range list.items {
		pp := pointerIndex(lp, i)
		if s.object(p, pp, "a parameter") && !p.has("$ref") {
			s.parameter(p, pp)
		}
	}
}
