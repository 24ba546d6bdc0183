package accounts

import (
	"context"
	"strings"

	"switchboard/auth"
	"switchboard/models"
)

// NewKey is an API key to create: a name to tell keys apart, its role
// (agent or admin), its scopes (none: all) and the integrations it may
// execute (none: all).
type NewKey struct {
	Name         string
	Role         string
	Scopes       []string
	Integrations []string
}

// APIKeys lists the organization's API keys, revoked ones included.
func (s *Service) APIKeys(ctx context.Context, orgID int64) ([]models.APIKey, error) {
	return s.store.Tenant(orgID).APIKeys(ctx)
}

// CreateAPIKey makes a key in the actor's organization and returns it
// with its plain value, shown once: only its hash is stored.
func (s *Service) CreateAPIKey(ctx context.Context, by Actor, in NewKey) (string, *models.APIKey, error) {
	key, prefix, hash := auth.NewAPIKey()
	t := s.store.Tenant(by.OrgID)
	k, err := t.CreateAPIKey(ctx, in.Name, in.Role, prefix, hash, by.UserID)
	if err != nil {
		return "", nil, err
	}
	if k, err = t.SetAPIKeyScopes(ctx, k.ID, in.Scopes, in.Integrations); err != nil {
		return "", nil, err
	}
	s.audit.Record(ctx, by, ActionAPIKeyCreated, TargetOf("api_key", k.ID), map[string]any{"name": in.Name, "role": in.Role,
		"prefix": prefix, "scopes": k.ScopeList(), "integrations": k.IntegrationList()})
	return key, k, nil
}

// RevokeAPIKey revokes a key at once (the authenticator's cache is
// dropped) and returns it.
func (s *Service) RevokeAPIKey(ctx context.Context, by Actor, id int64) (*models.APIKey, error) {
	k, err := s.store.Tenant(by.OrgID).RevokeAPIKey(ctx, id)
	if err != nil {
		return nil, err
	}
	s.invalidateKeys()
	s.audit.Record(ctx, by, ActionAPIKeyRevoked, TargetOf("api_key", k.ID), map[string]any{"name": k.Name, "prefix": k.Prefix})
	return k, nil
}

// SplitList splits a comma-separated list, dropping empty items.
func SplitList(v string) []string {
	var out []string
	for _, it := range strings.Split(v, ",") {
		if it = strings.TrimSpace(it); it != "" {
			out = append(out, it)
		}
	}
	return out
}
