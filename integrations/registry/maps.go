package registry

import (
	"context"
	"slices"

	"switchboard/integrations/definition"
)

// Map returns the draft holding parameter map row id and the map's index
// in it.
func (s *Service) Map(ctx context.Context, orgID, id int64) (*Draft, int, error) {
	row, err := s.store.Tenant(orgID).ParameterMapByID(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	return s.locate(ctx, orgID, row.IntegrationID, id, mapIndex)
}

// AddMap appends m to integration id's parameter maps; the answer's index
// is the new map's.
func (s *Service) AddMap(ctx context.Context, orgID, integrationID int64, m definition.ParameterMap) (*Draft, int, error) {
	d, err := s.edit(ctx, orgID, integrationID, func(d *Draft) error {
		d.Doc.ParameterMaps = append(d.Doc.ParameterMaps, m)
		d.Hints.Maps = append(d.Hints.Maps, 0)
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return d, len(d.Doc.ParameterMaps) - 1, nil
}

// UpdateMap replaces parameter map row id with m.
func (s *Service) UpdateMap(ctx context.Context, orgID, id int64, m definition.ParameterMap) (*Draft, int, error) {
	return s.changeMap(ctx, orgID, id, func(d *Draft, i int) { d.Doc.ParameterMaps[i] = m })
}

// DeleteMap removes parameter map row id and returns it as it was.
func (s *Service) DeleteMap(ctx context.Context, orgID, id int64) (*Draft, definition.ParameterMap, error) {
	var gone definition.ParameterMap
	d, _, err := s.changeMap(ctx, orgID, id, func(d *Draft, i int) {
		gone = d.Doc.ParameterMaps[i]
		d.Doc.ParameterMaps = slices.Delete(d.Doc.ParameterMaps, i, i+1)
		d.Hints.Maps = slices.Delete(d.Hints.Maps, i, i+1)
	})
	return d, gone, err
}

// changeMap edits the parameter map of row id in its integration's
// document; the answer's index is the map's before the change.
func (s *Service) changeMap(ctx context.Context, orgID, id int64, change func(d *Draft, i int)) (*Draft, int, error) {
	row, err := s.store.Tenant(orgID).ParameterMapByID(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	var at int
	d, err := s.edit(ctx, orgID, row.IntegrationID, func(d *Draft) error {
		i, err := mapIndex(d, id)
		if err != nil {
			return err
		}
		at = i
		change(d, i)
		return nil
	})
	return d, at, err
}
