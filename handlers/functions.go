package handlers

import (
	"net/http"
	"regexp"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/integrations/definition"
)

// functionOut describes one function for agents: its parameters as a JSON
// Schema using internal names where a parameter map gives one.
type functionOut struct {
	Name        string         `json:"name"`
	Method      string         `json:"method"`
	Path        string         `json:"path"`
	Description string         `json:"description,omitempty"`
	Writes      bool           `json:"writes"`
	Parameters  map[string]any `json:"parameters"`
}

var toolNameChars = regexp.MustCompile(`[^a-zA-Z0-9_-]+`)

// toolName makes a function name fit ^[a-zA-Z0-9_-]{1,64}$.
func toolName(fn string) string {
	s := toolNameChars.ReplaceAllString(fn, "_")
	if s == "" {
		s = "function"
	}
	if len(s) > 64 {
		s = s[:64]
	}
	return s
}

// schemaOf builds the JSON Schema of an endpoint's parameters. A request
// map from an internal name renames the property; the description says
// which upstream field it fills.
func schemaOf(ce *definition.CompiledEndpoint) map[string]any {
	internal := map[string]string{}
	for _, m := range ce.Request {
		internal[m.External] = m.Internal
	}
	props := map[string]any{}
	required := []string{}
	for _, p := range ce.Endpoint.Params {
		name := p.Name
		desc := p.Description
		if in, ok := internal[p.Name]; ok && in != "" {
			name = in
			if desc == "" {
				desc = "Sent as " + p.Name + "."
			}
		}
		prop := map[string]any{"type": jsonType(p.Type)}
		if desc != "" {
			prop["description"] = desc
		}
		if p.Default != nil {
			prop["default"] = p.Default
		}
		if len(p.Enum) > 0 {
			prop["enum"] = p.Enum
		}
		if p.Type == definition.TypeArray {
			prop["items"] = map[string]any{}
		}
		props[name] = prop
		if p.Required && p.Default == nil {
			required = append(required, name)
		}
	}
	return map[string]any{"type": "object", "properties": props, "required": required, "additionalProperties": false}
}

func jsonType(t string) string {
	switch t {
	case definition.TypeInteger, definition.TypeNumber, definition.TypeBoolean, definition.TypeArray, definition.TypeObject:
		return t
	}
	return "string"
}

// Functions handles GET /api/integrations/:provider/functions, with
// ?format=openai or ?format=anthropic for LLM tool definitions.
func (h *ExecuteHandler) Functions(c echo.Context) error {
	p := currentPrincipal(c)
	e, err := h.registry.Lookup(c.Request().Context(), p.Org.ID, c.Param("provider"))
	if err != nil {
		return err
	}
	var fns []functionOut
	for _, ce := range e.Compiled.Order {
		if !ce.Endpoint.IsEnabled() {
			continue
		}
		desc := ce.Endpoint.Description
		if desc == "" {
			desc = ce.Endpoint.Method + " " + ce.Endpoint.Path
		}
		fns = append(fns, functionOut{Name: ce.Endpoint.Function, Method: ce.Endpoint.Method, Path: ce.Endpoint.Path,
			Description: desc, Writes: ce.Endpoint.Writes, Parameters: schemaOf(ce)})
	}
	switch c.QueryParam("format") {
	case "":
		return c.JSON(http.StatusOK, listOf(fns))
	case "openai":
		tools := make([]map[string]any, 0, len(fns))
		for _, f := range fns {
			tools = append(tools, map[string]any{"type": "function", "function": map[string]any{
				"name": toolName(f.Name), "description": f.Description, "parameters": f.Parameters}})
		}
		return c.JSON(http.StatusOK, map[string]any{"tools": tools})
	case "anthropic":
		tools := make([]map[string]any, 0, len(fns))
		for _, f := range fns {
			tools = append(tools, map[string]any{"name": toolName(f.Name), "description": f.Description, "input_schema": f.Parameters})
		}
		return c.JSON(http.StatusOK, map[string]any{"tools": tools})
	}
	return &apperr.Error{Code: apperr.CodeInvalidRequest, Message: "format must be openai or anthropic (or left out)",
		Fields: []apperr.FieldError{{Field: "format", Message: "must be one of openai, anthropic"}}}
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
	creds := map[string]any{}
	for _, env := range definition.Environments {
		cr, err := t.CredentialFor(ctx, in.ID, env)
		if apperr.IsNotFound(err) {
			continue
		}
		if err != nil {
			return err
		}
		creds[env] = map[string]any{"configured": true, "last_tested_at": cr.LastTestedAt, "last_test_ok": cr.LastTestOK,
			"last_test_message": cr.LastTestMessage, "last_used_at": cr.LastUsedAt}
	}
	var syncOut any
	if cfg, err := t.SyncConfigFor(ctx, in.ID); err == nil {
		syncOut = map[string]any{"enabled": cfg.Enabled, "direction": cfg.Direction, "environment": cfg.Environment,
			"entities": nonNil(cfg.EntityList()), "conflict_resolution": cfg.ConflictResolution,
			"last_sync_at": cfg.LastSyncAt, "last_sync_status": cfg.LastSyncStatus, "last_error": cfg.LastError}
	} else if !apperr.IsNotFound(err) {
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
