// Package models holds the bun models and the stores. Tenant data is read
// and written only through Tenant, which scopes every query by the
// organization in one place.
package models

import (
	"time"

	"github.com/uptrace/bun"
)

// Roles of a membership.
const (
	RoleOwner = "owner"
	RoleAdmin = "admin"
	RoleStaff = "staff"
)

// Roles of an API key.
const (
	KeyRoleAgent = "agent"
	KeyRoleAdmin = "admin"
)

// Organization is a practice: the tenant.
type Organization struct {
	bun.BaseModel `bun:"table:organizations,alias:o"`

	ID   int64  `bun:"id,pk,autoincrement"`
	Slug string `bun:"slug,notnull"`
	Name string `bun:"name,notnull"`
	// TimeZone is the practice's IANA zone (UTC until chosen); Zone loads it.
	TimeZone string `bun:"time_zone,notnull"`
	// TimeZoneSetAt is when a person chose TimeZone; zero while it is the
	// default, which pages point out.
	TimeZoneSetAt time.Time `bun:"time_zone_set_at,nullzero"`
	// OpeningHours is the weekly clock.Hours as JSON; Hours reads it.
	OpeningHours  string `bun:"opening_hours,notnull"`
	AllowOverlaps bool   `bun:"allow_overlaps,notnull"`
	// AlertWebhookURL receives the organization's alerts ("" sends none).
	AlertWebhookURL string `bun:"alert_webhook_url,notnull"`
	// AlertSecretSealed is the alerts' signing secret, sealed like a
	// credential ("" until one is generated).
	AlertSecretSealed string    `bun:"alert_secret_sealed,notnull"`
	CreatedAt         time.Time `bun:"created_at,notnull"`
	UpdatedAt         time.Time `bun:"updated_at,notnull"`
}

// User is a person who signs in to the admin app.
type User struct {
	bun.BaseModel `bun:"table:users,alias:u"`

	ID           int64     `bun:"id,pk,autoincrement"`
	Email        string    `bun:"email,notnull"`
	Name         string    `bun:"name,notnull"`
	PasswordHash string    `bun:"password_hash,notnull"`
	CreatedAt    time.Time `bun:"created_at,notnull"`
	UpdatedAt    time.Time `bun:"updated_at,notnull"`
}

// Membership gives a user a role in an organization.
type Membership struct {
	bun.BaseModel `bun:"table:memberships,alias:m"`

	ID             int64     `bun:"id,pk,autoincrement"`
	OrganizationID int64     `bun:"organization_id,notnull"`
	UserID         int64     `bun:"user_id,notnull"`
	Role           string    `bun:"role,notnull"`
	CreatedAt      time.Time `bun:"created_at,notnull"`
	UpdatedAt      time.Time `bun:"updated_at,notnull"`

	User         *User         `bun:"rel:belongs-to,join:user_id=id"`
	Organization *Organization `bun:"rel:belongs-to,join:organization_id=id"`
}

// Session is a signed-in browser. The cookie carries the token; only its
// hash is stored, and deleting the row ends the session everywhere.
type Session struct {
	bun.BaseModel `bun:"table:sessions,alias:s"`

	ID             int64     `bun:"id,pk,autoincrement"`
	TokenHash      string    `bun:"token_hash,notnull"`
	UserID         int64     `bun:"user_id,notnull"`
	OrganizationID int64     `bun:"organization_id,notnull"`
	IP             string    `bun:"ip,notnull"`
	UserAgent      string    `bun:"user_agent,notnull"`
	ExpiresAt      time.Time `bun:"expires_at,notnull"`
	CreatedAt      time.Time `bun:"created_at,notnull"`
	UpdatedAt      time.Time `bun:"updated_at,notnull"`
}

// APIKey authenticates an agent or an admin script. Only the key's hash is
// stored; Prefix is shown so people can tell keys apart.
type APIKey struct {
	bun.BaseModel `bun:"table:api_keys,alias:k"`

	ID             int64  `bun:"id,pk,autoincrement"`
	OrganizationID int64  `bun:"organization_id,notnull"`
	Name           string `bun:"name,notnull"`
	Role           string `bun:"role,notnull"`
	Prefix         string `bun:"prefix,notnull"`
	KeyHash        string `bun:"key_hash,notnull"`
	// Scopes and Integrations are comma-separated; empty means all.
	Scopes       string     `bun:"scopes,notnull"`
	Integrations string     `bun:"integrations,notnull"`
	CreatedBy    *int64     `bun:"created_by"`
	LastUsedAt   *time.Time `bun:"last_used_at"`
	RevokedAt    *time.Time `bun:"revoked_at"`
	CreatedAt    time.Time  `bun:"created_at,notnull"`
	UpdatedAt    time.Time  `bun:"updated_at,notnull"`
}

// Revoked reports whether the key was revoked.
func (k *APIKey) Revoked() bool { return k.RevokedAt != nil }

// AuditEntry records who did what, when and from where.
type AuditEntry struct {
	bun.BaseModel `bun:"table:audit_log,alias:a"`

	ID             int64  `bun:"id,pk,autoincrement"`
	OrganizationID *int64 `bun:"organization_id"`
	ActorUserID    *int64 `bun:"actor_user_id"`
	Actor          string `bun:"actor,notnull"`
	Action         string `bun:"action,notnull"`
	TargetType     string `bun:"target_type,notnull"`
	TargetID       string `bun:"target_id,notnull"`
	Details        string `bun:"details,notnull"`
	IP             string `bun:"ip,notnull"`
	UserAgent      string `bun:"user_agent,notnull"`
	// Door is how a record change came in: page, api, mcp or booking
	// ("" for everything else).
	Door      string    `bun:"door,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
	UpdatedAt time.Time `bun:"updated_at,notnull"`
}
