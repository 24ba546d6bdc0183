// Package registry stores integration definitions (see
// docs/adding-an-integration.md) in the database, one document per
// integration, and keeps their compiled form in memory by (organization,
// slug) so that executing a function reads no database. Every change goes
// through a whole document, in one transaction: it is validated and
// compiled before anything is written, and the cached entry is dropped.
// Service is what the pages and the admin API call.
package registry

import (
	"context"
	"errors"
	"strconv"
	"sync"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/models"
)

// Entry is a compiled integration ready for execution.
type Entry struct {
	IntegrationID int64
	OrgID         int64
	Slug          string
	Version       int64
	Enabled       bool
	Compiled      *definition.Compiled
}

type cacheKey struct {
	org  int64
	slug string
}

// Registry reads and writes integration documents.
type Registry struct {
	store *models.Store

	mu    sync.RWMutex
	cache map[cacheKey]*Entry
	// slugs holds the slug of each cached integration by id.
	slugs map[int64]string
	// onChange is told of every change (the executor drops its clients,
	// breakers and tokens for the integration).
	onChange []func(orgID int64, slug string)
	// imports bounds the imports running at once.
	imports importGate
}

// New returns a Registry over store.
func New(store *models.Store) *Registry {
	return &Registry{store: store, cache: map[cacheKey]*Entry{}, slugs: map[int64]string{}}
}

// OnChange registers fn to be called after an integration changes.
func (r *Registry) OnChange(fn func(orgID int64, slug string)) {
	r.mu.Lock()
	r.onChange = append(r.onChange, fn)
	r.mu.Unlock()
}

// ValidationError turns the definition package's problems into the API's
// validation error, one field per problem.
func ValidationError(err error) error {
	var ve *definition.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	fields := make([]apperr.FieldError, 0, len(ve.Problems))
	for _, p := range ve.Problems {
		fields = append(fields, apperr.FieldError{Field: p.Field, Message: p.Message})
	}
	e := apperr.Validation(fields...)
	e.Message = "the integration definition is not valid"
	return e
}

// Check validates and compiles a document without saving it.
func Check(doc *definition.Document) (*definition.Compiled, error) {
	c, err := definition.Compile(doc)
	if err != nil {
		return nil, ValidationError(err)
	}
	return c, nil
}

// Hints carry the row ids of a document's endpoints and parameter maps, in
// document order (0 for new ones), so that editing one of them through the
// API keeps its id even when its name changes.
type Hints struct {
	Endpoints []int64
	Maps      []int64
}

// HintsOf returns the ids of the stored rows, in document order.
func HintsOf(rows *models.IntegrationRows) Hints {
	var h Hints
	for _, e := range rows.Endpoints {
		h.Endpoints = append(h.Endpoints, e.ID)
	}
	for _, m := range rows.Maps {
		h.Maps = append(h.Maps, m.ID)
	}
	return h
}

// Create saves a new integration from doc. catalog names the catalog entry
// it came from ("" for none).
func (r *Registry) Create(ctx context.Context, orgID int64, doc *definition.Document, catalog string) (*models.Integration, error) {
	return r.save(ctx, orgID, 0, doc, catalog, Hints{})
}

// Replace replaces integration id with doc (endpoints, maps and sync
// included). hints may be empty.
func (r *Registry) Replace(ctx context.Context, orgID, id int64, doc *definition.Document, hints Hints) (*models.Integration, error) {
	return r.save(ctx, orgID, id, doc, "", hints)
}

// save writes doc in one transaction and drops the cached entries of the
// integration's old and new slug.
func (r *Registry) save(ctx context.Context, orgID, id int64, doc *definition.Document, catalog string, hints Hints) (*models.Integration, error) {
	var w written
	err := r.store.Tenant(orgID).InTx(ctx, func(t *models.Tenant) error {
		var err error
		w, err = write(ctx, t, id, doc, catalog, hints)
		return err
	})
	if err != nil {
		return nil, err
	}
	r.invalidateWritten(orgID, w)
	return w.integration, nil
}

// written is what write saved: the integration and the slug it had before.
type written struct {
	integration *models.Integration
	oldSlug     string
}

func (r *Registry) invalidateWritten(orgID int64, w written) {
	r.Invalidate(orgID, w.integration.Slug)
	if w.oldSlug != "" && w.oldSlug != w.integration.Slug {
		r.Invalidate(orgID, w.oldSlug)
	}
}

// write validates, compiles and stores doc as integration id (0 for a new
// one, which gets catalog; an existing one keeps its own) within t, which
// must be a transaction. hints give the row ids to keep.
func write(ctx context.Context, t *models.Tenant, id int64, doc *definition.Document, catalog string, hints Hints) (written, error) {
	var w written
	if id != 0 {
		cur, err := t.LockIntegration(ctx, id)
		if err != nil {
			return w, err
		}
		catalog, w.oldSlug = cur.Catalog, cur.Slug
	}
	doc.Normalize()
	if _, err := Check(doc); err != nil {
		return w, err
	}
	if id != 0 {
		if err := checkCredentialHosts(ctx, t, id, doc); err != nil {
			return w, err
		}
	}
	rows, err := toRows(doc, catalog)
	if err != nil {
		return w, err
	}
	rows.Integration.ID = id
	for i := range rows.Endpoints {
		if i < len(hints.Endpoints) {
			rows.Endpoints[i].ID = hints.Endpoints[i]
		}
	}
	for i := range rows.Maps {
		if i < len(hints.Maps) {
			rows.Maps[i].ID = hints.Maps[i]
		}
	}
	if err := t.CheckSlugFree(ctx, doc.Slug, id); err != nil {
		return w, err
	}
	if err := t.SaveIntegrationRows(ctx, rows); err != nil {
		return w, err
	}
	in := rows.Integration
	w.integration = &in
	return w, nil
}

// Load returns the document of integration id and the rows it came from.
func (r *Registry) Load(ctx context.Context, orgID, id int64) (*definition.Document, *models.IntegrationRows, error) {
	rows, err := r.store.Tenant(orgID).IntegrationRows(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	doc, err := fromRows(rows)
	if err != nil {
		return nil, nil, err
	}
	return doc, rows, nil
}

// Resolve finds an integration by numeric id or by slug: the {id} of the
// admin API's integration routes is either.
func (r *Registry) Resolve(ctx context.Context, orgID int64, idOrSlug string) (*models.Integration, error) {
	t := r.store.Tenant(orgID)
	if id, err := strconv.ParseInt(idOrSlug, 10, 64); err == nil {
		return t.Integration(ctx, id)
	}
	return t.IntegrationBySlug(ctx, idOrSlug)
}

// Delete removes an integration and everything that belongs to it.
func (r *Registry) Delete(ctx context.Context, orgID, id int64) (*models.Integration, error) {
	t := r.store.Tenant(orgID)
	in, err := t.Integration(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := t.DeleteIntegration(ctx, id); err != nil {
		return nil, err
	}
	r.Invalidate(orgID, in.Slug)
	return in, nil
}

// Lookup returns the compiled integration for (org, slug). After the first
// call it is served from memory: no database read on the hot path.
func (r *Registry) Lookup(ctx context.Context, orgID int64, slug string) (*Entry, error) {
	key := cacheKey{orgID, slug}
	r.mu.RLock()
	e, ok := r.cache[key]
	r.mu.RUnlock()
	if ok {
		return e, nil
	}
	in, err := r.store.Tenant(orgID).IntegrationBySlug(ctx, slug)
	if apperr.IsNotFound(err) {
		return nil, apperr.New(apperr.CodeUnknownProvider, "no integration %q in this organization", slug)
	}
	if err != nil {
		return nil, err
	}
	doc, _, err := r.Load(ctx, orgID, in.ID)
	if err != nil {
		return nil, err
	}
	c, err := definition.Compile(doc)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.CodeInternal, "the stored definition of %q does not compile", slug)
	}
	e = &Entry{IntegrationID: in.ID, OrgID: orgID, Slug: in.Slug, Version: in.Version, Enabled: in.Enabled, Compiled: c}
	r.mu.Lock()
	r.cache[key] = e
	r.slugs[e.IntegrationID] = e.Slug
	r.mu.Unlock()
	return e, nil
}

// LookupID is Lookup by the integration's id; a cached integration costs
// no database read.
func (r *Registry) LookupID(ctx context.Context, orgID, id int64) (*Entry, error) {
	r.mu.RLock()
	slug, ok := r.slugs[id]
	r.mu.RUnlock()
	if ok {
		if e, err := r.Lookup(ctx, orgID, slug); err == nil && e.IntegrationID == id {
			return e, nil
		}
	}
	in, err := r.store.Tenant(orgID).Integration(ctx, id)
	if err != nil {
		return nil, err
	}
	return r.Lookup(ctx, orgID, in.Slug)
}

// Invalidate drops the cached entry of (org, slug) and tells listeners.
func (r *Registry) Invalidate(orgID int64, slug string) {
	r.mu.Lock()
	if e, ok := r.cache[cacheKey{orgID, slug}]; ok {
		delete(r.slugs, e.IntegrationID)
	}
	delete(r.cache, cacheKey{orgID, slug})
	listeners := r.onChange
	r.mu.Unlock()
	for _, fn := range listeners {
		fn(orgID, slug)
	}
}

// Refresh drops cached entries whose stored version moved on (a change made
// by another process sharing the database).
func (r *Registry) Refresh(ctx context.Context) error {
	r.mu.RLock()
	if len(r.cache) == 0 {
		r.mu.RUnlock()
		return nil
	}
	type seen struct {
		id      int64
		version int64
	}
	cached := make(map[cacheKey]seen, len(r.cache))
	for k, e := range r.cache {
		cached[k] = seen{e.IntegrationID, e.Version}
	}
	r.mu.RUnlock()
	versions, err := r.store.IntegrationVersions(ctx)
	if err != nil {
		return err
	}
	for k, s := range cached {
		if v, ok := versions[s.id]; !ok || v != s.version {
			r.Invalidate(k.org, k.slug)
		}
	}
	return nil
}
