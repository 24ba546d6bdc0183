package agent

import (
	"context"

	"switchboard/models"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// SlotQuery is what find_open_slots takes (GET /api/availability's
// parameters).
type SlotQuery struct {
	From            string `json:"from" jsonschema:"first day or date-time to search, in practice time (2026-12-15 or 2026-12-15T08:00)"`
	To              string `json:"to" jsonschema:"last day (inclusive) or date-time to search, at most 31 days after from"`
	DurationMinutes int    `json:"duration_minutes" jsonschema:"length of the appointment in minutes"`
	ProviderRef     string `json:"provider_ref,omitempty" jsonschema:"only slots free for this provider"`
	OperatoryRef    string `json:"operatory_ref,omitempty" jsonschema:"only slots free in this operatory"`
	StepMinutes     int    `json:"step_minutes,omitempty" jsonschema:"minutes between candidate starts (default 15)"`
}

// Slot is one free interval, times with the practice's offset.
type Slot struct {
	Start        string `json:"start"`
	End          string `json:"end"`
	ProviderRef  string `json:"provider_ref,omitempty"`
	OperatoryRef string `json:"operatory_ref,omitempty"`
}

// SlotsOut is the answer of find_open_slots.
type SlotsOut struct {
	Items []Slot `json:"items"`
}

func (s *Server) addSlotTool(srv *mcp.Server, c *Caller) {
	mcp.AddTool(srv, &mcp.Tool{Name: "find_open_slots", Description: "Find free appointment slots inside the practice's opening hours " +
		"that no appointment of the provider or operatory overlaps (and that the practice system offers, when it lists slots)."},
		func(ctx context.Context, _ *mcp.CallToolRequest, in SlotQuery) (*mcp.CallToolResult, SlotsOut, error) {
			if err := c.allow(models.ScopeRecordsRead); err != nil {
				return nil, SlotsOut{}, toolError(err)
			}
			slots, err := s.slots.FindSlots(ctx, c.Org, in)
			if err != nil {
				return nil, SlotsOut{}, toolError(err)
			}
			if slots == nil {
				slots = []Slot{}
			}
			return nil, SlotsOut{Items: slots}, nil
		})
}
