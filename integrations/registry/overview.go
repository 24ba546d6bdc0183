package registry

import (
	"context"

	"switchboard/integrations/catalog"
	"switchboard/integrations/definition"
	"switchboard/models"
)

// Summary is one integration of the list page.
type Summary struct {
	models.Integration
	// Endpoints is how many functions it has.
	Endpoints int
	// Credential is the state of its production credential, else of its
	// sandbox one: "saved", "ok", "failed", "reauth" (an OAuth connection
	// the provider refused, to connect again), or "" when there is none.
	Credential string
}

// CatalogItem is one catalog definition and whether the organization has
// added it.
type CatalogItem struct {
	catalog.Entry
	Added bool
}

// Overview lists the organization's integrations and the catalog.
func (s *Service) Overview(ctx context.Context, orgID int64) ([]Summary, []CatalogItem, error) {
	t := s.store.Tenant(orgID)
	ins, err := t.Integrations(ctx)
	if err != nil {
		return nil, nil, err
	}
	states, err := credentialStates(ctx, t)
	if err != nil {
		return nil, nil, err
	}
	counts, err := t.EndpointCounts(ctx)
	if err != nil {
		return nil, nil, err
	}
	sums := make([]Summary, 0, len(ins))
	added := map[string]bool{}
	for _, in := range ins {
		added[in.Catalog] = true
		sums = append(sums, Summary{Integration: in, Endpoints: counts[in.ID], Credential: states[in.ID]})
	}
	entries, err := catalog.List()
	if err != nil {
		return nil, nil, err
	}
	items := make([]CatalogItem, 0, len(entries))
	for _, e := range entries {
		items = append(items, CatalogItem{Entry: e, Added: added[e.Slug]})
	}
	return sums, items, nil
}

// credentialStates gives each integration's credential state by id.
func credentialStates(ctx context.Context, t *models.Tenant) (map[int64]string, error) {
	creds, err := t.Credentials(ctx)
	if err != nil {
		return nil, err
	}
	states := map[int64]string{}
	for _, cr := range creds {
		state := "saved"
		if cr.LastTestOK != nil {
			state = map[bool]string{true: "ok", false: "failed"}[*cr.LastTestOK]
		}
		if cr.NeedsReauth {
			state = "reauth"
		}
		if states[cr.IntegrationID] == "" || cr.Environment == definition.EnvProduction {
			states[cr.IntegrationID] = state
		}
	}
	return states, nil
}

// NeedsReauth reports whether a credential of integration id holds an
// OAuth connection the provider refused (needs_reauth): its pages say to
// connect again.
func (s *Service) NeedsReauth(ctx context.Context, orgID, id int64) (bool, error) {
	creds, err := s.store.Tenant(orgID).Credentials(ctx)
	if err != nil {
		return false, err
	}
	for _, cr := range creds {
		if cr.IntegrationID == id && cr.NeedsReauth {
			return true, nil
		}
	}
	return false, nil
}
