package health

import (
	"context"

	"switchboard/models"
)

// Setup is a new practice's first-run checklist, each step ticked from
// what is really saved: the clock, a practice system, its credentials, a
// passing Test Connection, sync on, an agent key. Integration is the
// first integration (0: none yet), which the later steps link to.
type Setup struct {
	Clock, System, Credentials, Tested, Sync, AgentKey bool
	Integration                                        int64
}

// Done reports whether every step is done (the checklist goes away).
func (s Setup) Done() bool {
	return s.Clock && s.System && s.Credentials && s.Tested && s.Sync && s.AgentKey
}

// Setup reads the organization's first-run checklist.
func (s *Service) Setup(ctx context.Context, org *models.Organization) (Setup, error) {
	t := s.store.Tenant(org.ID)
	out := Setup{Clock: org.TimeZoneSet() && len(org.Hours().Normalize()) > 0}
	ins, err := t.Integrations(ctx)
	if err != nil {
		return out, err
	}
	if out.System = len(ins) > 0; out.System {
		out.Integration = ins[0].ID
	}
	creds, err := t.Credentials(ctx)
	if err != nil {
		return out, err
	}
	out.Credentials = len(creds) > 0
	for _, c := range creds {
		out.Tested = out.Tested || (c.LastTestOK != nil && *c.LastTestOK)
	}
	cfgs, err := t.SyncConfigs(ctx)
	if err != nil {
		return out, err
	}
	for _, c := range cfgs {
		out.Sync = out.Sync || c.Enabled
	}
	keys, err := t.APIKeys(ctx)
	if err != nil {
		return out, err
	}
	for _, k := range keys {
		out.AgentKey = out.AgentKey || (k.Role == models.KeyRoleAgent && !k.Revoked())
	}
	return out, nil
}
