package registry

import (
	"context"
	"slices"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/models"
)

// Draft is an integration's document as stored, with the row ids of its
// endpoints and parameter maps in document order, so that an edit keeps
// the id of every row it does not remove.
type Draft struct {
	Doc         *definition.Document
	Integration models.Integration
	Hints       Hints
}

// IndexOf returns the index of the endpoint named function, or -1.
func (d *Draft) IndexOf(function string) int {
	return slices.IndexFunc(d.Doc.Endpoints, func(e definition.Endpoint) bool { return e.Function == function })
}

// EndpointID returns the row id of endpoint i.
func (d *Draft) EndpointID(i int) int64 { return d.Hints.Endpoints[i] }

// MapID returns the row id of parameter map i.
func (d *Draft) MapID(i int) int64 { return d.Hints.Maps[i] }

// Functions lists the document's function names in order.
func (d *Draft) Functions() []string {
	var fns []string
	for _, e := range d.Doc.Endpoints {
		fns = append(fns, e.Function)
	}
	return fns
}

// loadDraft reads integration id within t.
func loadDraft(ctx context.Context, t *models.Tenant, id int64) (*Draft, error) {
	rows, err := t.IntegrationRows(ctx, id)
	if err != nil {
		return nil, err
	}
	doc, err := fromRows(rows)
	if err != nil {
		return nil, err
	}
	return &Draft{Doc: doc, Integration: rows.Integration, Hints: HintsOf(rows)}, nil
}

// edit runs one change of integration id in one transaction: lock and load
// the document, let change edit the draft, validate, compile and save it,
// and read it back with the ids of new rows. The cache is dropped after the
// commit. A change that fails writes nothing.
func (r *Registry) edit(ctx context.Context, orgID, id int64, change func(d *Draft) error) (*Draft, error) {
	var after *Draft
	var w written
	err := r.store.Tenant(orgID).InTx(ctx, func(t *models.Tenant) error {
		if _, err := t.LockIntegration(ctx, id); err != nil {
			return err
		}
		d, err := loadDraft(ctx, t, id)
		if err != nil {
			return err
		}
		if err := change(d); err != nil {
			return err
		}
		if w, err = write(ctx, t, id, d.Doc, "", d.Hints); err != nil {
			return err
		}
		after, err = loadDraft(ctx, t, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	r.invalidateWritten(orgID, w)
	return after, nil
}

func (s *Service) edit(ctx context.Context, orgID, id int64, change func(d *Draft) error) (*Draft, error) {
	return s.reg.edit(ctx, orgID, id, change)
}

// endpointIndex finds endpoint row id in d.
func endpointIndex(d *Draft, id int64) (int, error) {
	i := slices.Index(d.Hints.Endpoints, id)
	if i < 0 {
		return 0, apperr.NotFound("endpoint")
	}
	return i, nil
}

// mapIndex finds parameter map row id in d.
func mapIndex(d *Draft, id int64) (int, error) {
	i := slices.Index(d.Hints.Maps, id)
	if i < 0 {
		return 0, apperr.NotFound("parameter map")
	}
	return i, nil
}
