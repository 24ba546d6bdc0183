// Package health tells how an organization's integrations are doing: the
// integrations agents may call, each one's status (its credentials' last
// test and use, its sync configuration and last sync, calls and errors over
// a day from the call log, its circuits), and the calls per hour the
// dashboard charts. It reads; it changes nothing.
package health

import (
	"context"
	"time"

	"switchboard/integrations/executor"
	"switchboard/models"
)

// Service answers integration health.
type Service struct {
	store *models.Store
	exec  *executor.Executor
}

// New returns the Service; exec gives the circuit states.
func New(store *models.Store, exec *executor.Executor) *Service {
	return &Service{store: store, exec: exec}
}

// Integration is an integration as agents see it.
type Integration struct {
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Enabled     bool   `json:"enabled"`
	AuthType    string `json:"auth_type"`
	Functions   int    `json:"functions"`
}

// Integrations lists the organization's integrations with how many
// functions each has.
func (s *Service) Integrations(ctx context.Context, orgID int64) ([]Integration, error) {
	t := s.store.Tenant(orgID)
	ins, err := t.Integrations(ctx)
	if err != nil {
		return nil, err
	}
	counts, err := t.EndpointCounts(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Integration, 0, len(ins))
	for _, in := range ins {
		out = append(out, Integration{Slug: in.Slug, Name: in.Name, Description: in.Description, Enabled: in.Enabled,
			AuthType: in.AuthType, Functions: counts[in.ID]})
	}
	return out, nil
}

// Day is a period's calls per provider and hour, and the organization's
// integrations, for the dashboard.
type Day struct {
	Hours        []models.CallHour
	Integrations []models.Integration
}

// CallsPerHour counts the organization's calls per provider and hour of
// the hours from since, with its integrations.
func (s *Service) CallsPerHour(ctx context.Context, orgID int64, since time.Time, hours int) (*Day, error) {
	t := s.store.Tenant(orgID)
	ch, err := t.CallsPerHour(ctx, since, hours)
	if err != nil {
		return nil, err
	}
	ins, err := t.Integrations(ctx)
	if err != nil {
		return nil, err
	}
	return &Day{Hours: ch, Integrations: ins}, nil
}
