package agent

import (
	"context"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"switchboard/integrations/definition"
	"switchboard/integrations/reference"
	"switchboard/models"
)

// ReferenceLister answers list_providers and list_operatories
// (reference.Service); without one they are left out.
type ReferenceLister interface {
	Get(ctx context.Context, org *models.Organization, kind, slug string) (*reference.List, error)
}

// UseReference offers the reference lists as tools.
func (s *Server) UseReference(r ReferenceLister) { s.refs = r }

// ListIn is what list_providers and list_operatories take.
type ListIn struct {
	Integration string `json:"integration,omitempty" jsonschema:"the integration (slug) whose list to read; left out, the practice system appointments are written to"`
}

// addReferenceTools adds list_providers and list_operatories.
func (s *Server) addReferenceTools(srv *mcp.Server, c *Caller) {
	if s.refs == nil {
		return
	}
	for _, t := range []struct{ name, title, kind, field string }{
		{"list_providers", "List providers", definition.RefProviders, "provider_ref"},
		{"list_operatories", "List operatories (chairs)", definition.RefOperatories, "operatory_ref"},
	} {
		addTool(srv, c, toolSpec{name: t.name, title: t.title, scope: models.ScopeRecordsRead, readOnly: true, idempotent: true,
			description: "List the practice system's " + t.kind + ": each item's id is what " + t.field +
				" takes (find_open_slots, create_appointment), its label what a person reads."},
			func(ctx context.Context, _ *mcp.CallToolRequest, in ListIn) (*mcp.CallToolResult, reference.List, error) {
				l, err := s.refs.Get(ctx, c.Org, t.kind, in.Integration)
				if err != nil {
					return nil, reference.List{}, toolError(err)
				}
				return nil, *l, nil
			})
	}
}
