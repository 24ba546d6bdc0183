// Package agent is the Model Context Protocol server agents connect to
// (POST /mcp, Streamable HTTP): record tools that go through the records
// service — the same dual-write path, slot check and check before
// accepting as /api/appointments — and one tool per enabled function of
// the caller's integrations, run by the executor.
package agent

import (
	"context"
	"log/slog"
	"net/http"
	"slices"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"switchboard/integrations/executor"
	"switchboard/integrations/registry"
	"switchboard/models"
	"switchboard/records"
)

// Caller is who a request acts as: the key's organization, and the
// integrations it may use (nil: all). Allow, when set, refuses a tool call
// outside the key's scopes (scope names the scope the call needs).
type Caller struct {
	Org *models.Organization
	// Name names the caller in the call log (its API key).
	Name         string
	Integrations []string
	Allow        func(scope string) error
	// scopes is the scope each tool of the caller's server needs, by
	// tool name: tools/list shows only the ones Allow lets through.
	scopes map[string]string
}

// allow checks a scope; a Caller without Allow has every scope.
func (c *Caller) allow(scope string) error {
	if c.Allow == nil {
		return nil
	}
	return c.Allow(scope)
}

type callerKey struct{}

// WithCaller puts the caller into the request's context; the handler
// reads it from there.
func WithCaller(ctx context.Context, c *Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// Server builds MCP servers for callers.
type Server struct {
	store    *models.Store
	records  *records.Service
	exec     *executor.Executor
	registry *registry.Registry
	slots    SlotFinder
	refs     ReferenceLister
	log      *slog.Logger
	version  string
}

// SlotFinder answers find_open_slots; nil leaves the tool out.
type SlotFinder interface {
	FindSlots(ctx context.Context, org *models.Organization, q SlotQuery) ([]Slot, error)
}

// New returns a Server.
func New(store *models.Store, recs *records.Service, exec *executor.Executor, reg *registry.Registry, slots SlotFinder, log *slog.Logger, version string) *Server {
	return &Server{store: store, records: recs, exec: exec, registry: reg, slots: slots, log: log, version: version}
}

// Handler is the Streamable HTTP handler: stateless, one MCP server per
// request built for the caller in the request's context (a request
// without one gets no tools).
func (s *Server) Handler() http.Handler {
	return mcp.NewStreamableHTTPHandler(func(r *http.Request) *mcp.Server {
		c, _ := r.Context().Value(callerKey{}).(*Caller)
		return s.build(r.Context(), c)
	}, &mcp.StreamableHTTPOptions{Stateless: true, JSONResponse: true, Logger: s.log})
}

// build makes the MCP server of one caller: the record tools and the
// function tools of its integrations.
func (s *Server) build(ctx context.Context, c *Caller) *mcp.Server {
	srv := mcp.NewServer(&mcp.Implementation{Name: "switchboard", Version: s.version}, &mcp.ServerOptions{
		Instructions: "Switchboard books appointments into the practice's own system. Times are the practice's: " +
			"send RFC 3339 with an offset, or a local date-time such as 2026-12-15T10:30 meaning practice time. " +
			"Find a patient (find_patients) or create one, find a free slot (find_open_slots), then create_appointment.",
	})
	if c == nil || c.Org == nil {
		return srv
	}
	c.scopes = map[string]string{}
	s.addRecordTools(srv, c)
	s.addFunctionTools(ctx, srv, c)
	srv.AddReceivingMiddleware(c.listOnlyAllowed)
	return srv
}

// listOnlyAllowed keeps tools/list to the tools the caller's scopes let
// it call. The others stay callable, so that a call outside the key's
// scopes is told which scope it lacks (forbidden) rather than that the
// tool does not exist.
func (c *Caller) listOnlyAllowed(next mcp.MethodHandler) mcp.MethodHandler {
	return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
		res, err := next(ctx, method, req)
		if list, ok := res.(*mcp.ListToolsResult); ok && err == nil {
			list.Tools = slices.DeleteFunc(list.Tools, func(t *mcp.Tool) bool { return c.allow(c.scopes[t.Name]) != nil })
		}
		return res, err
	}
}
