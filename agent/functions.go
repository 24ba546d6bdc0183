package agent

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"switchboard/integrations/definition"
	"switchboard/integrations/executor"
	"switchboard/integrations/tools"
	"switchboard/models"
)

// FunctionToolName is the MCP tool name of an integration's function:
// "<provider>__<tool name>", made to fit ^[a-zA-Z0-9_-]{1,64}$.
func FunctionToolName(provider, tool string) string {
	return definition.ToolNameOf(provider + "__" + tool)
}

// addFunctionTools adds one tool per enabled function of each enabled
// integration the caller may use, its input schema the function's truthful
// one (see tools.Schema).
func (s *Server) addFunctionTools(ctx context.Context, srv *mcp.Server, c *Caller) {
	list, err := s.store.Tenant(c.Org.ID).Integrations(ctx)
	if err != nil {
		s.log.Error("mcp: list integrations", "err", err)
		return
	}
	for _, in := range list {
		if c.Integrations != nil && !slices.Contains(c.Integrations, in.Slug) {
			continue
		}
		entry, err := s.registry.Lookup(ctx, c.Org.ID, in.Slug)
		if err != nil || !entry.Enabled || !entry.Compiled.Doc.IsEnabled() {
			continue
		}
		for _, f := range tools.Functions(entry.Compiled) {
			name := FunctionToolName(in.Slug, f.Tool)
			c.scopes[name] = models.FunctionScope(f.Writes)
			srv.AddTool(&mcp.Tool{Name: name, Title: in.Name + ": " + f.Tool, Description: in.Name + ": " + f.Description,
				InputSchema: f.Parameters, Annotations: functionAnnotations(in.Name+": "+f.Tool, f)}, s.functionHandler(c, in.Slug, f))
		}
	}
}

// functionHandler runs one function through the executor, like POST
// /api/integrations/{provider}.
func (s *Server) functionHandler(c *Caller, provider string, f tools.Function) mcp.ToolHandler {
	scope := models.FunctionScope(f.Writes)
	return func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		if err := c.allow(scope); err != nil {
			return errorResult(toolError(err)), nil
		}
		params := map[string]any{}
		if len(req.Params.Arguments) > 0 {
			if err := json.Unmarshal(req.Params.Arguments, &params); err != nil {
				return errorResult(toolError(err)), nil
			}
		}
		res, err := s.exec.Execute(ctx, executor.Request{OrgID: c.Org.ID, Provider: provider, Function: f.Name,
			Params: params, Zone: c.Org.Zone().Location(), Caller: c.Name})
		defer res.Release()
		if err != nil {
			return errorResult(toolError(err)), nil
		}
		out := map[string]any{"function": f.Name, "data": res.Data, "upstream_status": res.UpstreamStatus, "attempts": res.Attempts}
		text, err := json.Marshal(out)
		if err != nil {
			return errorResult(toolError(err)), nil
		}
		return &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: string(text)}}, StructuredContent: out}, nil
	}
}

// functionAnnotations are a function's MCP hints, from its writes flag and
// method: a function that does not write is read-only and idempotent; one
// that writes with POST adds (not destructive, not idempotent); with PUT,
// PATCH or DELETE it changes or removes what is there (destructive; PUT
// and DELETE idempotent).
func functionAnnotations(title string, f tools.Function) *mcp.ToolAnnotations {
	method := strings.ToUpper(f.Method)
	destructive := f.Writes && method != http.MethodPost
	return &mcp.ToolAnnotations{Title: title, ReadOnlyHint: !f.Writes, DestructiveHint: &destructive,
		IdempotentHint: !f.Writes || method == http.MethodPut || method == http.MethodDelete}
}

// errorResult is a tool call that failed, as the model reads it.
func errorResult(err error) *mcp.CallToolResult {
	return &mcp.CallToolResult{IsError: true, Content: []mcp.Content{&mcp.TextContent{Text: err.Error()}}}
}
