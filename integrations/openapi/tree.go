package openapi

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// kind is the JSON kind of a node.
type kind uint8

const (
	kindNull kind = iota
	kindBool
	kindNumber
	kindString
	kindArray
	kindObject
)

// node is one value of a parsed document. Unlike map[string]any it keeps
// the order of object keys (endpoints come out in document order) and the
// line each value starts on (errors name it). A large document holds
// hundreds of thousands of them, most of them scalars, so a node is 32
// bytes and the members of objects and arrays hang off it.
type node struct {
	text string // a string, or a number as a JSON literal
	*members
	line int32
	kind kind
	bool bool
}

// members are an object's keys and values or an array's items.
type members struct {
	keys  []string // object keys, in order
	items []*node  // object values (aligned with keys) or array items
	index map[string]int
}

// noMembers are the members of every scalar: none. It is never written
// (only objects are).
var noMembers = &members{}

// scalarNode is a string, number or null at line.
func scalarNode(k kind, text string, line int) *node {
	return &node{kind: k, text: text, line: int32(line), members: noMembers}
}

// boolNode is a boolean at line.
func boolNode(b bool, line int) *node {
	return &node{kind: kindBool, bool: b, line: int32(line), members: noMembers}
}

// containerNode is an empty object or array at line.
func containerNode(k kind, line int) *node {
	return &node{kind: k, line: int32(line), members: &members{}}
}

// fit gives back the room that growing an object's or an array's members
// left over, since the tree outlives its decoding.
func (n *node) fit() {
	if cap(n.items) > len(n.items) {
		n.items = append(make([]*node, 0, len(n.items)), n.items...)
	}
	if cap(n.keys) > len(n.keys) {
		n.keys = append(make([]string, 0, len(n.keys)), n.keys...)
	}
}

// indexAfter is the object size from which lookups go through a map.
const indexAfter = 16

// get returns the value of an object's key, or nil.
func (n *node) get(key string) *node {
	if n == nil || n.kind != kindObject {
		return nil
	}
	if len(n.keys) > indexAfter {
		if n.index == nil {
			n.index = make(map[string]int, len(n.keys))
			for i, k := range n.keys {
				n.index[k] = i
			}
		}
		if i, ok := n.index[key]; ok {
			return n.items[i]
		}
		return nil
	}
	for i, k := range n.keys {
		if k == key {
			return n.items[i]
		}
	}
	return nil
}

// has reports whether an object has key.
func (n *node) has(key string) bool { return n.get(key) != nil }

// str returns the string value of an object's key.
func (n *node) str(key string) (string, bool) {
	v := n.get(key)
	if v == nil || v.kind != kindString {
		return "", false
	}
	return v.text, true
}

// set adds or replaces an object's key.
func (n *node) set(key string, v *node) {
	for i, k := range n.keys {
		if k == key {
			n.items[i] = v
			return
		}
	}
	n.keys = append(n.keys, key)
	n.items = append(n.items, v)
	n.index = nil
}

// kindName names a node's kind for messages.
func (n *node) kindName() string {
	if n == nil {
		return "nothing"
	}
	switch n.kind {
	case kindBool:
		return "a boolean"
	case kindNumber:
		return "a number"
	case kindString:
		return "a string"
	case kindArray:
		return "a list"
	case kindObject:
		return "an object"
	}
	return "null"
}

// appendJSON writes n as compact JSON.
func appendJSON(b []byte, n *node) []byte {
	switch n.kind {
	case kindBool:
		return strconv.AppendBool(b, n.bool)
	case kindNumber:
		return append(b, n.text...)
	case kindString:
		return appendString(b, n.text)
	case kindArray:
		b = append(b, '[')
		for i, it := range n.items {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSON(b, it)
		}
		return append(b, ']')
	case kindObject:
		b = append(b, '{')
		for i, k := range n.keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, k)
			b = append(b, ':')
			b = appendJSON(b, n.items[i])
		}
		return append(b, '}')
	}
	return append(b, "null"...)
}

// appendString writes s as a JSON string; invalid UTF-8 becomes U+FFFD.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// pointerJoin appends an escaped segment to a JSON pointer.
func pointerJoin(ptr, seg string) string {
	if strings.ContainsAny(seg, "~/") {
		seg = strings.ReplaceAll(strings.ReplaceAll(seg, "~", "~0"), "/", "~1")
	}
	return ptr + "/" + seg
}

// pointerIndex appends an array index to a JSON pointer.
func pointerIndex(ptr string, i int) string { return ptr + "/" + strconv.Itoa(i) }

// splitPointer splits a JSON pointer into unescaped segments.
func splitPointer(ptr string) []string {
	if ptr == "" {
		return nil
	}
	parts := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	for i, p := range parts {
		if strings.Contains(p, "~") {
			parts[i] = strings.ReplaceAll(strings.ReplaceAll(p, "~1", "/"), "~0", "~")
		}
	}
	return parts
}

// lookup follows a JSON pointer from root; nil when it leads nowhere.
func lookup(root *node, ptr string) *node {
	n := root
	for _, seg := range splitPointer(ptr) {
		switch {
		case n == nil:
			return nil
		case n.kind == kindObject:
			n = n.get(seg)
		case n.kind == kindArray:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(n.items) || (len(seg) > 1 && seg[0] == '0') {
				return nil
			}
			n = n.items[i]
		default:
			return nil
		}
	}
	return n
}
