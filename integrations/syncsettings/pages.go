package syncsettings

import (
	"context"

	"switchboard/apperr"
	"switchboard/models"
)

// Syncable is an integration whose definition can sync, with its
// configuration (nil when it has none yet).
type Syncable struct {
	Integration *models.Integration
	Config      *models.SyncConfig
}

// Syncables lists the integrations that have sync functions; the others
// (AI, messaging) have nothing to sync with.
func (s *Service) Syncables(ctx context.Context, orgID int64) ([]Syncable, error) {
	t := s.store.Tenant(orgID)
	ins, err := t.Integrations(ctx)
	if err != nil {
		return nil, err
	}
	var out []Syncable
	for i := range ins {
		doc, _, err := s.reg.Load(ctx, orgID, ins[i].ID)
		if err != nil {
			return nil, err
		}
		if len(doc.Sync) == 0 {
			continue
		}
		cfg, err := t.SyncConfigFor(ctx, ins[i].ID)
		if apperr.IsNotFound(err) {
			cfg, err = nil, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, Syncable{Integration: &ins[i], Config: cfg})
	}
	return out, nil
}

// Save applies in to the configuration of integration integrationID,
// creating it (with a new webhook secret, in Secret) when it has none.
// When in is not valid, the setting as submitted is returned with the
// validation error, so that a form can be shown again with it.
func (s *Service) Save(ctx context.Context, orgID, integrationID int64, in Input) (*Setting, error) {
	t := s.store.Tenant(orgID)
	integ, err := t.Integration(ctx, integrationID)
	if err != nil {
		return nil, err
	}
	st := &Setting{Integration: integ}
	st.Config, err = t.SyncConfigFor(ctx, integrationID)
	if apperr.IsNotFound(err) {
		st.Config = Default(integrationID)
		if st.Secret, err = s.secrets.Generate(orgID, st.Config); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	if err := s.apply(ctx, orgID, st.Config, in); err != nil {
		return st, err
	}
	if err := t.SaveSyncConfig(ctx, st.Config); err != nil {
		return st, err
	}
	return st, nil
}
