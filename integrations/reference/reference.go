// Package reference answers the practice system's reference data — its
// providers, operatories, locations and appointment types — from the list
// functions a definition's reference section names, as id and label pairs
// for the booking form's pickers and for agents. Lists are cached per
// organization, integration and kind for TTL (10 minutes by default);
// changing the integration's definition drops its lists.
package reference

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/integrations/executor"
	"switchboard/integrations/registry"
	"switchboard/models"
)

// TTL is how long a reference list is answered from the cache.
const TTL = 10 * time.Minute

// Item is one entry of a reference list: the practice system's id and what
// a person sees.
type Item struct {
	ID    string `json:"id"`
	Label string `json:"label"`
}

// List is one kind of reference data of one integration.
type List struct {
	Integration string `json:"integration"`
	Kind        string `json:"kind"`
	Items       []Item `json:"items"`
	Cached      bool   `json:"cached"`
}

// Service lists reference data.
type Service struct {
	store    *models.Store
	registry *registry.Registry
	exec     *executor.Executor
	now      func() time.Time

	mu    sync.Mutex
	cache map[cacheKey]cached
}

type cacheKey struct {
	org         int64
	integration string
	kind        string
	version     int64
}

type cached struct {
	items []Item
	until time.Time
}

// New returns a Service over the registry and the executor.
func New(store *models.Store, reg *registry.Registry, exec *executor.Executor) *Service {
	return &Service{store: store, registry: reg, exec: exec, now: time.Now, cache: map[cacheKey]cached{}}
}

// Get lists kind from the integration slug, or, when slug is empty, from
// the first enabled sync target whose definition lists kind (the practice
// system the records go to).
func (s *Service) Get(ctx context.Context, org *models.Organization, kind, slug string) (*List, error) {
	if !slices.Contains(definition.ReferenceKinds, kind) {
		return nil, apperr.Validation(apperr.FieldError{Field: "kind",
			Message: fmt.Sprintf("unknown kind %q (want %s)", kind, strings.Join(definition.ReferenceKinds, ", "))})
	}
	entry, ref, err := s.source(ctx, org.ID, kind, slug)
	if err != nil {
		return nil, err
	}
	key := cacheKey{org.ID, entry.Slug, kind, entry.Version}
	if items, ok := s.cached(key); ok {
		return &List{Integration: entry.Slug, Kind: kind, Items: items, Cached: true}, nil
	}
	res, err := s.exec.Execute(ctx, executor.Request{OrgID: org.ID, Provider: entry.Slug, Function: ref.Function,
		Params: map[string]any{}, Zone: org.Zone().Location()})
	if err != nil {
		return nil, err
	}
	items, err := itemsOf(res.Data, ref)
	if err != nil {
		return nil, err
	}
	s.remember(key, items)
	return &List{Integration: entry.Slug, Kind: kind, Items: items}, nil
}

// source finds the integration and its reference entry for kind.
func (s *Service) source(ctx context.Context, orgID int64, kind, slug string) (*registry.Entry, *definition.ReferenceList, error) {
	if slug != "" {
		entry, err := s.registry.Lookup(ctx, orgID, slug) // unknown: 404 unknown_provider
		if err != nil {
			return nil, nil, err
		}
		ref := entry.Compiled.Doc.Reference[kind]
		if ref == nil {
			return nil, nil, apperr.Validation(apperr.FieldError{Field: "kind",
				Message: fmt.Sprintf("%s lists no %s (its definition has no reference.%s)", slug, kind, kind)})
		}
		return entry, ref, nil
	}
	cfgs, err := s.store.Tenant(orgID).EnabledSyncConfigs(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, cfg := range cfgs {
		entry, err := s.registry.LookupID(ctx, orgID, cfg.IntegrationID)
		if err != nil {
			continue
		}
		if ref := entry.Compiled.Doc.Reference[kind]; ref != nil && entry.Enabled {
			return entry, ref, nil
		}
	}
	return nil, nil, apperr.Validation(apperr.FieldError{Field: "integration",
		Message: fmt.Sprintf("is required: no enabled sync target lists %s", kind)})
}

func (s *Service) cached(k cacheKey) ([]Item, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.cache[k]
	if !ok || !s.now().Before(c.until) {
		delete(s.cache, k)
		return nil, false
	}
	return c.items, true
}

func (s *Service) remember(k cacheKey, items []Item) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cache[k] = cached{items: items, until: s.now().Add(TTL)}
}

// itemsOf turns a list answer into items: each element's id at the id
// path, its label from the label template (the id when there is none).
// An answer of one object is a list of one (XML has no list of one); an id
// listed again (a schedule view on each of its chairs) is listed once.
func itemsOf(data any, ref *definition.ReferenceList) ([]Item, error) {
	var list []any
	switch v := data.(type) {
	case []any:
		list = v
	case map[string]any:
		list = []any{v}
	case nil:
	default:
		return nil, apperr.New(apperr.CodeUpstreamError, "%s answered %T, not a list", ref.Function, data)
	}
	label, err := definition.ParseTemplate(ref.LabelTemplate)
	if err != nil {
		return nil, err
	}
	items := make([]Item, 0, len(list))
	for _, el := range list {
		v, ok := executor.Lookup(el, ref.IDPath)
		if !ok || v == nil {
			continue
		}
		it := Item{ID: text(v)}
		if slices.ContainsFunc(items, func(x Item) bool { return x.ID == it.ID }) {
			continue
		}
		if it.Label, err = label.Render(func(r definition.Ref) (string, bool) {
			f, ok := executor.Lookup(el, r.Name)
			return text(f), ok
		}, nil); err != nil || strings.TrimSpace(it.Label) == "" {
			it.Label = it.ID
		}
		items = append(items, it)
	}
	return items, nil
}

// text writes a scalar of a parsed answer as a person reads it.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}
