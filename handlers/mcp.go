package handlers

import (
	"encoding/json"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"switchboard/agent"
	"switchboard/api"
	"switchboard/apperr"
	"switchboard/integrations/tools"
	"switchboard/web"
	"switchboard/web/session"
)

// MCPHandler serves the Model Context Protocol endpoint and the same
// tools without MCP (/api/tools).
type MCPHandler struct {
	h   http.Handler
	srv *agent.Server
}

// NewMCPHandler returns an MCPHandler over the agent server.
func NewMCPHandler(srv *agent.Server) *MCPHandler { return &MCPHandler{h: srv.Handler(), srv: srv} }

// caller is the agent caller of a request with an agent or admin key.
func caller(c echo.Context, door string) (*agent.Caller, error) {
	p := session.From(c)
	if p == nil || !p.IsKey() {
		return nil, apperr.New(apperr.CodeUnauthorized, "%s takes an agent or admin API key: Authorization: Bearer <key>", door)
	}
	key := p.APIKey
	return &agent.Caller{Org: p.Org, Name: p.Actor(), Integrations: key.IntegrationList(), Allow: session.AllowScope(key)}, nil
}

// Serve handles /mcp (Streamable HTTP): the caller — an agent or admin API
// key — goes into the request's context, and the SDK's handler answers.
func (h *MCPHandler) Serve(c echo.Context) error {
	cl, err := caller(c, "the MCP endpoint")
	if err != nil {
		return err
	}
	r := c.Request()
	h.h.ServeHTTP(c.Response(), r.WithContext(agent.WithCaller(r.Context(), cl)))
	return nil
}

// ToolsList handles GET /api/tools?format=&strict=: the tools MCP lists
// for this key (only what its scopes allow), in an LLM API's format.
func (h *MCPHandler) ToolsList(c echo.Context) error {
	cl, err := caller(c, "/api/tools")
	if err != nil {
		return err
	}
	var q api.ToolsQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	fns, err := h.srv.Tools(c.Request().Context(), cl)
	if err != nil {
		return err
	}
	if q.Format == "" {
		// One answer shape: {"tools": [...]}, each tool as the functions
		// list writes it (name, tool, description, writes, parameters).
		out := api.ToolsAnswer{Tools: make([]map[string]any, 0, len(fns))}
		for _, f := range fns {
			out.Tools = append(out.Tools, map[string]any{"name": f.Name, "tool": f.Tool, "description": f.Description,
				"writes": f.Writes, "parameters": f.Parameters})
		}
		return c.JSON(http.StatusOK, out)
	}
	return formatTools(c, fns, q.Format, q.Strict)
}

// formatTools answers functions or tools as the list (no format) or as
// an LLM API's tool definitions.
func formatTools(c echo.Context, fns []tools.Function, format string, strict bool) error {
	switch format {
	case "":
		return c.JSON(http.StatusOK, web.ListOf(fns))
	case tools.FormatOpenAI, tools.FormatOpenAIResponses, tools.FormatAnthropic:
		out := make([]map[string]any, 0, len(fns))
		for _, f := range fns {
			out = append(out, tools.Format(f, format, strict))
		}
		return c.JSON(http.StatusOK, api.ToolsAnswer{Tools: out})
	}
	return &apperr.Error{Code: apperr.CodeInvalidRequest, Message: "format must be openai, openai-responses or anthropic (or left out)",
		Fields: []apperr.FieldError{{Field: "format", Message: "must be one of openai, openai-responses, anthropic"}}}
}

// ToolsCall handles POST /api/tools/:name: the body is the tool's
// arguments; the answer is its result, a refusal the same problem the
// route behind it answers.
func (h *MCPHandler) ToolsCall(c echo.Context) error {
	cl, err := caller(c, "/api/tools")
	if err != nil {
		return err
	}
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, 1<<20))
	if err != nil {
		return apperr.New(apperr.CodeInvalidRequest, "the body could not be read")
	}
	if len(body) > 0 && !json.Valid(body) {
		return apperr.New(apperr.CodeInvalidRequest, "the body must be a JSON object of the tool's arguments")
	}
	out, err := h.srv.Call(c.Request().Context(), cl, c.Param("name"), body)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}
