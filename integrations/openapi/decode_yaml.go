package openapi

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	yaml "github.com/oasdiff/yaml3"
)

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// decodeYAML reads a YAML document (the first, when the stream holds
// several) with the YAML 1.2 rules kin-openapi itself applies.
func decodeYAML(data []byte) (*node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := err.Error()
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			line, _ := strconv.Atoi(m[1])
			if strings.HasPrefix(m[2], "did not find expected") {
				line++ // yaml.v3 counts the lines of parser errors from 0
			}
			return nil, &failure{line: line, reason: "invalid YAML: " + m[2]}
		}
		return nil, &failure{reason: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, &failure{reason: "the document is empty"}
	}
	c := &yamlReader{active: map[*yaml.Node]bool{}}
	return c.value(doc.Content[0], "")
}

// yamlReader builds a tree from YAML nodes, expanding aliases with a
// budget and refusing an alias that contains itself.
type yamlReader struct {
	active  map[*yaml.Node]bool
	count   int
	aliased int
	inAlias int
	names   interner
}

// value converts one YAML node at ptr.
func (c *yamlReader) value(y *yaml.Node, ptr string) (*node, error) {
	c.count++
	if c.inAlias > 0 {
		c.aliased++
	}
	if c.count > maxValues || c.aliased > maxAliasValues {
		return nil, &failure{pointer: ptr, line: y.Line, reason: "the document holds too many values (or aliases that expand to too many)"}
	}
	if y.Anchor != "" && y.Kind != yaml.AliasNode {
		// an alias inside its own anchor's value would expand forever
		c.active[y] = true
		defer delete(c.active, y)
	}
	switch y.Kind {
	case yaml.AliasNode:
		return c.alias(y, ptr)
	case yaml.MappingNode:
		return c.mapping(y, ptr)
	case yaml.SequenceNode:
		n := containerNode(kindArray, y.Line)
		n.items = make([]*node, 0, len(y.Content))
		for i, it := range y.Content {
			v, err := c.value(it, pointerIndex(ptr, i))
			if err != nil {
				return nil, err
			}
			n.items = append(n.items, v)
		}
		return n, nil
	case yaml.ScalarNode:
		return scalar(y, ptr)
	}
	return nil, &failure{pointer: ptr, line: y.Line, reason: "unsupported YAML node"}
}

// alias expands an alias.
func (c *yamlReader) alias(y *yaml.Node, ptr string) (*node, error) {
	if y.Alias == nil || c.active[y.Alias] {
		return nil, &failure{pointer: ptr, line: y.Line, reason: fmt.Sprintf("alias *%s refers to a value that contains it", y.Value)}
	}
	c.inAlias++
	n, err := c.value(y.Alias, ptr)
	c.inAlias--
	return n, err
}

// mapping converts a mapping; keys must be scalars and unique. Merge keys
// (<<) add the keys of the merged mappings that are not given explicitly.
func (c *yamlReader) mapping(y *yaml.Node, ptr string) (*node, error) {
	n := containerNode(kindObject, y.Line)
	var merges []*yaml.Node
	for i := 0; i+1 < len(y.Content); i += 2 {
		k, v := y.Content[i], y.Content[i+1]
		if k.Kind == yaml.AliasNode && k.Alias != nil {
			k = k.Alias
		}
		if k.Kind != yaml.ScalarNode {
			return nil, &failure{pointer: ptr, line: k.Line, reason: "a mapping key must be a plain value"}
		}
		if k.ShortTag() == "!!merge" {
			merges = append(merges, v)
			continue
		}
		if n.has(k.Value) {
			return nil, &failure{pointer: pointerJoin(ptr, k.Value), line: k.Line, reason: fmt.Sprintf("duplicate key %q", k.Value)}
		}
		val, err := c.value(v, pointerJoin(ptr, k.Value))
		if err != nil {
			return nil, err
		}
		n.set(c.names.intern(k.Value), val)
	}
	for _, m := range merges {
		if err := c.merge(n, m, ptr); err != nil {
			return nil, err
		}
	}
	n.fit()
	return n, nil
}

// merge applies one merge key: a mapping or a list of mappings.
func (c *yamlReader) merge(n *node, m *yaml.Node, ptr string) error {
	v, err := c.value(m, ptr)
	if err != nil {
		return err
	}
	sources := []*node{v}
	if v.kind == kindArray {
		sources = v.items
	}
	for _, s := range sources {
		if s.kind != kindObject {
			return &failure{pointer: ptr, line: m.Line, reason: "a merge key (<<) must name a mapping or a list of mappings"}
		}
		for i, k := range s.keys {
			if !n.has(k) {
				n.set(k, s.items[i])
			}
		}
	}
	return nil
}

// scalar converts a scalar by its resolved tag.
func scalar(y *yaml.Node, ptr string) (*node, error) {
	switch y.ShortTag() {
	case "!!null":
		return scalarNode(kindNull, "", y.Line), nil
	case "!!bool":
		var b bool
		if err := y.Decode(&b); err != nil {
			return scalarNode(kindString, y.Value, y.Line), nil
		}
		return boolNode(b, y.Line), nil
	case "!!int", "!!float":
		return number(y, ptr)
	}
	return scalarNode(kindString, y.Value, y.Line), nil
}

// number converts an int or float scalar to a JSON number literal.
func number(y *yaml.Node, ptr string) (*node, error) {
	var v any
	if err := y.Decode(&v); err != nil {
		return scalarNode(kindString, y.Value, y.Line), nil
	}
	var text string
	switch x := v.(type) {
	case int:
		text = strconv.Itoa(x)
	case int64:
		text = strconv.FormatInt(x, 10)
	case uint64:
		text = strconv.FormatUint(x, 10)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, &failure{pointer: ptr, line: y.Line, reason: fmt.Sprintf("%s cannot be represented in JSON", y.Value)}
		}
		text = strconv.FormatFloat(x, 'g', -1, 64)
	default:
		return scalarNode(kindString, y.Value, y.Line), nil
	}
	return scalarNode(kindNumber, text, y.Line), nil
}
