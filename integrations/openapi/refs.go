package openapi

import (
	"fmt"
	"net/url"
	"strings"
)

// maxRefHops bounds a chain of $refs that point at $refs.
const maxRefHops = 32

// literalKeys hold data rather than OpenAPI objects, so a "$ref" inside
// them is not a reference.
var literalKeys = map[string]bool{"example": true, "default": true, "enum": true, "const": true, "value": true}

// checkRefs walks the document and checks that every $ref is local (this
// importer reads one self-contained file) and resolves, without a loop of
// references that point only at each other. kin-openapi would report the
// same faults, but without saying where they are.
func checkRefs(root *node) error {
	return walkRefs(root, root, "")
}

// walkRefs checks the $refs under n, at ptr.
func walkRefs(root, n *node, ptr string) error {
	switch n.kind {
	case kindArray:
		for i, it := range n.items {
			if err := walkRefs(root, it, pointerIndex(ptr, i)); err != nil {
				return err
			}
		}
	case kindObject:
		for i, k := range n.keys {
			v := n.items[i]
			if k == "$ref" && v.kind == kindString {
				if err := checkRef(root, v, pointerJoin(ptr, k)); err != nil {
					return err
				}
				continue
			}
			if literalKeys[k] || strings.HasPrefix(k, "x-") || (k == "examples" && v.kind == kindArray) {
				continue
			}
			if err := walkRefs(root, v, pointerJoin(ptr, k)); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkRef checks one $ref value found at ptr.
func checkRef(root, ref *node, ptr string) error {
	target := ref.text
	for hop := 0; ; hop++ {
		if hop == maxRefHops {
			return failf(ptr, ref, "$ref %q is part of a loop of references", ref.text)
		}
		frag, err := localFragment(target)
		if err != nil {
			return failf(ptr, ref, "$ref %q: %s", ref.text, err)
		}
		n := lookup(root, frag)
		if n == nil {
			return failf(ptr, ref, "$ref %q does not resolve: nothing at %s", ref.text, displayPointer(frag))
		}
		next, ok := n.str("$ref")
		if !ok {
			return nil
		}
		target = next
	}
}

// localFragment returns the JSON pointer of a local reference ("#/a/b"),
// decoding URI escapes.
func localFragment(ref string) (string, error) {
	if !strings.HasPrefix(ref, "#") {
		return "", fmt.Errorf("external references are not supported: import one self-contained document")
	}
	frag, err := url.PathUnescape(ref[1:])
	if err != nil {
		return "", fmt.Errorf("invalid escape in the reference")
	}
	if frag != "" && !strings.HasPrefix(frag, "/") {
		return "", fmt.Errorf("only JSON pointer references (#/...) are supported")
	}
	return frag, nil
}

// displayPointer shows the root pointer as "#".
func displayPointer(ptr string) string {
	if ptr == "" {
		return "#"
	}
	return ptr
}
