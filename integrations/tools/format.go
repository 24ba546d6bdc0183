package tools

// Formats of tool lists.
const (
	FormatOpenAI          = "openai"           // Chat Completions: {"type": "function", "function": {…}}
	FormatOpenAIResponses = "openai-responses" // Responses API: {"type": "function", "name", …}
	FormatAnthropic       = "anthropic"        // Messages: {"name", "description", "input_schema"}
)

// Format writes one function as a tool of an LLM API. With strict (the
// OpenAI formats only), the parameters are in strict mode when strict mode
// can describe them (see Strict), and the tool says whether they are.
func Format(f Function, format string, strict bool) map[string]any {
	params, isStrict := f.Parameters, false
	if strict && format != FormatAnthropic {
		params, isStrict = Strict(f.Parameters)
	}
	switch format {
	case FormatOpenAIResponses:
		return map[string]any{"type": "function", "name": f.Tool, "description": f.Description, "parameters": params, "strict": isStrict}
	case FormatAnthropic:
		return map[string]any{"name": f.Tool, "description": f.Description, "input_schema": params}
	}
	fn := map[string]any{"name": f.Tool, "description": f.Description, "parameters": params}
	if strict {
		fn["strict"] = isStrict
	}
	return map[string]any{"type": "function", "function": fn}
}
