package health

import (
	"context"
	"time"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/integrations/vault"
	"switchboard/models"
)

// Status is an integration's health: enabled, auth, its credentials and
// their last test and use, calls and error rate over 24 hours, the
// circuit state per environment, and its sync configuration.
type Status struct {
	Slug                 string                      `json:"slug" doc:"The integration's slug."`
	Name                 string                      `json:"name" doc:"The integration's name."`
	Enabled              bool                        `json:"enabled" doc:"Whether calls and syncs may use it."`
	AuthType             string                      `json:"auth_type" doc:"How requests are authenticated (the definition's auth.type)."`
	Credentials          map[string]CredentialStatus `json:"credentials" doc:"The saved credential per environment (never its fields)."`
	CredentialConfigured bool                        `json:"credential_configured" doc:"Whether any environment has a credential (saved for this practice or the platform's)."`
	// CredentialSource says whose production credential a call uses:
	// practice (saved for this practice), platform (configured once for
	// every practice by the operator) or none. Never a value.
	CredentialSource string        `json:"credential_source" doc:"Whose production credential a call uses: practice (saved for this practice), platform (configured by the operator) or none. Never a value." enum:"practice,platform,none"`
	LastCallAt       *time.Time    `json:"last_call_at" doc:"When it was last called (RFC 3339 instant); null when never."`
	Calls24h         int           `json:"calls_24h" doc:"Calls in the last 24 hours."`
	Errors24h        int           `json:"errors_24h" doc:"Failed calls in the last 24 hours."`
	ErrorRate24h     float64       `json:"error_rate_24h" doc:"Share of the last 24 hours' calls that failed, 0 to 1."`
	Circuit          CircuitStates `json:"circuit" doc:"The circuit breaker's state per environment."`
	Sync             *SyncStatus   `json:"sync" doc:"Its sync configuration and last sync; null when none."`
}

// CredentialStatus is one environment's saved credential: when it was
// tested and used (never its fields).
type CredentialStatus struct {
	Configured bool `json:"configured" doc:"Whether a credential is saved."`
	// Source is practice or platform (see Status.CredentialSource).
	Source          string     `json:"source" doc:"practice (saved for this practice) or platform (configured by the operator for every practice)."`
	LastTestedAt    *time.Time `json:"last_tested_at" doc:"When it was last tested (RFC 3339 instant); null when never."`
	LastTestOK      *bool      `json:"last_test_ok" doc:"Whether the last Test Connection succeeded; null when never tested."`
	LastTestMessage string     `json:"last_test_message" doc:"What the last Test Connection said."`
	LastUsedAt      *time.Time `json:"last_used_at" doc:"When a call last used it (RFC 3339 instant); null when never."`
	// NeedsReauth says the provider refused the OAuth refresh token: the
	// practice must press Connect again.
	NeedsReauth bool `json:"needs_reauth" doc:"The provider refused the OAuth refresh token: the practice must press Connect again."`
}

// CircuitStates is the circuit breaker's state per environment.
type CircuitStates struct {
	Production string `json:"production" doc:"The circuit breaker's state for production." enum:"closed,open,half-open"`
	Sandbox    string `json:"sandbox" doc:"The circuit breaker's state for sandbox." enum:"closed,open,half-open"`
}

// SyncStatus is an integration's sync configuration and last sync.
type SyncStatus struct {
	Enabled            bool       `json:"enabled" doc:"Whether the configuration syncs."`
	Direction          string     `json:"direction" doc:"Which way records flow." enum:"local_only,dual_write,external_only,from_external,bidirectional"`
	Environment        string     `json:"environment" doc:"Where deliveries go."`
	Entities           []string   `json:"entities" doc:"The entities synced (patient, appointment)."`
	ConflictResolution string     `json:"conflict_resolution" doc:"Which side wins when both changed." enum:"local_wins,external_wins,newest_wins,manual"`
	LastSyncAt         *time.Time `json:"last_sync_at" doc:"When the last sync ran (RFC 3339 instant); null when never."`
	LastSyncStatus     string     `json:"last_sync_status" doc:"How the last sync went."`
	LastError          string     `json:"last_error" doc:"The last sync's error; empty when it went well."`
}

// Status is the health of the integration of slug; an unknown slug is
// unknown_provider.
func (s *Service) Status(ctx context.Context, orgID int64, slug string) (*Status, error) {
	t := s.store.Tenant(orgID)
	in, err := t.IntegrationBySlug(ctx, slug)
	if apperr.IsNotFound(err) {
		return nil, apperr.New(apperr.CodeUnknownProvider, "no integration %q in this organization", slug)
	}
	if err != nil {
		return nil, err
	}
	stats, err := t.CallStatsSince(ctx, in.Slug, time.Now().UTC().Add(-24*time.Hour))
	if err != nil {
		return nil, err
	}
	rate := 0.0
	if stats.Calls > 0 {
		rate = float64(stats.Errors) / float64(stats.Calls)
	}
	creds, err := s.credentialStatus(ctx, t, in)
	if err != nil {
		return nil, err
	}
	source := vault.SourceNone
	if c, ok := creds[definition.EnvProduction]; ok {
		source = c.Source
	}
	syncOut, err := syncStatus(ctx, t, in.ID)
	if err != nil {
		return nil, err
	}
	return &Status{Slug: in.Slug, Name: in.Name, Enabled: in.Enabled, AuthType: in.AuthType,
		Credentials: creds, CredentialConfigured: len(creds) > 0, CredentialSource: source, LastCallAt: stats.Last,
		Calls24h: stats.Calls, Errors24h: stats.Errors, ErrorRate24h: rate,
		Circuit: CircuitStates{Production: s.exec.BreakerState(orgID, in.Slug, definition.EnvProduction),
			Sandbox: s.exec.BreakerState(orgID, in.Slug, definition.EnvSandbox)},
		Sync: syncOut}, nil
}

// credentialStatus is, per environment with a credential, whose it is and,
// for a saved one, when it was tested and used.
func (s *Service) credentialStatus(ctx context.Context, t *models.Tenant, in *models.Integration) (map[string]CredentialStatus, error) {
	creds := map[string]CredentialStatus{}
	for _, env := range definition.Environments {
		cr, err := t.CredentialFor(ctx, in.ID, env)
		if apperr.IsNotFound(err) {
			if s.creds != nil && s.creds.Platform().Has(in.Catalog, env) {
				creds[env] = CredentialStatus{Configured: true, Source: vault.SourcePlatform}
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		creds[env] = CredentialStatus{Configured: true, Source: vault.SourcePractice, LastTestedAt: cr.LastTestedAt, LastTestOK: cr.LastTestOK,
			LastTestMessage: cr.LastTestMessage, LastUsedAt: cr.LastUsedAt, NeedsReauth: cr.NeedsReauth}
	}
	return creds, nil
}

// syncStatus is the integration's sync configuration and last sync, nil
// when it has none.
func syncStatus(ctx context.Context, t *models.Tenant, integrationID int64) (*SyncStatus, error) {
	cfg, err := t.SyncConfigFor(ctx, integrationID)
	if apperr.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	entities := cfg.EntityList()
	if entities == nil {
		entities = []string{}
	}
	return &SyncStatus{Enabled: cfg.Enabled, Direction: cfg.Direction, Environment: cfg.Environment,
		Entities: entities, ConflictResolution: cfg.ConflictResolution,
		LastSyncAt: cfg.LastSyncAt, LastSyncStatus: cfg.LastSyncStatus, LastError: cfg.LastError}, nil
}
