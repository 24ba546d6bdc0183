// Package reference answers the practice system's reference data — its
// providers, operatories, locations and appointment types — from the list
// functions a definition's reference section names, as id and label pairs
// for the booking form's pickers and for agents. Lists are cached per
// organization, integration and kind for TTL (10 minutes) in the
// executor's response cache, so processes sharing Redis share them; a
// write through the integration or a change of its definition drops them.
package reference

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/integrations/executor"
	"switchboard/integrations/registry"
	"switchboard/integrations/respcache"
	"switchboard/models"
)

// TTL is how long a reference list is answered from the cache.
const TTL = 10 * time.Minute

// Item is one entry of a reference list: the practice system's id and what
// a person sees.
type Item struct {
	ID    string `json:"id" doc:"The practice system's id (not Switchboard's): what provider_ref, operatory_ref, location_ref or appointment_type take."`
	Label string `json:"label" doc:"What a person sees (a provider's name, a chair's name)."`
}

// List is one kind of reference data of one integration.
type List struct {
	Integration string `json:"integration"`
	Kind        string `json:"kind"`
	Items       []Item `json:"items"`
	Cached      bool   `json:"cached"`
}

// Service lists reference data. Lists live in the executor's response
// cache (in this process, or in Redis shared by every process), under the
// same generation as the integration's cached answers: a write through the
// integration, in any process, drops them.
type Service struct {
	store    *models.Store
	registry *registry.Registry
	exec     *executor.Executor
	cache    respcache.Cache
}

// New returns a Service over the registry and the executor, keeping its
// lists in the executor's response cache.
func New(store *models.Store, reg *registry.Registry, exec *executor.Executor) *Service {
	return &Service{store: store, registry: reg, exec: exec, cache: exec.Cache()}
}

// Get lists kind from the integration slug, or, when slug is empty, from
// the first enabled sync target whose definition lists kind (the practice
// system the records go to).
func (s *Service) Get(ctx context.Context, org *models.Organization, kind, slug string) (*List, error) {
	return s.GetAllowed(ctx, org, kind, slug, nil)
}

// GetAllowed is Get for a caller limited to some integrations: allow
// (nil: any) refuses the integration the list would come from before
// anything is sent to it.
func (s *Service) GetAllowed(ctx context.Context, org *models.Organization, kind, slug string, allow func(slug string) error) (*List, error) {
	if !slices.Contains(definition.ReferenceKinds, kind) {
		return nil, apperr.Validation(apperr.FieldError{Field: "kind",
			Message: fmt.Sprintf("unknown kind %q (want %s)", kind, strings.Join(definition.ReferenceKinds, ", "))})
	}
	entry, ref, err := s.source(ctx, org.ID, kind, slug)
	if err != nil {
		return nil, err
	}
	if allow != nil {
		if err := allow(entry.Slug); err != nil {
			return nil, err
		}
	}
	env, err := s.environment(ctx, entry)
	if err != nil {
		return nil, err
	}
	key := s.key(ctx, entry, env, kind)
	if items, ok := s.cached(ctx, key); ok {
		return &List{Integration: entry.Slug, Kind: kind, Items: items, Cached: true}, nil
	}
	res, err := s.exec.Execute(ctx, executor.Request{OrgID: org.ID, Provider: entry.Slug, Function: ref.Function,
		Params: map[string]any{}, Zone: org.Zone().Location(), Environment: env, Caller: "reference lists"})
	if err != nil {
		return nil, err
	}
	defer res.Release()
	items, err := itemsOf(res.Data, ref)
	if err != nil {
		return nil, err
	}
	s.remember(ctx, key, items)
	// The function's own cache_ttl may have answered it from the cache.
	return &List{Integration: entry.Slug, Kind: kind, Items: items, Cached: res.Cached}, nil
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
	// The systems appointments go to come first, as for the booking form's
	// pickers, so that a list without integration names the same system.
	slices.SortStableFunc(cfgs, func(a, b models.SyncConfig) int {
		return cmp.Compare(appointmentRank(&a), appointmentRank(&b))
	})
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

// appointmentRank is 0 for a configuration that pushes appointments, 1
// for any other.
func appointmentRank(cfg *models.SyncConfig) int {
	if pushesAppointments(cfg) {
		return 0
	}
	return 1
}

// key names kind's list of the integration: organization, integration,
// the integration's generation (bumped by every write through it), the
// definition's version (a change lists anew), the environment and kind. It is "" when the
// cache cannot tell the generation: the list is then neither read nor
// stored.
func (s *Service) key(ctx context.Context, entry *registry.Entry, env, kind string) string {
	scope := respcache.Scope(entry.OrgID, entry.Slug)
	gen, err := s.cache.Generation(ctx, scope)
	if err != nil {
		return ""
	}
	return "reference:" + scope + ":" + strconv.FormatInt(gen, 10) + ":v" + strconv.FormatInt(entry.Version, 10) + ":" + env + ":" + kind
}

// environment is the one the integration's sync configuration delivers
// to (its ids are the ones bookings are sent with); the integration's
// default_environment when it has none or follows that default.
func (s *Service) environment(ctx context.Context, entry *registry.Entry) (string, error) {
	cfg, err := s.store.Tenant(entry.OrgID).SyncConfigFor(ctx, entry.IntegrationID)
	if apperr.IsNotFound(err) {
		return entry.Compiled.Doc.DefaultEnv(), nil
	}
	if err != nil {
		return "", err
	}
	return entry.Compiled.Doc.Env(cfg.DeliveryEnvironment()), nil
}

// cached reads a list; a cache that fails is bypassed.
func (s *Service) cached(ctx context.Context, key string) ([]Item, bool) {
	if key == "" {
		return nil, false
	}
	b, ok, err := s.cache.Get(ctx, key)
	if err != nil || !ok {
		return nil, false
	}
	var items []Item
	if err := json.Unmarshal(b, &items); err != nil {
		return nil, false
	}
	return items, true
}

// remember stores a list for TTL; a cache that fails keeps nothing.
func (s *Service) remember(ctx context.Context, key string, items []Item) {
	if key == "" {
		return
	}
	if b, err := json.Marshal(items); err == nil {
		_ = s.cache.Set(ctx, key, b, TTL) // a list not kept is listed again next time
	}
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
