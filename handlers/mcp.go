package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchboard/agent"
	"switchboard/apperr"
	"switchboard/web/session"
)

// MCPHandler serves the Model Context Protocol endpoint.
type MCPHandler struct {
	h http.Handler
}

// NewMCPHandler returns an MCPHandler over the agent server.
func NewMCPHandler(srv *agent.Server) *MCPHandler { return &MCPHandler{h: srv.Handler()} }

// Serve handles /mcp (Streamable HTTP): the caller — an agent or admin API
// key — goes into the request's context, and the SDK's handler answers.
func (h *MCPHandler) Serve(c echo.Context) error {
	p := session.From(c)
	if p == nil || !p.IsKey() {
		return apperr.New(apperr.CodeUnauthorized, "the MCP endpoint takes an agent or admin API key: Authorization: Bearer <key>")
	}
	key := p.APIKey
	caller := &agent.Caller{Org: p.Org, Name: p.Actor(), Integrations: key.IntegrationList(), Allow: session.AllowScope(key)}
	r := c.Request()
	h.h.ServeHTTP(c.Response(), r.WithContext(agent.WithCaller(r.Context(), caller)))
	return nil
}
