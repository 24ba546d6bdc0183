package models

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Sync directions: how writes of an integration's records travel (see
// package syncer).
const (
	DirectionLocalOnly     = "local_only"
	DirectionDualWrite     = "dual_write"
	DirectionExternalOnly  = "external_only"
	DirectionFromExternal  = "from_external"
	DirectionBidirectional = "bidirectional"
)

// Conflict resolution strategies.
const (
	ConflictLocalWins    = "local_wins"
	ConflictExternalWins = "external_wins"
	ConflictNewestWins   = "newest_wins"
	ConflictManual       = "manual"
)

// SyncConfig is an organization's sync settings for one integration.
type SyncConfig struct {
	bun.BaseModel `bun:"table:integration_sync_configs,alias:sc"`

	ID             int64  `bun:"id,pk,autoincrement"`
	OrganizationID int64  `bun:"organization_id,notnull"`
	IntegrationID  int64  `bun:"integration_id,notnull"`
	Enabled        bool   `bun:"enabled,notnull"`
	Direction      string `bun:"direction,notnull"`
	Environment    string `bun:"environment,notnull"`
	// EnvironmentDefault makes deliveries follow the integration's
	// default_environment; Environment is then not used.
	EnvironmentDefault bool `bun:"environment_default,notnull"`
	// Defaults (a JSON object) are parameter values deliveries send when
	// the record has none; see DefaultsMap.
	Defaults            string     `bun:"defaults,notnull"`
	SyncOnCreate        bool       `bun:"sync_on_create,notnull"`
	SyncOnUpdate        bool       `bun:"sync_on_update,notnull"`
	SyncOnDelete        bool       `bun:"sync_on_delete,notnull"`
	Entities            string     `bun:"entities,notnull"`
	ConflictResolution  string     `bun:"conflict_resolution,notnull"`
	WebhookSecretSealed string     `bun:"webhook_secret_sealed,notnull"`
	PollIntervalSeconds int        `bun:"poll_interval_seconds,notnull"`
	Bookmarks           string     `bun:"bookmarks,notnull"`
	LastSyncAt          *time.Time `bun:"last_sync_at"`
	LastSyncStatus      string     `bun:"last_sync_status,notnull"`
	LastError           string     `bun:"last_error,notnull"`
	CreatedAt           time.Time  `bun:"created_at,notnull"`
	UpdatedAt           time.Time  `bun:"updated_at,notnull"`
}

// DeliveryEnvironment is the environment the configuration's deliveries
// and polls name: its own, or "" (the integration's default_environment,
// which the executor resolves) when it follows the default.
func (c *SyncConfig) DeliveryEnvironment() string {
	if c.EnvironmentDefault {
		return ""
	}
	return c.Environment
}

// DefaultsMap decodes Defaults (empty when unset or unreadable).
func (c *SyncConfig) DefaultsMap() map[string]string {
	out := map[string]string{}
	if c.Defaults != "" {
		_ = json.Unmarshal([]byte(c.Defaults), &out)
	}
	return out
}

// Syncs reports whether the configuration lists entity.
func (c *SyncConfig) Syncs(entity string) bool { return slices.Contains(c.EntityList(), entity) }

// EntityList returns the entity types the config syncs.
func (c *SyncConfig) EntityList() []string {
	var out []string
	for _, e := range strings.Split(c.Entities, ",") {
		if e = strings.TrimSpace(e); e != "" {
			out = append(out, e)
		}
	}
	return out
}

// Pushes reports whether a local write of entity with operation (create,
// update, delete) is sent to the integration.
func (c *SyncConfig) Pushes(entity, operation string) bool {
	if !c.Enabled || !slices.Contains(c.EntityList(), entity) {
		return false
	}
	switch c.Direction {
	case DirectionDualWrite, DirectionExternalOnly, DirectionBidirectional:
	default:
		return false
	}
	switch operation {
	case "create":
		return c.SyncOnCreate
	case "update":
		return c.SyncOnUpdate
	case "delete":
		return c.SyncOnDelete
	}
	return false
}

// SyncConfigs lists the organization's sync configurations.
func (t *Tenant) SyncConfigs(ctx context.Context) ([]SyncConfig, error) {
	var cs []SyncConfig
	err := t.selectQ(&cs).OrderExpr("sc.id ASC").Scan(ctx)
	return cs, wrap("list sync configs", err)
}

// SyncConfig returns one sync configuration.
func (t *Tenant) SyncConfig(ctx context.Context, id int64) (*SyncConfig, error) {
	c := new(SyncConfig)
	err := t.selectQ(c).Where("sc.id = ?", id).Scan(ctx)
	return c, wrap("fetch sync config", notFound(err, "sync configuration"))
}

// SyncConfigFor returns the sync configuration of an integration. Under a
// read memo (WithReadMemo) an enabled one comes from the configurations
// the request has read (EnabledSyncConfigs).
func (t *Tenant) SyncConfigFor(ctx context.Context, integrationID int64) (*SyncConfig, error) {
	if memoOf(ctx) != nil {
		cs, err := t.EnabledSyncConfigs(ctx)
		if err != nil {
			return nil, err
		}
		for i := range cs {
			if cs[i].IntegrationID == integrationID {
				return &cs[i], nil
			}
		}
	}
	c := new(SyncConfig)
	err := t.selectQ(c).Where("sc.integration_id = ?", integrationID).Scan(ctx)
	return c, wrap("fetch sync config", notFound(err, "sync configuration"))
}

// SaveSyncConfig inserts (ID 0) or updates a sync configuration.
func (t *Tenant) SaveSyncConfig(ctx context.Context, c *SyncConfig) error {
	defer t.forgetReads(ctx)
	now := t.now()
	c.OrganizationID, c.UpdatedAt = t.orgID, now
	if c.Bookmarks == "" {
		c.Bookmarks = "{}"
	}
	if c.ID == 0 {
		c.CreatedAt = now
		_, err := t.db.NewInsert().Model(c).Exec(ctx)
		return wrap("create sync config", conflictOr(err, "that integration already has a sync configuration"))
	}
	res, err := t.updateQ(c).WherePK().ExcludeColumn("organization_id", "created_at", "bookmarks", "last_sync_at", "last_sync_status", "last_error").Exec(ctx)
	return wrap("update sync config", mustAffect(res, err, "sync configuration"))
}

// DeleteSyncConfig removes a sync configuration.
func (t *Tenant) DeleteSyncConfig(ctx context.Context, id int64) error {
	defer t.forgetReads(ctx)
	res, err := t.deleteQ((*SyncConfig)(nil)).Where("sc.id = ?", id).Exec(ctx)
	return wrap("delete sync config", mustAffect(res, err, "sync configuration"))
}

// EnabledSyncConfigs lists the enabled configurations (the write path asks
// them which jobs to enqueue).
// Under a read memo (WithReadMemo) they are read once per request.
func (t *Tenant) EnabledSyncConfigs(ctx context.Context) ([]SyncConfig, error) {
	memo := memoOf(ctx)
	if memo != nil {
		if cs, ok := memo.configs(t.orgID); ok {
			return cs, nil
		}
		if cs, ok := t.reads.configs(t.orgID); ok {
			memo.setConfigs(t.orgID, cs)
			return cs, nil
		}
	}
	at := time.Now()
	var cs []SyncConfig
	err := t.selectQ(&cs).Where("sc.enabled = ?", true).OrderExpr("sc.id ASC").Scan(ctx)
	if err == nil && memo != nil {
		memo.setConfigs(t.orgID, cs)
		t.reads.setConfigs(t.orgID, cs, at)
	}
	return cs, wrap("list sync configs", err)
}
