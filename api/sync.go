package api

import (
	"time"

	"switchboard/integrations/syncsettings"
	"switchboard/models"
	"switchboard/web"
)

// SyncSettingsRequest is the body of POST and PUT; fields left out keep
// their value (on POST, the default).
type SyncSettingsRequest struct {
	// Integration is the slug of the integration; required on POST, and
	// on PUT it may only repeat the configuration's own.
	Integration string `json:"integration"`
	// IntegrationID names the integration by its numeric id (the original
	// system's integration_id), instead of integration.
	IntegrationID *int64 `json:"integration_id"`
	// Enabled is also read as sync_enabled.
	Enabled *bool `json:"enabled" alias:"sync_enabled"`
	// Direction is also read as sync_direction; to_external (the
	// original's) means dual_write, or external_only when
	// always_keep_local_copy is false.
	Direction *string `json:"direction" alias:"sync_direction" validate:"omitempty,oneof=local_only dual_write external_only from_external bidirectional to_external"`
	// AlwaysKeepLocalCopy only qualifies direction to_external.
	AlwaysKeepLocalCopy *bool `json:"always_keep_local_copy"`
	// Environment is production or sandbox; empty follows the
	// integration's default_environment.
	Environment  *string `json:"environment" validate:"omitempty,oneof=production sandbox"`
	SyncOnCreate *bool   `json:"sync_on_create"`
	SyncOnUpdate *bool   `json:"sync_on_update"`
	SyncOnDelete *bool   `json:"sync_on_delete"`
	// Entities are appointment and/or patient.
	Entities []string `json:"entities"`
	// ConflictResolution latest_timestamp (the original's) means newest_wins.
	ConflictResolution *string `json:"conflict_resolution" validate:"omitempty,oneof=local_wins external_wins newest_wins manual latest_timestamp"`
	// PollInterval is in seconds, 10 to 86400.
	PollInterval *int `json:"poll_interval_seconds"`
}

// Input is the request as the sync settings service takes it.
func (r *SyncSettingsRequest) Input() syncsettings.Input {
	in := syncsettings.Input{Integration: r.Integration, Enabled: r.Enabled, Direction: r.Direction, Environment: r.Environment,
		SyncOnCreate: r.SyncOnCreate, SyncOnUpdate: r.SyncOnUpdate, SyncOnDelete: r.SyncOnDelete, Entities: r.Entities,
		ConflictResolution: r.ConflictResolution, PollInterval: r.PollInterval}
	if r.IntegrationID != nil {
		in.IntegrationID = *r.IntegrationID
	}
	if r.Direction != nil && *r.Direction == "to_external" {
		d := models.DirectionDualWrite
		if r.AlwaysKeepLocalCopy != nil && !*r.AlwaysKeepLocalCopy {
			d = models.DirectionExternalOnly
		}
		in.Direction = &d
	}
	if r.ConflictResolution != nil && *r.ConflictResolution == "latest_timestamp" {
		s := models.ConflictNewestWins
		in.ConflictResolution = &s
	}
	return in
}

// SyncSettings is a sync configuration as the API shows it; the
// webhook secret is only there right after it was generated.
type SyncSettings struct {
	ID          int64  `json:"id"`
	Integration string `json:"integration"`
	Enabled     bool   `json:"enabled"`
	Direction   string `json:"direction"`
	// Environment is where deliveries go: the configuration's own, or the
	// integration's default_environment when it names none
	// (EnvironmentDefault true).
	Environment        string     `json:"environment"`
	EnvironmentDefault bool       `json:"environment_default"`
	SyncOnCreate       bool       `json:"sync_on_create"`
	SyncOnUpdate       bool       `json:"sync_on_update"`
	SyncOnDelete       bool       `json:"sync_on_delete"`
	Entities           []string   `json:"entities"`
	ConflictResolution string     `json:"conflict_resolution"`
	PollInterval       int        `json:"poll_interval_seconds"`
	WebhookURL         string     `json:"webhook_url"`
	WebhookSecretSet   bool       `json:"webhook_secret_set"`
	WebhookSecret      string     `json:"webhook_secret,omitempty"`
	LastSyncAt         *time.Time `json:"last_sync_at"`
	LastSyncStatus     string     `json:"last_sync_status"`
	LastError          string     `json:"last_error"`
	CreatedAt          time.Time  `json:"created_at"`
	UpdatedAt          time.Time  `json:"updated_at"`
}

// SyncJobAnswer is a job of the sync error log with its attempts.
type SyncJobAnswer struct {
	Attempts []models.SyncAttempt `json:"attempts"`
	Job      *models.SyncJob      `json:"job"`
}

// ResolveRequest is the body of POST /api/admin/sync-errors/:id/resolve:
// keep "local" pushes the local record, "external" applies the change
// held back.
type ResolveRequest struct {
	Keep string `json:"keep"`
}

// BulkRetryRequest is the body of POST /api/admin/sync-errors/retry; no
// ids retries the jobs the query's filters select.
type BulkRetryRequest struct {
	IDs []int64 `json:"ids"`
}

// BulkRetryAnswer counts the jobs retried.
type BulkRetryAnswer struct {
	Retried int `json:"retried"`
}

// SyncErrorsQuery is the query of the sync error log, page and API.
type SyncErrorsQuery struct {
	// Integration is an integration's slug.
	Integration string `query:"integration"`
	// Status is a comma-separated list of pending, retrying, failed,
	// conflict, synced and dismissed.
	Status string `query:"status"`
	// Entity is patient or appointment.
	Entity string `query:"entity"`
	// From and To are practice-local days (To included) or date-times.
	From string `query:"from"`
	To   string `query:"to"`
	web.PageQuery
}

// SyncSettingsOf is a configuration as the API shows it, with the address
// its webhooks are sent to.
func SyncSettingsOf(st *syncsettings.Setting, webhookURL string) SyncSettings {
	cfg := st.Config
	entities := cfg.EntityList()
	if entities == nil {
		entities = []string{}
	}
	env := cfg.Environment
	if cfg.EnvironmentDefault {
		env = st.Integration.DefaultEnvironment
	}
	return SyncSettings{ID: cfg.ID, Integration: st.Integration.Slug, Enabled: cfg.Enabled, Direction: cfg.Direction,
		Environment: env, EnvironmentDefault: cfg.EnvironmentDefault,
		SyncOnCreate: cfg.SyncOnCreate, SyncOnUpdate: cfg.SyncOnUpdate, SyncOnDelete: cfg.SyncOnDelete, Entities: entities,
		ConflictResolution: cfg.ConflictResolution, PollInterval: cfg.PollIntervalSeconds,
		WebhookURL: webhookURL, WebhookSecretSet: cfg.WebhookSecretSealed != "", WebhookSecret: st.Secret,
		LastSyncAt: cfg.LastSyncAt, LastSyncStatus: cfg.LastSyncStatus, LastError: cfg.LastError, CreatedAt: cfg.CreatedAt, UpdatedAt: cfg.UpdatedAt}
}
