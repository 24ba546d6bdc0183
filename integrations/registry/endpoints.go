package registry

import (
	"context"
	"encoding/json"
	"errors"
	"slices"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/models"
)

// ErrDuplicateFunction is the cause of the conflict of adding a function
// the integration already has.
var ErrDuplicateFunction = errors.New("registry: the integration already has that function")

// Endpoint returns the draft holding endpoint row id and the endpoint's
// index in it.
func (s *Service) Endpoint(ctx context.Context, orgID, id int64) (*Draft, int, error) {
	row, err := s.store.Tenant(orgID).EndpointByID(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	return s.locate(ctx, orgID, row.IntegrationID, id, endpointIndex)
}

// locate loads integration integrationID and finds row id in it by index.
func (s *Service) locate(ctx context.Context, orgID, integrationID, id int64, index func(*Draft, int64) (int, error)) (*Draft, int, error) {
	d, err := s.Load(ctx, orgID, integrationID)
	if err != nil {
		return nil, 0, err
	}
	i, err := index(d, id)
	return d, i, err
}

// AddEndpoint appends ep to integration id.
func (s *Service) AddEndpoint(ctx context.Context, orgID, integrationID int64, ep definition.Endpoint) (*Draft, int, error) {
	d, err := s.edit(ctx, orgID, integrationID, func(d *Draft) error {
		if d.IndexOf(ep.Function) >= 0 {
			return apperr.Wrap(ErrDuplicateFunction, apperr.CodeConflict, "%s already has a function %q", d.Integration.Slug, ep.Function)
		}
		d.Doc.Endpoints = append(d.Doc.Endpoints, ep)
		d.Hints.Endpoints = append(d.Hints.Endpoints, 0)
		return nil
	})
	return endpointNamed(d, ep.Function, err)
}

// UpdateEndpoint replaces endpoint row id with ep. A renamed function
// keeps its id, and the maps, sync functions and test function that named
// it follow the new name.
func (s *Service) UpdateEndpoint(ctx context.Context, orgID, id int64, ep definition.Endpoint) (*Draft, int, error) {
	return s.updateEndpoint(ctx, orgID, id, ep, false)
}

// UpdateEndpointBasics is UpdateEndpoint for an editor that shows no
// pagination, error rules, headers or tags: the endpoint keeps its own.
func (s *Service) UpdateEndpointBasics(ctx context.Context, orgID, id int64, ep definition.Endpoint) (*Draft, int, error) {
	return s.updateEndpoint(ctx, orgID, id, ep, true)
}

func (s *Service) updateEndpoint(ctx context.Context, orgID, id int64, ep definition.Endpoint, keepExtras bool) (*Draft, int, error) {
	row, err := s.store.Tenant(orgID).EndpointByID(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	d, err := s.edit(ctx, orgID, row.IntegrationID, func(d *Draft) error {
		i, err := endpointIndex(d, id)
		if err != nil {
			return err
		}
		old := d.Doc.Endpoints[i]
		if keepExtras {
			ep.Pagination, ep.ErrorRules, ep.Headers, ep.Tags = old.Pagination, old.ErrorRules, old.Headers, old.Tags
		}
		d.Doc.Endpoints[i] = ep
		if ep.Function != old.Function {
			renameFunction(d.Doc, old.Function, ep.Function)
		}
		return nil
	})
	return endpointNamed(d, ep.Function, err)
}

// endpointNamed finds function in the draft an edit returned.
func endpointNamed(d *Draft, function string, err error) (*Draft, int, error) {
	if err != nil {
		return nil, 0, err
	}
	i := d.IndexOf(function)
	if i < 0 {
		return nil, 0, apperr.NotFound("endpoint")
	}
	return d, i, nil
}

// renameFunction updates every reference to a function's name.
func renameFunction(doc *definition.Document, from, to string) {
	for i := range doc.ParameterMaps {
		if doc.ParameterMaps[i].Endpoint == from {
			doc.ParameterMaps[i].Endpoint = to
		}
	}
	if doc.TestFunction == from {
		doc.TestFunction = to
	}
	for _, s := range doc.Sync {
		if s == nil {
			continue
		}
		for _, f := range []*string{&s.Create, &s.Update, &s.Delete, &s.Get, &s.ListChanged, &s.Slots} {
			if *f == from {
				*f = to
			}
		}
	}
}

// DeleteEndpoint removes endpoint row id and the maps scoped to it, and
// returns the integration after the change and the function removed. A
// function the sync or Test Connection still uses is refused with the
// place that names it.
func (s *Service) DeleteEndpoint(ctx context.Context, orgID, id int64) (*Draft, string, error) {
	row, err := s.store.Tenant(orgID).EndpointByID(ctx, id)
	if err != nil {
		return nil, "", err
	}
	var fn string
	d, err := s.edit(ctx, orgID, row.IntegrationID, func(d *Draft) error {
		i, err := endpointIndex(d, id)
		if err != nil {
			return err
		}
		fn = d.Doc.Endpoints[i].Function
		d.Doc.Endpoints = slices.Delete(d.Doc.Endpoints, i, i+1)
		d.Hints.Endpoints = slices.Delete(d.Hints.Endpoints, i, i+1)
		for j := len(d.Doc.ParameterMaps) - 1; j >= 0; j-- {
			if d.Doc.ParameterMaps[j].Endpoint == fn {
				d.Doc.ParameterMaps = slices.Delete(d.Doc.ParameterMaps, j, j+1)
				d.Hints.Maps = slices.Delete(d.Hints.Maps, j, j+1)
			}
		}
		return nil
	})
	return d, fn, err
}

// EndpointRow is one endpoint of the registry list.
type EndpointRow struct {
	models.Endpoint
	// Params is how many parameters it declares.
	Params int
}

// SearchEndpoints lists integration id's endpoints matching f, and how many
// match in all.
func (s *Service) SearchEndpoints(ctx context.Context, orgID, id int64, f models.EndpointFilter) (*models.Integration, []EndpointRow, int, error) {
	t := s.store.Tenant(orgID)
	in, err := t.Integration(ctx, id)
	if err != nil {
		return nil, nil, 0, err
	}
	rows, total, err := t.EndpointPage(ctx, id, f)
	if err != nil {
		return nil, nil, 0, err
	}
	out := make([]EndpointRow, 0, len(rows))
	for _, r := range rows {
		var ep definition.Endpoint
		_ = json.Unmarshal([]byte(r.Settings), &ep)
		out = append(out, EndpointRow{Endpoint: r, Params: len(ep.Params)})
	}
	return in, out, total, nil
}
