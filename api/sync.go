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
	Integration string `json:"integration" doc:"The slug of the integration; required on POST (or integration_id), on PUT it may only repeat the configuration's own." required:"create,anyof:slug"`
	// IntegrationID names the integration by its numeric id (the original
	// system's integration_id), instead of integration.
	IntegrationID *int64 `json:"integration_id" doc:"The integration by its id (Switchboard's), instead of integration." required:"create,anyof:id"`
	// Enabled is also read as sync_enabled.
	Enabled *bool `json:"enabled" alias:"sync_enabled" doc:"Whether the configuration syncs (also read as sync_enabled)."`
	// Direction is also read as sync_direction; to_external (the
	// original's) means dual_write, or external_only when
	// always_keep_local_copy is false.
	Direction *string `json:"direction" alias:"sync_direction" validate:"omitempty,oneof=local_only dual_write external_only from_external bidirectional to_external" doc:"local_only, dual_write, external_only, from_external or bidirectional (also read as sync_direction; to_external means dual_write, or external_only when always_keep_local_copy is false)."`
	// AlwaysKeepLocalCopy only qualifies direction to_external.
	AlwaysKeepLocalCopy *bool `json:"always_keep_local_copy" doc:"With direction to_external only: true means dual_write, false external_only."`
	// Environment is production or sandbox; empty follows the
	// integration's default_environment.
	Environment  *string `json:"environment" validate:"omitempty,oneof=production sandbox" doc:"production or sandbox; empty follows the integration's default_environment."`
	SyncOnCreate *bool   `json:"sync_on_create" doc:"Deliver new records."`
	SyncOnUpdate *bool   `json:"sync_on_update" doc:"Deliver changes."`
	SyncOnDelete *bool   `json:"sync_on_delete" doc:"Deliver deletions."`
	// Entities are appointment and/or patient.
	Entities []string `json:"entities" doc:"appointment and/or patient."`
	// ConflictResolution latest_timestamp (the original's) means newest_wins.
	ConflictResolution *string `json:"conflict_resolution" validate:"omitempty,oneof=local_wins external_wins newest_wins manual latest_timestamp" doc:"local_wins, external_wins, newest_wins (also latest_timestamp) or manual."`
	// PollInterval is in seconds, 10 to 86400.
	PollInterval *int `json:"poll_interval_seconds" doc:"Seconds between polls for changes, 10 to 86400."`
	// Defaults are parameter values deliveries send when the record has
	// none (a calendarId, a summary template such as "{{patient_name}} ·
	// {{appointment_type}}", Cloud9's providerGUID), merged into the
	// configuration's; an empty value removes one.
	Defaults map[string]string `json:"defaults" doc:"Parameter values deliveries send when the record has none (a calendarId; a summary template such as {{patient_name}})."`
}

// Input is the request as the sync settings service takes it.
func (r *SyncSettingsRequest) Input() syncsettings.Input {
	in := syncsettings.Input{Integration: r.Integration, Enabled: r.Enabled, Direction: r.Direction, Environment: r.Environment,
		SyncOnCreate: r.SyncOnCreate, SyncOnUpdate: r.SyncOnUpdate, SyncOnDelete: r.SyncOnDelete, Entities: r.Entities,
		ConflictResolution: r.ConflictResolution, PollInterval: r.PollInterval, Defaults: r.Defaults}
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
	ID          int64  `json:"id" doc:"The configuration's id (Switchboard's)."`
	Integration string `json:"integration" doc:"The slug of the integration synced with."`
	Enabled     bool   `json:"enabled" doc:"Whether the configuration syncs."`
	Direction   string `json:"direction" doc:"Which way records flow." enum:"local_only,dual_write,external_only,from_external,bidirectional"`
	// Environment is where deliveries go: the configuration's own, or the
	// integration's default_environment when it names none
	// (EnvironmentDefault true).
	Environment        string            `json:"environment" doc:"Where deliveries go: the configuration's own, or the integration's default_environment (environment_default true)." enum:"production,sandbox"`
	EnvironmentDefault bool              `json:"environment_default" doc:"True when environment follows the integration's default_environment."`
	SyncOnCreate       bool              `json:"sync_on_create" doc:"Deliver new records."`
	SyncOnUpdate       bool              `json:"sync_on_update" doc:"Deliver changes."`
	SyncOnDelete       bool              `json:"sync_on_delete" doc:"Deliver deletions."`
	Entities           []string          `json:"entities" doc:"The entities synced."`
	ConflictResolution string            `json:"conflict_resolution" doc:"Which side wins when both changed." enum:"local_wins,external_wins,newest_wins,manual"`
	PollInterval       int               `json:"poll_interval_seconds" doc:"Seconds between polls for changes (10 to 86400)."`
	Defaults           map[string]string `json:"defaults" doc:"Parameter values deliveries send when the record has none."`
	WebhookURL         string            `json:"webhook_url" doc:"Where the integration sends its change webhooks."`
	WebhookSecretSet   bool              `json:"webhook_secret_set" doc:"Whether a webhook secret is set."`
	WebhookSecret      string            `json:"webhook_secret,omitempty" doc:"The webhook signing secret; only in the answer that generated it."`
	LastSyncAt         *time.Time        `json:"last_sync_at" doc:"When the last sync ran (RFC 3339 instant); null when never."`
	LastSyncStatus     string            `json:"last_sync_status" doc:"How the last sync went."`
	LastError          string            `json:"last_error" doc:"The last sync's error; empty when it went well."`
	CreatedAt          time.Time         `json:"created_at" doc:"When the configuration was created (RFC 3339 instant)."`
	UpdatedAt          time.Time         `json:"updated_at" doc:"When the configuration last changed (RFC 3339 instant)."`
}

// SyncJobAnswer is a job of the sync error log with its attempts.
type SyncJobAnswer struct {
	Attempts []models.SyncAttempt `json:"attempts" doc:"The job's delivery attempts, oldest first."`
	Job      *models.SyncJob      `json:"job" doc:"The sync job."`
}

// ResolveRequest is the body of POST /api/admin/sync-errors/:id/resolve:
// keep "local" pushes the local record, "external" applies the change
// held back.
type ResolveRequest struct {
	Keep string `json:"keep" doc:"local pushes the local record; external applies the change held back." enum:"local,external" required:"true"`
}

// BulkRetryRequest is the body of POST /api/admin/sync-errors/retry; no
// ids retries the jobs the query's filters select.
type BulkRetryRequest struct {
	IDs []int64 `json:"ids" doc:"Ids of the sync jobs to retry (Switchboard's); left out, the jobs the query's filters select."`
}

// BulkRetryAnswer counts the jobs retried.
type BulkRetryAnswer struct {
	Retried int `json:"retried" doc:"How many jobs were queued again."`
}

// SyncErrorsQuery is the query of the sync error log, page and API.
type SyncErrorsQuery struct {
	// Integration is an integration's slug.
	Integration string `query:"integration" doc:"Only jobs of this integration (slug)."`
	// Status is a comma-separated list of pending, retrying, failed,
	// conflict, synced and dismissed.
	Status string `query:"status" doc:"Comma-separated statuses: pending, retrying, failed, conflict, synced, dismissed (left out: the open ones)."`
	// Entity is patient or appointment.
	Entity string `query:"entity" doc:"Only jobs of this entity." enum:"patient,appointment"`
	// From and To are practice-local days (To included) or date-times.
	From string `query:"from" doc:"First day (YYYY-MM-DD) or date-time, in practice time."`
	To   string `query:"to" doc:"Last day (YYYY-MM-DD, included) or date-time, in practice time."`
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
		ConflictResolution: cfg.ConflictResolution, PollInterval: cfg.PollIntervalSeconds, Defaults: cfg.DefaultsMap(),
		WebhookURL: webhookURL, WebhookSecretSet: cfg.WebhookSecretSealed != "", WebhookSecret: st.Secret,
		LastSyncAt: cfg.LastSyncAt, LastSyncStatus: cfg.LastSyncStatus, LastError: cfg.LastError, CreatedAt: cfg.CreatedAt, UpdatedAt: cfg.UpdatedAt}
}
