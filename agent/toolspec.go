package agent

import (
	"bytes"
	"context"
	"strconv"
	"strings"

	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"switchboard/apperr"
)

// ID is a record id as a tool takes it: a JSON number or a string of
// digits (an agent that read "id": "12" from one answer may pass it on).
type ID int64

// UnmarshalJSON reads 12 or "12".
func (id *ID) UnmarshalJSON(b []byte) error {
	s := string(bytes.Trim(b, `"`))
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return apperr.New(apperr.CodeInvalidRequest, "an id must be a whole number (given as a number or a string of digits), not %s", b)
	}
	*id = ID(n)
	return nil
}

// toolSpec is how a record tool presents itself: its name, a title a
// person reads, its description, the scope a call needs, and its
// annotations.
type toolSpec struct {
	name, title, description string
	scope                    string
	readOnly, destructive    bool
	idempotent               bool
}

// annotations are the spec's MCP hints.
func (t toolSpec) annotations() *mcp.ToolAnnotations {
	destructive := t.destructive
	return &mcp.ToolAnnotations{Title: t.title, ReadOnlyHint: t.readOnly, DestructiveHint: &destructive, IdempotentHint: t.idempotent}
}

// addTool adds a record tool, listed only to callers its scope allows
// (see listOnlyAllowed); its input schema takes ids as numbers or strings.
func addTool[In, Out any](srv *mcp.Server, c *Caller, t toolSpec, h mcp.ToolHandlerFor[In, Out]) {
	c.scopes[t.name] = t.scope
	tool := &mcp.Tool{Name: t.name, Title: t.title, Description: t.description, Annotations: t.annotations()}
	if s, err := jsonschema.For[In](nil); err == nil {
		tool.InputSchema = idsAsStringsToo(s)
	}
	mcp.AddTool(srv, tool, func(ctx context.Context, req *mcp.CallToolRequest, in In) (*mcp.CallToolResult, Out, error) {
		if err := c.allow(t.scope); err != nil {
			var zero Out
			return nil, zero, toolError(err)
		}
		return h(ctx, req, in)
	})
}

// idsAsStringsToo lets every id property ("id", "…_id") be an integer or
// a string of digits.
func idsAsStringsToo(s *jsonschema.Schema) *jsonschema.Schema {
	for name, p := range s.Properties {
		if (name == "id" || strings.HasSuffix(name, "_id")) && p.Type == "integer" {
			p.Type, p.Types, p.Pattern = "", []string{"integer", "string"}, "^[0-9]+$"
		}
	}
	return s
}
