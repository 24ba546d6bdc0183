package executor

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ParseXML turns an XML document into the same JSON-like tree a JSON answer
// gives: {"Root": {"Child": "text", "Repeated": ["a", "b"]}}. The root
// element is the first path segment; repeated elements become arrays;
// attributes become "@name"; text beside child elements becomes "#text".
// Namespaces are dropped (local names only).
func ParseXML(r io.Reader) (map[string]any, error) {
	dec := xml.NewDecoder(r)
	dec.Strict = true
	for {
		tok, err := dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, errors.New("executor: empty XML document")
			}
			return nil, fmt.Errorf("executor: invalid XML: %w", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			v, err := parseElement(dec, se, 0)
			if err != nil {
				return nil, err
			}
			return map[string]any{se.Name.Local: v}, nil
		}
	}
}

const maxXMLDepth = 64

func parseElement(dec *xml.Decoder, start xml.StartElement, depth int) (any, error) {
	if depth > maxXMLDepth {
		return nil, errors.New("executor: XML nested too deep")
	}
	node := map[string]any{}
	for _, a := range start.Attr {
		node["@"+a.Name.Local] = a.Value
	}
	var text strings.Builder
	children := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("executor: invalid XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			v, err := parseElement(dec, t, depth+1)
			if err != nil {
				return nil, err
			}
			children++
			name := t.Name.Local
			switch prev := node[name].(type) {
			case nil:
				node[name] = v
			case []any:
				if _, repeated := node["\x00"+name]; repeated {
					node[name] = append(prev, v)
				} else {
					node[name] = []any{prev, v}
					node["\x00"+name] = true
				}
			default:
				node[name] = []any{prev, v}
				node["\x00"+name] = true
			}
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			for k := range node {
				if strings.HasPrefix(k, "\x00") {
					delete(node, k)
				}
			}
			s := strings.TrimSpace(text.String())
			if children == 0 && len(node) == 0 {
				return s, nil
			}
			if s != "" {
				node["#text"] = s
			}
			return node, nil
		}
	}
}

// ParseJSON decodes a JSON answer, keeping numbers exact.
func ParseJSON(r io.Reader) (any, error) {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, fmt.Errorf("executor: invalid JSON: %w", err)
	}
	return v, nil
}

// Lookup follows a dot path ("items.0.id"; for XML the root is the
// first segment) through a parsed answer. A numeric segment indexes an
// array; index 0 of a lone object is the object itself, because XML has no
// way to say "a list of one". The empty path is the whole tree.
func Lookup(tree any, path string) (any, bool) {
	if path == "" {
		return tree, true
	}
	cur := tree
	for _, seg := range strings.Split(path, ".") {
		switch node := cur.(type) {
		case map[string]any:
			v, ok := node[seg]
			if !ok {
				if seg == "0" {
					continue // a lone XML element is item 0 of its list
				}
				return nil, false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(node) {
				return nil, false
			}
			cur = node[i]
		default:
			return nil, false
		}
	}
	return cur, true
}
