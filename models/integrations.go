package models

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"switchboard/apperr"
)

// Integration is one external system an organization connects
// (external_integrations). Columns hold what lists and filters need;
// Settings holds the rest of the definition document as JSON.
type Integration struct {
	bun.BaseModel `bun:"table:external_integrations,alias:i"`

	ID                int64  `bun:"id,pk,autoincrement"`
	OrganizationID    int64  `bun:"organization_id,notnull"`
	Slug              string `bun:"slug,notnull"`
	Name              string `bun:"name,notnull"`
	Description       string `bun:"description,notnull"`
	Catalog           string `bun:"catalog,notnull"`
	BaseURLProduction string `bun:"base_url_production,notnull"`
	BaseURLSandbox    string `bun:"base_url_sandbox,notnull"`
	// DefaultEnvironment is the environment of calls, deliveries and
	// reference lists that name none (production or sandbox).
	DefaultEnvironment string    `bun:"default_environment,notnull"`
	AuthType           string    `bun:"auth_type,notnull"`
	RequestFormat      string    `bun:"request_format,notnull"`
	TimeoutMS          int64     `bun:"timeout_ms,notnull"`
	TestFunction       string    `bun:"test_function,notnull"`
	Enabled            bool      `bun:"enabled,notnull"`
	Settings           string    `bun:"settings,notnull"`
	Version            int64     `bun:"version,notnull"`
	CreatedAt          time.Time `bun:"created_at,notnull"`
	UpdatedAt          time.Time `bun:"updated_at,notnull"`
}

// Endpoint is one function of an integration's registry.
type Endpoint struct {
	bun.BaseModel `bun:"table:integration_endpoints,alias:e"`

	ID             int64     `bun:"id,pk,autoincrement"`
	OrganizationID int64     `bun:"organization_id,notnull"`
	IntegrationID  int64     `bun:"integration_id,notnull"`
	Position       int       `bun:"position,notnull"`
	Function       string    `bun:"function,notnull"`
	Method         string    `bun:"method,notnull"`
	Path           string    `bun:"path,notnull"`
	Description    string    `bun:"description,notnull"`
	Writes         bool      `bun:"writes,notnull"`
	RetrySafe      bool      `bun:"retry_safe,notnull"`
	Enabled        bool      `bun:"enabled,notnull"`
	Settings       string    `bun:"settings,notnull"`
	CreatedAt      time.Time `bun:"created_at,notnull"`
	UpdatedAt      time.Time `bun:"updated_at,notnull"`
}

// ParameterMap maps an internal field name to an external one, with a
// transform chain, for one endpoint (EndpointID set) or the whole
// integration.
type ParameterMap struct {
	bun.BaseModel `bun:"table:integration_parameter_maps,alias:pm"`

	ID             int64     `bun:"id,pk,autoincrement"`
	OrganizationID int64     `bun:"organization_id,notnull"`
	IntegrationID  int64     `bun:"integration_id,notnull"`
	EndpointID     *int64    `bun:"endpoint_id"`
	Position       int       `bun:"position,notnull"`
	Internal       string    `bun:"internal_name,notnull"`
	External       string    `bun:"external_name,notnull"`
	Transform      string    `bun:"transform,notnull"`
	Direction      string    `bun:"direction,notnull"`
	CreatedAt      time.Time `bun:"created_at,notnull"`
	UpdatedAt      time.Time `bun:"updated_at,notnull"`

	// EndpointFunction names the endpoint when saving; the store resolves it
	// to EndpointID once the endpoints have their ids.
	EndpointFunction string `bun:"-"`
}

// SyncMapping names the functions that sync one entity type.
type SyncMapping struct {
	bun.BaseModel `bun:"table:integration_sync_mappings,alias:sm"`

	ID                int64     `bun:"id,pk,autoincrement"`
	OrganizationID    int64     `bun:"organization_id,notnull"`
	IntegrationID     int64     `bun:"integration_id,notnull"`
	Entity            string    `bun:"entity,notnull"`
	Create            string    `bun:"create_function,notnull"`
	Update            string    `bun:"update_function,notnull"`
	Delete            string    `bun:"delete_function,notnull"`
	Get               string    `bun:"get_function,notnull"`
	ListChanged       string    `bun:"list_changed_function,notnull"`
	BookmarkParam     string    `bun:"bookmark_param,notnull"`
	BookmarkPath      string    `bun:"bookmark_path,notnull"`
	IDPath            string    `bun:"id_path,notnull"`
	IdempotencyHeader string    `bun:"idempotency_header,notnull"`
	Slots             string    `bun:"slots_function,notnull"`
	CreatedAt         time.Time `bun:"created_at,notnull"`
	UpdatedAt         time.Time `bun:"updated_at,notnull"`
}

// IntegrationRows is an integration with everything that belongs to it, as
// stored.
type IntegrationRows struct {
	Integration Integration
	Endpoints   []Endpoint
	Maps        []ParameterMap
	Sync        []SyncMapping
}

// Integrations lists the organization's integrations by name.
func (t *Tenant) Integrations(ctx context.Context) ([]Integration, error) {
	var is []Integration
	err := t.selectQ(&is).OrderExpr("i.name ASC").Scan(ctx)
	return is, wrap("list integrations", err)
}

// Integration returns one integration by id.
func (t *Tenant) Integration(ctx context.Context, id int64) (*Integration, error) {
	i := new(Integration)
	err := t.selectQ(i).Where("i.id = ?", id).Scan(ctx)
	return i, wrap("fetch integration", notFound(err, "integration"))
}

// LockIntegration returns integration id and, inside a transaction on
// PostgreSQL, locks its row until the transaction ends, so that two edits
// of one document run one after the other instead of the later one undoing
// the earlier. A SQLite transaction holds the database's write lock from
// its start, which serializes them already.
func (t *Tenant) LockIntegration(ctx context.Context, id int64) (*Integration, error) {
	i := new(Integration)
	q := t.selectQ(i).Where("i.id = ?", id)
	if t.db.Dialect().Name() == dialect.PG {
		q = q.For("UPDATE")
	}
	err := q.Scan(ctx)
	return i, wrap("lock integration", notFound(err, "integration"))
}

// IntegrationBySlug returns one integration by slug.
func (t *Tenant) IntegrationBySlug(ctx context.Context, slug string) (*Integration, error) {
	i := new(Integration)
	err := t.selectQ(i).Where("i.slug = ?", slug).Scan(ctx)
	return i, wrap("fetch integration", notFound(err, "integration"))
}

// IntegrationRows loads an integration with its endpoints, maps and sync
// mappings, in order.
func (t *Tenant) IntegrationRows(ctx context.Context, id int64) (*IntegrationRows, error) {
	i, err := t.Integration(ctx, id)
	if err != nil {
		return nil, err
	}
	rows := &IntegrationRows{Integration: *i}
	if err := t.selectQ(&rows.Endpoints).Where("e.integration_id = ?", id).OrderExpr("e.position ASC, e.id ASC").Scan(ctx); err != nil {
		return nil, wrap("list endpoints", err)
	}
	if err := t.selectQ(&rows.Maps).Where("pm.integration_id = ?", id).OrderExpr("pm.position ASC, pm.id ASC").Scan(ctx); err != nil {
		return nil, wrap("list parameter maps", err)
	}
	if err := t.selectQ(&rows.Sync).Where("sm.integration_id = ?", id).OrderExpr("sm.entity ASC").Scan(ctx); err != nil {
		return nil, wrap("list sync mappings", err)
	}
	return rows, nil
}

// SaveIntegrationRows writes an integration and replaces its endpoints,
// maps and sync mappings in one transaction. A new integration (ID 0) is
// inserted; an existing one is updated and its version bumped. Endpoint ids
// are kept for functions that still exist, so links to them survive.
func (t *Tenant) SaveIntegrationRows(ctx context.Context, rows *IntegrationRows) error {
	return t.InTx(ctx, func(tx *Tenant) error { return tx.saveRows(ctx, rows) })
}

func (t *Tenant) saveRows(ctx context.Context, rows *IntegrationRows) error {
	now := t.now()
	in := &rows.Integration
	in.OrganizationID, in.UpdatedAt = t.orgID, now
	if in.ID == 0 {
		in.CreatedAt, in.Version = now, 1
		if _, err := t.db.NewInsert().Model(in).Exec(ctx); err != nil {
			return wrap("create integration", conflictOr(err, "an integration with slug %q already exists", in.Slug))
		}
	} else {
		cur, err := t.Integration(ctx, in.ID)
		if err != nil {
			return err
		}
		in.CreatedAt, in.Version = cur.CreatedAt, cur.Version+1
		res, err := t.updateQ(in).WherePK().ExcludeColumn("organization_id", "created_at").Exec(ctx)
		if err := mustAffect(res, conflictOr(err, "an integration with slug %q already exists", in.Slug), "integration"); err != nil {
			return wrap("update integration", err)
		}
	}
	if err := t.replaceEndpoints(ctx, in.ID, rows.Endpoints, now); err != nil {
		return err
	}
	if err := t.replaceMaps(ctx, in.ID, rows); err != nil {
		return err
	}
	if _, err := t.deleteQ((*SyncMapping)(nil)).Where("sm.integration_id = ?", in.ID).Exec(ctx); err != nil {
		return wrap("replace sync mappings", err)
	}
	for i := range rows.Sync {
		s := &rows.Sync[i]
		s.ID, s.OrganizationID, s.IntegrationID, s.CreatedAt, s.UpdatedAt = 0, t.orgID, in.ID, now, now
	}
	if len(rows.Sync) > 0 {
		if _, err := t.db.NewInsert().Model(&rows.Sync).Exec(ctx); err != nil {
			return wrap("insert sync mappings", err)
		}
	}
	return nil
}

// replaceEndpoints makes the stored endpoints equal to eps, keeping the id
// of every function that stays. Maps that name an endpoint by function are
// resolved by the caller after this returns (eps get their ids).
func (t *Tenant) replaceEndpoints(ctx context.Context, integrationID int64, eps []Endpoint, now time.Time) error {
	var existing []Endpoint
	if err := t.selectQ(&existing).Column("e.id", "e.function", "e.position", "e.settings", "e.created_at").
		Where("e.integration_id = ?", integrationID).Scan(ctx); err != nil {
		return wrap("list endpoints", err)
	}
	byFn := make(map[string]Endpoint, len(existing))
	byID := make(map[int64]Endpoint, len(existing))
	for _, e := range existing {
		byFn[e.Function] = e
		byID[e.ID] = e
	}
	keep := make(map[int64]bool, len(eps))
	var inserts, updates []*Endpoint
	for i := range eps {
		e := &eps[i]
		e.OrganizationID, e.IntegrationID, e.Position, e.UpdatedAt = t.orgID, integrationID, i, now
		old, ok := byID[e.ID] // an id hint keeps a renamed endpoint's id
		if !ok || keep[old.ID] {
			old, ok = byFn[e.Function]
		}
		if ok && !keep[old.ID] {
			e.ID, e.CreatedAt = old.ID, old.CreatedAt
			keep[old.ID] = true
			if old.Settings != e.Settings || old.Position != e.Position || old.Function != e.Function {
				updates = append(updates, e) // unchanged rows cost nothing
			}
			continue
		}
		e.ID, e.CreatedAt = 0, now
		inserts = append(inserts, e)
	}
	var gone []int64
	for _, old := range existing {
		if !keep[old.ID] {
			gone = append(gone, old.ID)
		}
	}
	if len(gone) > 0 {
		if _, err := t.deleteQ((*Endpoint)(nil)).Where("e.id IN (?)", bun.In(gone)).Exec(ctx); err != nil {
			return wrap("delete endpoints", err)
		}
	}
	for _, e := range updates {
		if _, err := t.updateQ(e).WherePK().ExcludeColumn("organization_id", "created_at").Exec(ctx); err != nil {
			return wrap("update endpoint", conflictOr(err, "duplicate function %q", e.Function))
		}
	}
	for _, e := range inserts {
		if _, err := t.db.NewInsert().Model(e).Exec(ctx); err != nil {
			return wrap("insert endpoint", conflictOr(err, "duplicate function %q", e.Function))
		}
	}
	return nil
}

// DeleteIntegration removes an integration with everything that belongs to
// it (endpoints, maps, credentials, sync settings cascade).
func (t *Tenant) DeleteIntegration(ctx context.Context, id int64) error {
	res, err := t.deleteQ((*Integration)(nil)).Where("i.id = ?", id).Exec(ctx)
	return wrap("delete integration", mustAffect(res, err, "integration"))
}

// SetIntegrationEnabled turns an integration on or off and bumps its version.
func (t *Tenant) SetIntegrationEnabled(ctx context.Context, id int64, enabled bool) error {
	res, err := t.updateQ((*Integration)(nil)).Set("enabled = ?", enabled).Set("version = version + 1").
		Set("updated_at = ?", t.now()).Where("i.id = ?", id).Exec(ctx)
	return wrap("toggle integration", mustAffect(res, err, "integration"))
}

// EndpointByID returns one endpoint of the organization.
func (t *Tenant) EndpointByID(ctx context.Context, id int64) (*Endpoint, error) {
	e := new(Endpoint)
	err := t.selectQ(e).Where("e.id = ?", id).Scan(ctx)
	return e, wrap("fetch endpoint", notFound(err, "endpoint"))
}

// ParameterMapByID returns one parameter map of the organization.
func (t *Tenant) ParameterMapByID(ctx context.Context, id int64) (*ParameterMap, error) {
	m := new(ParameterMap)
	err := t.selectQ(m).Where("pm.id = ?", id).Scan(ctx)
	return m, wrap("fetch parameter map", notFound(err, "parameter map"))
}

// EndpointFilter narrows the endpoint registry list.
type EndpointFilter struct {
	Search string
	Method string
	// Writes is "", "true" or "false".
	Writes string
	Offset int
	Limit  int
}

// EndpointPage lists an integration's endpoints matching f, and how many
// match in all.
func (t *Tenant) EndpointPage(ctx context.Context, integrationID int64, f EndpointFilter) ([]Endpoint, int, error) {
	var es []Endpoint
	q := t.selectQ(&es).Where("e.integration_id = ?", integrationID)
	if f.Search != "" {
		like := "%" + escapeLike(f.Search) + "%"
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("LOWER(e.function) LIKE ?", like).WhereOr("LOWER(e.path) LIKE ?", like).WhereOr("LOWER(e.description) LIKE ?", like)
		})
	}
	if f.Method != "" {
		q = q.Where("e.method = ?", f.Method)
	}
	switch f.Writes {
	case "true":
		q = q.Where("e.writes = ?", true)
	case "false":
		q = q.Where("e.writes = ?", false)
	}
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	n, err := q.OrderExpr("e.position ASC, e.id ASC").Limit(int64(limit)).Offset(int64(max(f.Offset, 0))).ScanAndCount(ctx)
	return es, int(n), wrap("list endpoints", err)
}

// CheckSlugFree returns a conflict error when slug is taken by another
// integration than exceptID.
func (t *Tenant) CheckSlugFree(ctx context.Context, slug string, exceptID int64) error {
	n, err := t.selectQ((*Integration)(nil)).Where("i.slug = ?", slug).Where("i.id <> ?", exceptID).Count(ctx)
	if err != nil {
		return wrap("check slug", err)
	}
	if n > 0 {
		return apperr.New(apperr.CodeConflict, "an integration with slug %q already exists", slug)
	}
	return nil
}

// IntegrationVersions returns the version of every integration by id, for
// the configuration cache of processes sharing one database.
func (s *Store) IntegrationVersions(ctx context.Context) (map[int64]int64, error) {
	var rows []struct {
		ID      int64 `bun:"id"`
		Version int64 `bun:"version"`
	}
	if err := s.db.NewSelect().Model((*Integration)(nil)).Column("i.id", "i.version").Scan(ctx, &rows); err != nil {
		return nil, wrap("read integration versions", err)
	}
	out := make(map[int64]int64, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Version
	}
	return out, nil
}

// replaceMaps makes the stored parameter maps equal to rows.Maps. A map
// keeps its row id when the caller passed it (m.ID) or when an identical
// map (same names, endpoint and direction) was stored before, so API
// clients can hold on to ids.
func (t *Tenant) replaceMaps(ctx context.Context, integrationID int64, rows *IntegrationRows) error {
	now := t.now()
	var existing []ParameterMap
	if err := t.selectQ(&existing).Where("pm.integration_id = ?", integrationID).OrderExpr("pm.position ASC, pm.id ASC").Scan(ctx); err != nil {
		return wrap("list parameter maps", err)
	}
	for i := range rows.Maps {
		m := &rows.Maps[i]
		m.OrganizationID, m.IntegrationID, m.Position, m.UpdatedAt = t.orgID, integrationID, i, now
	}
	gone, err := matchMaps(rows, existing)
	if err != nil {
		return err
	}
	if len(gone) > 0 {
		if _, err := t.deleteQ((*ParameterMap)(nil)).Where("pm.id IN (?)", bun.In(gone)).Exec(ctx); err != nil {
			return wrap("delete parameter maps", err)
		}
	}
	for i := range rows.Maps {
		m := &rows.Maps[i]
		if m.ID != 0 {
			if _, err := t.updateQ(m).WherePK().ExcludeColumn("organization_id", "created_at").Exec(ctx); err != nil {
				return wrap("update parameter map", err)
			}
			continue
		}
		m.CreatedAt = now
		if _, err := t.db.NewInsert().Model(m).Exec(ctx); err != nil {
			return wrap("insert parameter map", err)
		}
	}
	return nil
}

// matchMaps resolves each map's endpoint and gives it the id of the stored
// map it continues (0 for a new one); it returns the ids of the stored
// maps that none continues.
func matchMaps(rows *IntegrationRows, existing []ParameterMap) ([]int64, error) {
	fnID := make(map[string]int64, len(rows.Endpoints))
	for _, e := range rows.Endpoints {
		fnID[e.Function] = e.ID
	}
	byID := make(map[int64]*ParameterMap, len(existing))
	for i := range existing {
		byID[existing[i].ID] = &existing[i]
	}
	used := map[int64]bool{}
	for i := range rows.Maps {
		m := &rows.Maps[i]
		m.EndpointID = nil
		if m.EndpointFunction != "" {
			id, ok := fnID[m.EndpointFunction]
			if !ok {
				return nil, apperr.Validation(apperr.FieldError{Field: fmt.Sprintf("parameter_maps[%d].endpoint", i), Message: "unknown function " + m.EndpointFunction})
			}
			m.EndpointID = &id
		}
		old, ok := byID[m.ID]
		if !ok || used[old.ID] {
			old = nil
			for j := range existing {
				if !used[existing[j].ID] && naturalKey(&existing[j]) == naturalKey(m) {
					old = &existing[j]
					break
				}
			}
		}
		if old == nil {
			m.ID = 0
			continue
		}
		used[old.ID] = true
		m.ID, m.CreatedAt = old.ID, old.CreatedAt
	}
	var gone []int64
	for _, e := range existing {
		if !used[e.ID] {
			gone = append(gone, e.ID)
		}
	}
	return gone, nil
}

// naturalKey identifies a parameter map by what it maps: names, direction
// and endpoint.
func naturalKey(m *ParameterMap) string {
	ep := int64(0)
	if m.EndpointID != nil {
		ep = *m.EndpointID
	}
	return m.Internal + "\x00" + m.External + "\x00" + m.Direction + "\x00" + strconv.FormatInt(ep, 10)
}

// EndpointCounts returns how many endpoints each integration has.
func (t *Tenant) EndpointCounts(ctx context.Context) (map[int64]int, error) {
	var rows []struct {
		IntegrationID int64 `bun:"integration_id"`
		N             int   `bun:"n"`
	}
	err := t.selectQ((*Endpoint)(nil)).ColumnExpr("e.integration_id, COUNT(*) AS n").GroupExpr("e.integration_id").Scan(ctx, &rows)
	if err != nil {
		return nil, wrap("count endpoints", err)
	}
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.IntegrationID] = r.N
	}
	return out, nil
}
