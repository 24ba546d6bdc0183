package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"switchboard/apperr"
	"switchboard/integrations/tools"
)

// The MCP tool set is also offered without MCP (GET /api/tools, POST
// /api/tools/{name}): the caller's server is built as for /mcp and talked
// to in memory, so both doors list and run the very same tools with the
// same scopes, schemas and answers.

// connect opens an in-memory client session to the caller's MCP server.
func (s *Server) connect(ctx context.Context, c *Caller) (*mcp.ClientSession, func(), error) {
	srv := s.build(ctx, c)
	clientT, serverT := mcp.NewInMemoryTransports()
	ss, err := srv.Connect(ctx, serverT, nil)
	if err != nil {
		return nil, nil, err
	}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "switchboard-tools", Version: s.version}, nil).Connect(ctx, clientT, nil)
	if err != nil {
		_ = ss.Close()
		return nil, nil, err
	}
	return cs, func() { _ = cs.Close(); _ = ss.Close() }, nil
}

// Tools lists the tools the caller may call: the record tools and the
// functions of its integrations its scopes allow, as tools.Function (Tool
// is the name to call; Writes is false for a read-only tool).
func (s *Server) Tools(ctx context.Context, c *Caller) ([]tools.Function, error) {
	cs, done, err := s.connect(ctx, c)
	if err != nil {
		return nil, err
	}
	defer done()
	out := []tools.Function{}
	for t, err := range cs.Tools(ctx, nil) {
		if err != nil {
			return nil, err
		}
		var params map[string]any
		if b, err := json.Marshal(t.InputSchema); err == nil {
			_ = json.Unmarshal(b, &params)
		}
		writes := t.Annotations == nil || !t.Annotations.ReadOnlyHint
		out = append(out, tools.Function{Name: t.Name, Tool: t.Name, Description: t.Description, Writes: writes, Parameters: params})
	}
	return out, nil
}

// Call runs one tool with its arguments (a JSON object) and answers its
// result; a refusal is the apperr.Error the tool reported (same code,
// detail, field errors and members as the JSON API's problem document).
func (s *Server) Call(ctx context.Context, c *Caller, name string, args json.RawMessage) (any, error) {
	cs, done, err := s.connect(ctx, c)
	if err != nil {
		return nil, err
	}
	defer done()
	var arguments any = map[string]any{}
	if len(args) > 0 {
		arguments = args
	}
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: name, Arguments: arguments})
	if err != nil {
		var we *jsonrpc.Error
		if errors.As(err, &we) && strings.Contains(we.Message, "unknown tool") {
			return nil, apperr.New(apperr.CodeUnknownFunction, "no tool %q for this key: GET /api/tools lists the ones it may call", name)
		}
		return nil, apperr.New(apperr.CodeInvalidRequest, "%s: %v", name, err)
	}
	text := resultText(res)
	if res.IsError {
		return nil, refusalOf(name, text)
	}
	if res.StructuredContent != nil {
		return res.StructuredContent, nil
	}
	var v any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		return map[string]any{"text": text}, nil
	}
	return v, nil
}

func resultText(res *mcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}

// refusalOf reads a tool's error result back into the error it reported:
// the problem members toolError wrote, or, for arguments the tool's
// schema refused, a validation error.
func refusalOf(name, text string) error {
	var doc struct {
		Code   string              `json:"code"`
		Detail string              `json:"detail"`
		Errors []apperr.FieldError `json:"errors"`
	}
	if err := json.Unmarshal([]byte(text), &doc); err != nil || doc.Code == "" {
		return &apperr.Error{Code: apperr.CodeValidationFailed, Message: fmt.Sprintf("%s refused its arguments: %s", name, text)}
	}
	e := &apperr.Error{Code: doc.Code, Message: doc.Detail, Fields: doc.Errors}
	var extra map[string]any
	if json.Unmarshal([]byte(text), &extra) == nil {
		for k, v := range extra {
			if k != "code" && k != "detail" && k != "errors" {
				e = e.With(k, v)
			}
		}
	}
	return e
}
