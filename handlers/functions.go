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
	p := currentPrincipal(c)
	e, err := h.registry.Lookup(c.Request().Context(), p.Org.ID, c.Param("provider"))
	if err != nil {
		return err
	}
	q := FunctionsQuery{Format: c.QueryParam("format"), Strict: c.QueryParam("strict") == "true"}
	fns := tools.Functions(e.Compiled)
	switch format := q.Format; format {
	case "":
		return c.JSON(http.StatusOK, listOf(fns))
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
	p := currentPrincipal(c)
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
	return c.JSON(http.StatusOK, listOf(out))
}

// Status handles GET /api/integrations/:provider: enabled, auth, the
// credential and its last test, sync settings, last call, calls and error
// rate over 24 hours, circuit state.
func (h *ExecuteHandler) Status(c echo.Context) error {
	p := currentPrincipal(c)
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
	return c.JSON(http.StatusOK, map[string]any{
		"slug": in.Slug, "name": in.Name, "enabled": in.Enabled, "auth_type": in.AuthType,
		"credentials":           creds,
		"credential_configured": len(creds) > 0,
		"last_call_at":          stats.Last,
		"calls_24h":             stats.Calls, "errors_24h": stats.Errors, "error_rate_24h": rate,
		"circuit": map[string]string{"production": h.exec.BreakerState(p.Org.ID, in.Slug, "production"),
			"sandbox": h.exec.BreakerState(p.Org.ID, in.Slug, "sandbox")},
		"sync": syncOut,
	})
}

// credentialStatus is, per environment with a saved credential, when it
// was tested and used (never its fields).
func credentialStatus(ctx context.Context, t *models.Tenant, integrationID int64) (map[string]any, error) {
	creds := map[string]any{}
	for _, env := range definition.Environments {
		cr, err := t.CredentialFor(ctx, integrationID, env)
		if apperr.IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		creds[env] = map[string]any{"configured": true, "last_tested_at": cr.LastTestedAt, "last_test_ok": cr.LastTestOK,
			"last_test_message": cr.LastTestMessage, "last_used_at": cr.LastUsedAt}
	}
	return creds, nil
}

// syncStatus is the integration's sync configuration and last sync, nil
// when it has none.
func syncStatus(ctx context.Context, t *models.Tenant, integrationID int64) (any, error) {
	cfg, err := t.SyncConfigFor(ctx, integrationID)
	if apperr.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return map[string]any{"enabled": cfg.Enabled, "direction": cfg.Direction, "environment": cfg.Environment,
		"entities": nonNil(cfg.EntityList()), "conflict_resolution": cfg.ConflictResolution,
		"last_sync_at": cfg.LastSyncAt, "last_sync_status": cfg.LastSyncStatus, "last_error": cfg.LastError}, nil
}
