package agent

import (
	"context"

	"switchboard/apperr"
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
	Limit           int    `json:"limit,omitempty" jsonschema:"at most this many slots, earliest first (1 to 200, default 20)"`
}

// Slot limits of find_open_slots.
const (
	DefaultSlotLimit = 20
	MaxSlotLimit     = 200
)

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
	// More says that there are free slots after the last one listed.
	More bool `json:"more"`
}

func (s *Server) addSlotTool(srv *mcp.Server, c *Caller) {
	addTool(srv, c, toolSpec{name: "find_open_slots", title: "Find free slots", scope: models.ScopeRecordsRead, readOnly: true, idempotent: true,
		description: "Find free appointment slots inside the practice's opening hours that no appointment of the provider or operatory " +
			"overlaps (and that the practice system offers, when it lists slots): the first `limit` (default 20), earliest first; " +
			"more is true when there are others."},
		func(ctx context.Context, _ *mcp.CallToolRequest, in SlotQuery) (*mcp.CallToolResult, SlotsOut, error) {
			if err := c.allow(models.ScopeRecordsRead); err != nil {
				return nil, SlotsOut{}, toolError(err)
			}
			limit := in.Limit
			if limit == 0 {
				limit = DefaultSlotLimit
			}
			if limit < 1 || limit > MaxSlotLimit {
				return nil, SlotsOut{}, toolError(apperr.Validation(apperr.FieldError{Field: "limit", Message: "must be between 1 and 200"}))
			}
			slots, err := s.slots.FindSlots(ctx, c.Org, in)
			if err != nil {
				return nil, SlotsOut{}, toolError(err)
			}
			if slots == nil {
				slots = []Slot{}
			}
			if len(slots) > limit {
				return nil, SlotsOut{Items: slots[:limit], More: true}, nil
			}
			return nil, SlotsOut{Items: slots}, nil
		})
}
