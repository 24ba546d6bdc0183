// Package syncsettings is the sync settings service: it lists, creates,
// changes and deletes the sync configurations (which integration syncs
// what, in which direction) and their webhook secrets. It is its own
// package, not part of the syncer, because it is the admin side of the
// configurations: the syncer only reads them on the write path, so a change
// takes effect on the next write and nothing is cached.
package syncsettings

import (
	"context"
	"fmt"

	"switchboard/apperr"
	"switchboard/integrations/registry"
	"switchboard/integrations/vault"
	"switchboard/models"
)

// Service manages an organization's sync configurations.
type Service struct {
	store   *models.Store
	reg     *registry.Registry
	secrets *vault.WebhookSecrets
}

// New returns the sync settings service.
func New(store *models.Store, reg *registry.Registry, secrets *vault.WebhookSecrets) *Service {
	return &Service{store: store, reg: reg, secrets: secrets}
}

// Setting is a sync configuration with its integration. Secret is the
// webhook secret right after it was generated, the only time it is shown.
type Setting struct {
	Config      *models.SyncConfig
	Integration *models.Integration
	Secret      string
}

// Default is the configuration of an integration that has none yet: its
// deliveries follow the integration's default_environment.
func Default(integrationID int64) *models.SyncConfig {
	return &models.SyncConfig{IntegrationID: integrationID, Direction: models.DirectionDualWrite, Environment: "production", EnvironmentDefault: true,
		SyncOnCreate: true, SyncOnUpdate: true, SyncOnDelete: true, Entities: "appointment,patient",
		ConflictResolution: models.ConflictNewestWins, PollIntervalSeconds: 60}
}

// List returns the organization's configurations.
func (s *Service) List(ctx context.Context, orgID int64) ([]Setting, error) {
	t := s.store.Tenant(orgID)
	cfgs, err := t.SyncConfigs(ctx)
	if err != nil {
		return nil, err
	}
	ins, err := t.Integrations(ctx)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*models.Integration, len(ins))
	for i := range ins {
		byID[ins[i].ID] = &ins[i]
	}
	out := make([]Setting, 0, len(cfgs))
	for i := range cfgs {
		in := byID[cfgs[i].IntegrationID]
		if in == nil {
			in = &models.Integration{ID: cfgs[i].IntegrationID}
		}
		out = append(out, Setting{Config: &cfgs[i], Integration: in})
	}
	return out, nil
}

// Get returns configuration id.
func (s *Service) Get(ctx context.Context, orgID, id int64) (*Setting, error) {
	t := s.store.Tenant(orgID)
	cfg, err := t.SyncConfig(ctx, id)
	if err != nil {
		return nil, err
	}
	in, err := t.Integration(ctx, cfg.IntegrationID)
	if err != nil {
		return nil, err
	}
	return &Setting{Config: cfg, Integration: in}, nil
}

// Create adds the configuration of the integration in.Integration names,
// the defaults overlaid with what in sets, and generates its webhook
// secret.
func (s *Service) Create(ctx context.Context, orgID int64, in Input) (*Setting, error) {
	t := s.store.Tenant(orgID)
	if err := resolveIntegrationID(ctx, t, &in); err != nil {
		return nil, err
	}
	if in.Integration == "" {
		return nil, apperr.Validation(apperr.FieldError{Field: "integration", Message: "is required"})
	}
	integ, err := t.IntegrationBySlug(ctx, in.Integration)
	if apperr.IsNotFound(err) {
		return nil, apperr.Validation(apperr.FieldError{Field: "integration", Message: fmt.Sprintf("no integration %q in this organization", in.Integration)})
	}
	if err != nil {
		return nil, err
	}
	st := &Setting{Config: Default(integ.ID), Integration: integ}
	if err := s.apply(ctx, orgID, st.Config, in); err != nil {
		return nil, err
	}
	if st.Secret, err = s.secrets.Generate(orgID, st.Config); err != nil {
		return nil, err
	}
	if err := t.SaveSyncConfig(ctx, st.Config); err != nil {
		return nil, err
	}
	return st, nil
}

// Update changes what in sets on configuration id; its integration cannot
// change.
func (s *Service) Update(ctx context.Context, orgID, id int64, in Input) (*Setting, error) {
	st, err := s.Get(ctx, orgID, id)
	if err != nil {
		return nil, err
	}
	if err := resolveIntegrationID(ctx, s.store.Tenant(orgID), &in); err != nil {
		return nil, err
	}
	if in.Integration != "" && in.Integration != st.Integration.Slug {
		return nil, apperr.Validation(apperr.FieldError{Field: "integration", Message: "cannot be changed; delete this configuration and create one for the other integration"})
	}
	if err := s.apply(ctx, orgID, st.Config, in); err != nil {
		return nil, err
	}
	if err := s.store.Tenant(orgID).SaveSyncConfig(ctx, st.Config); err != nil {
		return nil, err
	}
	return st, nil
}

// Delete deletes configuration id and returns what it was.
func (s *Service) Delete(ctx context.Context, orgID, id int64) (*Setting, error) {
	st, err := s.Get(ctx, orgID, id)
	if err != nil {
		return nil, err
	}
	if err := s.store.Tenant(orgID).DeleteSyncConfig(ctx, id); err != nil {
		return nil, err
	}
	return st, nil
}

// RegenerateSecret gives configuration id a new webhook secret; the old
// one stops working at once.
func (s *Service) RegenerateSecret(ctx context.Context, orgID, id int64) (*Setting, error) {
	st, err := s.Get(ctx, orgID, id)
	if err != nil {
		return nil, err
	}
	if st.Secret, err = s.secrets.Generate(orgID, st.Config); err != nil {
		return nil, err
	}
	if err := s.store.Tenant(orgID).SaveSyncConfig(ctx, st.Config); err != nil {
		return nil, err
	}
	return st, nil
}

// resolveIntegrationID turns an integration named by id (integration_id)
// into its slug; naming it both ways is refused.
func resolveIntegrationID(ctx context.Context, t *models.Tenant, in *Input) error {
	if in.IntegrationID == 0 {
		return nil
	}
	if in.Integration != "" {
		return &apperr.Error{Code: apperr.CodeInvalidRequest, Message: "give integration or integration_id, not both",
			Fields: []apperr.FieldError{{Field: "integration_id", Message: "is another name for integration, which is given too"}}}
	}
	integ, err := t.Integration(ctx, in.IntegrationID)
	if apperr.IsNotFound(err) {
		return apperr.Validation(apperr.FieldError{Field: "integration_id", Message: fmt.Sprintf("no integration %d in this organization", in.IntegrationID)})
	}
	if err != nil {
		return err
	}
	in.Integration = integ.Slug
	return nil
}
