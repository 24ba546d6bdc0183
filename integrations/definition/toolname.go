package definition

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
)

// MaxToolName is the longest tool name LLM APIs accept.
const MaxToolName = 64

var toolNameChars = regexp.MustCompile(`[^a-zA-Z0-9_-]+`)

// ToolNameOf makes a name fit ^[a-zA-Z0-9_-]{1,64}$: runs of other
// characters become "_" (patients.get → patients_get), and a name longer
// than 64 keeps its first 57 characters and gains "_" and six hex digits of
// the SHA-256 of the whole name, so two long names that share their first
// 64 characters still differ.
func ToolNameOf(name string) string {
	s := toolNameChars.ReplaceAllString(name, "_")
	if s == "" {
		s = "function"
	}
	if len(s) <= MaxToolName {
		return s
	}
	return s[:MaxToolName-7] + "_" + shortHash(name)
}

func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:3])
}

// toolNames gives every endpoint a tool name, unique within the document:
// its ToolNameOf, or — when an earlier endpoint (in declared order) took
// that — the name shortened to fit "_" and six hex digits of its function
// name's hash. It returns the names by function and the functions by
// name; a name that is also another function's own name is left out of
// the second, so a function name always means that function.
func toolNames(order []*CompiledEndpoint) (map[string]string, map[string]string) {
	tools := make(map[string]string, len(order))
	functions := make(map[string]string, len(order))
	for _, e := range order {
		fn := e.Endpoint.Function
		name := ToolNameOf(fn)
		if _, taken := functions[name]; taken {
			name = ToolNameOf(fn)[:min(len(name), MaxToolName-7)] + "_" + shortHash(fn)
		}
		tools[fn], functions[name] = name, fn
	}
	for name, fn := range functions {
		if _, own := tools[name]; own && name != fn {
			delete(functions, name)
		}
	}
	return tools, functions
}

var toolNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)

// ValidToolName reports whether s matches ^[a-zA-Z0-9_-]{1,64}$.
func ValidToolName(s string) bool { return toolNamePattern.MatchString(s) }
