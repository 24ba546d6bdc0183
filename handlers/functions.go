package handlers

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"switchboard/api"
	"switchboard/integrations/health"
	"switchboard/integrations/tools"
	"switchboard/models"
	"switchboard/web"
	"switchboard/web/session"
)

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
	var q api.FunctionsQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	fns := tools.Functions(e.Compiled)
	if p.IsKey() {
		// Only what the key's scopes allow it to call.
		fns = slices.DeleteFunc(fns, func(f tools.Function) bool {
			return !p.APIKey.HasScope(models.FunctionScope(f.Writes))
		})
	}
	return formatTools(c, fns, q.Format, q.Strict)
}

// List handles GET /api/integrations.
func (h *ExecuteHandler) List(c echo.Context) error {
	ins, err := h.health.Integrations(c.Request().Context(), session.OrgID(c))
	if err != nil {
		return err
	}
	allowed := session.AllowedIntegration(c)
	ins = slices.DeleteFunc(ins, func(in health.Integration) bool { return !allowed(in.Slug) })
	return c.JSON(http.StatusOK, web.ListOf(ins))
}

// Status handles GET /api/integrations/:provider: enabled, auth, the
// credential and its last test, sync settings, last call, calls and error
// rate over 24 hours, circuit state.
func (h *ExecuteHandler) Status(c echo.Context) error {
	st, err := h.health.Status(c.Request().Context(), session.OrgID(c), c.Param("provider"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}
