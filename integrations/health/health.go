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
	"switchboard/integrations/syncer"
	"switchboard/integrations/vault"
	"switchboard/models"
)

// Service answers integration health.
type Service struct {
	store *models.Store
	exec  *executor.Executor
	sync  *syncer.Manager
	creds *vault.Source
}

// New returns the Service; exec gives the circuit states, sync the open
// sync errors, creds (nil: saved credentials only) whose credential a
// call uses.
func New(store *models.Store, exec *executor.Executor, sync *syncer.Manager, creds *vault.Source) *Service {
	return &Service{store: store, exec: exec, sync: sync, creds: creds}
}

// Integration is an integration as agents see it.
type Integration struct {
	Slug        string `json:"slug" doc:"The integration's slug, how URLs name it (the provider path parameter)."`
	Name        string `json:"name" doc:"The integration's name."`
	Description string `json:"description,omitempty" doc:"What the integration is."`
	Enabled     bool   `json:"enabled" doc:"Whether calls and syncs may use it."`
	AuthType    string `json:"auth_type" doc:"How requests are authenticated (the definition's auth.type)."`
	Functions   int    `json:"functions" doc:"How many functions it has."`
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

// Day is the organization's calls of a day, for the dashboard: per hour
// (Hours[0] starts at Since), per integration, in all, and its open sync
// errors.
type Day struct {
	Since        time.Time
	Hours        []Count
	Integrations []IntegrationDay
	Calls        int
	Failed       int
	OpenErrors   int
}

// Count is a number of calls and how many of them failed.
type Count struct {
	Calls  int
	Errors int
}

// IntegrationDay is one integration's calls of the day and its last call
// (zero when none).
type IntegrationDay struct {
	ID       int64
	Name     string
	Slug     string
	Enabled  bool
	Count    Count
	LastCall time.Time
	// OpenSyncErrors and State are filled by Dashboard: the integration's
	// open sync errors and its health word (State* constants).
	OpenSyncErrors int
	State          string
}

// Today counts the organization's calls of the hours hours up to now, per
// hour and per integration, and its open sync errors.
func (s *Service) Today(ctx context.Context, orgID int64, now time.Time, hours int) (*Day, error) {
	since := now.UTC().Truncate(time.Hour).Add(-time.Duration(hours-1) * time.Hour)
	t := s.store.Tenant(orgID)
	counts, err := t.CallsPerHour(ctx, since, hours)
	if err != nil {
		return nil, err
	}
	ins, err := t.Integrations(ctx)
	if err != nil {
		return nil, err
	}
	d := &Day{Since: since, Hours: make([]Count, hours)}
	if d.OpenErrors, err = s.sync.OpenErrors(ctx, orgID); err != nil {
		return nil, err
	}
	byProvider := map[string]*IntegrationDay{}
	for _, in := range ins {
		d.Integrations = append(d.Integrations, IntegrationDay{ID: in.ID, Name: in.Name, Slug: in.Slug, Enabled: in.Enabled})
	}
	for i := range d.Integrations {
		byProvider[d.Integrations[i].Slug] = &d.Integrations[i]
	}
	for _, ch := range counts {
		d.add(ch, byProvider[ch.Provider])
	}
	return d, nil
}

// add counts one provider's calls of one hour.
func (d *Day) add(ch models.CallHour, in *IntegrationDay) {
	d.Calls, d.Failed = d.Calls+ch.Calls, d.Failed+ch.Errors
	if ch.Hour >= 0 && ch.Hour < len(d.Hours) {
		d.Hours[ch.Hour].Calls += ch.Calls
		d.Hours[ch.Hour].Errors += ch.Errors
	}
	if in == nil {
		return
	}
	in.Count.Calls += ch.Calls
	in.Count.Errors += ch.Errors
	if ch.Last.After(in.LastCall) {
		in.LastCall = ch.Last
	}
}
