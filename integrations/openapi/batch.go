package openapi

import "strings"

// batchValues is about how many values of path items one batch of an
// import hands to kin-openapi at once; the components they refer to come
// on top. kin-openapi holds a document in several times the memory of
// its text (every schema is a large struct, and its JSON decoding reads
// each object twice), so a large document is loaded a few hundred path
// items at a time, never whole.
const batchValues = 2_000

// batches splits the document's path items (indexes into paths' keys)
// into groups of about batchValues values each.
func batches(paths *node) [][]int {
	var out [][]int
	var cur []int
	size := 0
	for i := range paths.keys {
		cur = append(cur, i)
		if size += countValues(paths.items[i]); size >= batchValues {
			out = append(out, cur)
			cur, size = nil, 0
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// countValues counts the values of a subtree.
func countValues(n *node) int {
	c := 1
	for _, it := range n.items {
		c += countValues(it)
	}
	return c
}

// unreadOperationKeys are the members of an operation the import does not
// read: they are left out of what kin-openapi loads, with all they refer
// to (response schemas are often most of a large document).
var unreadOperationKeys = map[string]bool{"responses": true, "callbacks": true}

// batchPlan is one batch of path items (indexes into paths' keys) and
// the members of the document it refers to, directly or through others
// (pointers such as /components/schemas/Pet).
type batchPlan struct {
	items   []int
	members []string
}

// planBatches splits the path items into batches and finds what each
// refers to.
func planBatches(root *node, swagger bool) []batchPlan {
	paths := root.get("paths")
	var plans []batchPlan
	for _, items := range batches(paths) {
		cl := &closure{root: root, swagger: swagger, seen: map[string]bool{}}
		if swagger {
			cl.keep("/securityDefinitions")
		} else {
			cl.keep("/components/securitySchemes")
		}
		for _, i := range items {
			cl.seen[pointerJoin("/paths", paths.keys[i])] = true
		}
		for _, i := range items {
			cl.walk(readPart(paths.items[i]))
		}
		plans = append(plans, batchPlan{items: items, members: cl.members})
	}
	return plans
}

// lastUses maps each member to the last batch that refers to it.
func lastUses(plans []batchPlan) map[string]int {
	last := map[string]int{}
	for b, p := range plans {
		for _, m := range p.members {
			last[m] = b
		}
	}
	return last
}

// partOf builds the document kin-openapi loads for one batch of path
// items: the top-level members that describe the API (info, servers,
// security), the batch's path items with their operations' responses
// replaced by a stand-in, and the members the batch refers to. The values
// are the document's own nodes, so lines and pointers stay those of the
// file.
func partOf(root *node, swagger bool, plan batchPlan) *node {
	part := containerNode(kindObject, int(root.line))
	for i, k := range root.keys {
		switch {
		case k == "paths" || k == "webhooks" || strings.HasPrefix(k, "x-"):
		case k == "components" || (swagger && (k == "definitions" || k == "parameters" || k == "responses")):
		default:
			part.set(k, root.items[i])
		}
	}
	own := containerNode(kindObject, int(root.line))
	part.set("paths", own)
	if paths := root.get("paths"); paths != nil {
		for _, i := range plan.items {
			own.keys, own.items = append(own.keys, paths.keys[i]), append(own.items, readPart(paths.items[i]))
		}
	}
	for _, m := range plan.members {
		if n := lookup(root, m); n != nil {
			place(part, m, n)
		}
	}
	return part
}

// releaseMember lets go of the member at ptr (its value becomes null).
func releaseMember(root *node, ptr string) {
	segs := splitPointer(ptr)
	if len(segs) < 2 {
		return
	}
	parent := root
	for _, s := range segs[:len(segs)-1] {
		if parent = parent.get(s); parent == nil {
			return
		}
	}
	last := segs[len(segs)-1]
	for i, k := range parent.keys {
		if k == last {
			parent.items[i] = scalarNode(kindNull, "", int(parent.items[i].line))
			return
		}
	}
}

// readPart is a path item with its operations' unread members replaced:
// responses by a stand-in (OpenAPI requires them), callbacks left out.
func readPart(item *node) *node {
	if item.kind != kindObject {
		return item
	}
	out := containerNode(kindObject, int(item.line))
	for i, k := range item.keys {
		v := item.items[i]
		if isMethod(k) && v.kind == kindObject {
			v = stripOperation(v)
		}
		out.keys, out.items = append(out.keys, k), append(out.items, v)
	}
	return out
}

// stripOperation copies an operation without what the import does not
// read.
func stripOperation(op *node) *node {
	out := containerNode(kindObject, int(op.line))
	for i, k := range op.keys {
		if unreadOperationKeys[k] {
			continue
		}
		out.keys, out.items = append(out.keys, k), append(out.items, op.items[i])
	}
	line := int(op.line)
	response := containerNode(kindObject, line)
	response.set("description", scalarNode(kindString, "not read by the import", line))
	responses := containerNode(kindObject, line)
	responses.set("default", response)
	out.set("responses", responses)
	return out
}

// closure collects the members of the document that a batch refers to,
// following references from what it collected.
type closure struct {
	root    *node
	swagger bool
	seen    map[string]bool
	members []string
}

// walk follows the references under n (literal values and extensions
// hold none).
func (c *closure) walk(n *node) {
	switch n.kind {
	case kindArray:
		for _, it := range n.items {
			c.walk(it)
		}
	case kindObject:
		for i, k := range n.keys {
			v := n.items[i]
			if k == "$ref" && v.kind == kindString {
				if frag, err := localFragment(v.text); err == nil {
					c.keep(c.member(frag))
				}
				continue
			}
			if literalKeys[k] || strings.HasPrefix(k, "x-") || (k == "examples" && v.kind == kindArray) {
				continue
			}
			c.walk(v)
		}
	}
}

// member is the pointer of the member of the document a reference lands
// in: a component (/components/<type>/<name>, Swagger's
// /definitions/<name>…), a path item, or a top-level member.
func (c *closure) member(frag string) string {
	segs := splitPointer(frag)
	n := 1
	switch {
	case len(segs) >= 3 && segs[0] == "components":
		n = 3
	case len(segs) >= 2 && (segs[0] == "paths" || c.swagger && (segs[0] == "definitions" || segs[0] == "parameters" || segs[0] == "responses")):
		n = 2
	}
	ptr := ""
	for _, s := range segs[:min(n, len(segs))] {
		ptr = pointerJoin(ptr, s)
	}
	return ptr
}

// keep records the member at ptr (once) and follows its references.
func (c *closure) keep(ptr string) {
	if ptr == "" || c.seen[ptr] {
		return
	}
	c.seen[ptr] = true
	n := lookup(c.root, ptr)
	if n == nil {
		return
	}
	c.members = append(c.members, ptr)
	c.walk(n)
}

// place puts n at ptr in part, creating the objects on the way (never
// changing the document's own).
func place(part *node, ptr string, n *node) {
	segs := splitPointer(ptr)
	at := part
	for _, s := range segs[:len(segs)-1] {
		next := at.get(s)
		if next == nil {
			next = containerNode(kindObject, int(at.line))
			at.set(s, next)
		}
		at = next
	}
	if last := segs[len(segs)-1]; at.get(last) == nil {
		at.set(last, n)
	}
}
