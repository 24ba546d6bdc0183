// Package tools describes an integration's functions as tools for LLM
// agents: one JSON Schema (draft 2020-12) per function that tells the
// truth about what the executor accepts — the internal names and types
// after the parameter maps and their transforms (duration_minutes an
// integer where repeat:X:5 makes Open Dental's pattern, start a date-time
// where format_datetime writes the upstream's clock), enums, defaults and
// the required list — and the OpenAI strict-mode form of it.
package tools

import (
	"strings"

	"switchboard/integrations/definition"
)

// Function is one function as agents see it.
type Function struct {
	// Name is the function's own name; Tool the name tool lists give it
	// (accepted wherever Name is).
	Name        string         `json:"name" doc:"The function's own name."`
	Tool        string         `json:"tool" doc:"The name tool lists give it (accepted wherever name is)."`
	Method      string         `json:"method" doc:"The upstream HTTP method."`
	Path        string         `json:"path" doc:"The upstream path."`
	Description string         `json:"description,omitempty" doc:"What the function does."`
	Writes      bool           `json:"writes" doc:"Whether the function changes data upstream."`
	Parameters  map[string]any `json:"parameters" doc:"The function's parameters as a JSON Schema object."`
}

// Functions lists the enabled functions of a compiled definition, in
// declared order.
func Functions(c *definition.Compiled) []Function {
	var out []Function
	for _, ce := range c.Order {
		if !ce.Endpoint.IsEnabled() {
			continue
		}
		desc := ce.Endpoint.Description
		if desc == "" {
			desc = ce.Endpoint.Method + " " + ce.Endpoint.Path
		}
		if ce.Endpoint.Writes {
			desc += " (Writes to the external system directly, without a local record.)"
		}
		out = append(out, Function{Name: ce.Endpoint.Function, Tool: c.ToolName(ce.Endpoint.Function), Method: ce.Endpoint.Method,
			Path: ce.Endpoint.Path, Description: desc, Writes: ce.Endpoint.Writes, Parameters: Schema(ce)})
	}
	return out
}

// Schema is the JSON Schema of an endpoint's parameters as the executor
// takes them: a request map from an internal name renames the property,
// and its transform chain says the type the caller sends.
func Schema(ce *definition.CompiledEndpoint) map[string]any {
	maps := map[string]definition.FieldMap{}
	for _, m := range ce.Request {
		if _, ok := ce.Params[m.External]; ok {
			maps[m.External] = m
		}
	}
	props := map[string]any{}
	required := []string{}
	for _, p := range ce.Endpoint.Params {
		name, prop := property(p, maps)
		props[name] = prop
		if p.Required && p.Default == nil {
			required = append(required, name)
		}
	}
	return map[string]any{"type": "object", "properties": props, "required": required, "additionalProperties": false}
}

// property is one parameter's name and schema.
func property(p definition.Param, maps map[string]definition.FieldMap) (string, map[string]any) {
	prop := map[string]any{"type": jsonType(p.Type)}
	name, desc := p.Name, p.Description
	if m, ok := maps[p.Name]; ok && m.Internal != "" {
		name = m.Internal
		in := m.Transform.Input()
		if in.Type != "" {
			prop["type"] = in.Type
		}
		if in.Format != "" {
			prop["format"] = in.Format
		}
		if len(in.Enum) > 0 {
			prop["enum"] = in.Enum
		}
		switch {
		case in.Note != "":
			desc = upperFirst(in.Note) + ". Sent as " + p.Name + "."
		case desc == "":
			desc = "Sent as " + p.Name + "."
		}
	}
	if desc != "" {
		prop["description"] = desc
	}
	if p.Default != nil {
		prop["default"] = p.Default
	}
	if len(p.Enum) > 0 && prop["enum"] == nil {
		prop["enum"] = p.Enum
	}
	if prop["type"] == definition.TypeArray {
		prop["items"] = map[string]any{}
	}
	return name, prop
}

func jsonType(t string) string {
	switch t {
	case definition.TypeInteger, definition.TypeNumber, definition.TypeBoolean, definition.TypeArray, definition.TypeObject:
		return t
	}
	return "string"
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
