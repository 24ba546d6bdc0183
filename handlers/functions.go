package handlers

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/integrations/tools"
	"switchboard/models"
	"switchboard/web"
	"switchboard/web/session"
)

// FunctionsQuery is the query of GET /api/integrations/{provider}/functions.
type FunctionsQuery struct {
	Format string `query:"format"`
	Strict bool   `query:"strict"`
}

// Functions handles GET /api/integrations/:provider/functions: the enabled
// functions with their parameters' JSON Schema; ?format=openai (Chat
// Completions, with &strict=true for strict mode), openai-responses
// (the Responses API's flat tools) or anthropic gives tool definitions.
func (h *ExecuteHandler) Functions(c echo.Context) error {
	p := session.From(c)
	e, err := h.registry.Lookup(c.Request().Context(), p.Org.ID, c.Param("provider"))
	if err != nil {
		return err
	}
	q := FunctionsQuery{Format: c.QueryParam("format"), Strict: c.QueryParam("strict") == "true"}
	fns := tools.Functions(e.Compiled)
	switch format := q.Format; format {
	case "":
		return c.JSON(http.StatusOK, web.ListOf(fns))
	case "openai", "openai-responses", "anthropic":
		out := make([]map[string]any, 0, len(fns))
		for _, f := range fns {
			out = append(out, tools.Format(f, format, q.Strict))
		}
		return c.JSON(http.StatusOK, map[string]any{"tools": out})
	}
	return &apperr.Error{Code: apperr.CodeInvalidRequest, Message: "format must be openai, openai-responses or anthropic (or left out)",
		Fields: []apperr.FieldError{{Field: "format", Message: "must be one of openai, openai-responses, anthropic"}}}
}

// integrationOut is an integration as agents see it.
type integrationOut struct {
	Slug        string `json:"slug"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Enabled     bool   `json:"enabled"`
	AuthType    string `json:"auth_type"`
	Functions   int    `json:"functions"`
}

// List handles GET /api/integrations.
func (h *ExecuteHandler) List(c echo.Context) error {
	p := session.From(c)
	t := h.store.Tenant(p.Org.ID)
	ins, err := t.Integrations(c.Request().Context())
	if err != nil {
		return err
	}
	counts, err := t.EndpointCounts(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]integrationOut, 0, len(ins))
	for _, in := range ins {
		out = append(out, integrationOut{Slug: in.Slug, Name: in.Name, Description: in.Description, Enabled: in.Enabled,
			AuthType: in.AuthType, Functions: counts[in.ID]})
	}
	return c.JSON(http.StatusOK, web.ListOf(out))
}

// Status handles GET /api/integrations/:provider: enabled, auth, the
// credential and its last test, sync settings, last call, calls and error
// rate over 24 hours, circuit state.
func (h *ExecuteHandler) Status(c echo.Context) error {
	p := session.From(c)
	ctx := c.Request().Context()
	t := h.store.Tenant(p.Org.ID)
	in, err := t.IntegrationBySlug(ctx, c.Param("provider"))
	if apperr.IsNotFound(err) {
		return apperr.New(apperr.CodeUnknownProvider, "no integration %q in this organization", c.Param("provider"))
	}
	if err != nil {
		return err
	}
	stats, err := t.CallStatsSince(ctx, in.Slug, time.Now().UTC().Add(-24*time.Hour))
	if err != nil {
		return err
	}
	rate := 0.0
	if stats.Calls > 0 {
		rate = float64(stats.Errors) / float64(stats.Calls)
	}
	creds, err := credentialStatus(ctx, t, in.ID)
	if err != nil {
		return err
	}
	syncOut, err := syncStatus(ctx, t, in.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, IntegrationStatusAnswer{Slug: in.Slug, Name: in.Name, Enabled: in.Enabled, AuthType: in.AuthType,
		Credentials: creds, CredentialConfigured: len(creds) > 0, LastCallAt: stats.Last,
		Calls24h: stats.Calls, Errors24h: stats.Errors, ErrorRate24h: rate,
		Circuit: CircuitStates{Production: h.exec.BreakerState(p.Org.ID, in.Slug, "production"),
			Sandbox: h.exec.BreakerState(p.Org.ID, in.Slug, "sandbox")},
		Sync: syncOut})
}

// IntegrationStatusAnswer is the answer of GET /api/integrations/{provider}.
type IntegrationStatusAnswer struct {
	Slug                 string                      `json:"slug"`
	Name                 string                      `json:"name"`
	Enabled              bool                        `json:"enabled"`
	AuthType             string                      `json:"auth_type"`
	Credentials          map[string]CredentialStatus `json:"credentials"`
	CredentialConfigured bool                        `json:"credential_configured"`
	LastCallAt           *time.Time                  `json:"last_call_at"`
	Calls24h             int                         `json:"calls_24h"`
	Errors24h            int                         `json:"errors_24h"`
	ErrorRate24h         float64                     `json:"error_rate_24h"`
	Circuit              CircuitStates               `json:"circuit"`
	Sync                 *SyncStatus                 `json:"sync"`
}

// CredentialStatus is one environment's saved credential: when it was
// tested and used (never its fields).
type CredentialStatus struct {
	Configured      bool       `json:"configured"`
	LastTestedAt    *time.Time `json:"last_tested_at"`
	LastTestOK      *bool      `json:"last_test_ok"`
	LastTestMessage string     `json:"last_test_message"`
	LastUsedAt      *time.Time `json:"last_used_at"`
}

// CircuitStates is the circuit breaker's state per environment.
type CircuitStates struct {
	Production string `json:"production"`
	Sandbox    string `json:"sandbox"`
}

// SyncStatus is an integration's sync configuration and last sync.
type SyncStatus struct {
	Enabled            bool       `json:"enabled"`
	Direction          string     `json:"direction"`
	Environment        string     `json:"environment"`
	Entities           []string   `json:"entities"`
	ConflictResolution string     `json:"conflict_resolution"`
	LastSyncAt         *time.Time `json:"last_sync_at"`
	LastSyncStatus     string     `json:"last_sync_status"`
	LastError          string     `json:"last_error"`
}

// credentialStatus is, per environment with a saved credential, when it
// was tested and used.
func credentialStatus(ctx context.Context, t *models.Tenant, integrationID int64) (map[string]CredentialStatus, error) {
	creds := map[string]CredentialStatus{}
	for _, env := range definition.Environments {
		cr, err := t.CredentialFor(ctx, integrationID, env)
		if apperr.IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		creds[env] = CredentialStatus{Configured: true, LastTestedAt: cr.LastTestedAt, LastTestOK: cr.LastTestOK,
			LastTestMessage: cr.LastTestMessage, LastUsedAt: cr.LastUsedAt}
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
	return &SyncStatus{Enabled: cfg.Enabled, Direction: cfg.Direction, Environment: cfg.Environment,
		Entities: web.NonNil(cfg.EntityList()), ConflictResolution: cfg.ConflictResolution,
		LastSyncAt: cfg.LastSyncAt, LastSyncStatus: cfg.LastSyncStatus, LastError: cfg.LastError}, nil
}
