package tools

import (
	"maps"
	"slices"
)

// Strict turns a parameters schema into OpenAI's strict mode: every
// property required, the optional ones nullable (their type gains "null",
// an enum gains null), additionalProperties false, and no keywords strict
// mode refuses (default). It reports false — and returns the schema
// unchanged — when a property is a free-form object or an array of
// anything, which strict mode cannot describe; such a tool is offered
// without strict.
func Strict(schema map[string]any) (map[string]any, bool) {
	props, _ := schema["properties"].(map[string]any)
	req := requiredOf(schema)
	out := make(map[string]any, len(props))
	for name, raw := range props {
		prop := maps.Clone(raw.(map[string]any))
		if t := prop["type"]; t == "object" || t == "array" {
			return schema, false
		}
		delete(prop, "default")
		if !slices.Contains(req, name) {
			prop["type"] = nullable(prop["type"])
			if enum, ok := prop["enum"].([]any); ok {
				prop["enum"] = append(slices.Clone(enum), nil)
			} else if enum, ok := prop["enum"].([]string); ok {
				e := make([]any, 0, len(enum)+1)
				for _, v := range enum {
					e = append(e, v)
				}
				prop["enum"] = append(e, nil)
			}
		}
		out[name] = prop
	}
	required := append([]string{}, slices.Sorted(maps.Keys(out))...) // [] when empty, never null
	return map[string]any{"type": "object", "properties": out, "required": required, "additionalProperties": false}, true
}

// requiredOf reads a schema's required list, built in Go ([]string) or
// decoded from JSON ([]any).
func requiredOf(schema map[string]any) []string {
	switch r := schema["required"].(type) {
	case []string:
		return r
	case []any:
		out := make([]string, 0, len(r))
		for _, v := range r {
			if s, ok := v.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// nullable adds "null" to a type: "string" becomes ["string", "null"],
// ["integer", "string"] becomes ["integer", "string", "null"].
func nullable(t any) any {
	switch x := t.(type) {
	case []any:
		return append(slices.Clone(x), "null")
	case []string:
		out := make([]any, 0, len(x)+1)
		for _, v := range x {
			out = append(out, v)
		}
		return append(out, "null")
	}
	return []any{t, "null"}
}
