package handlers

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"switchboard/api"
	"switchboard/apperr"
	"switchboard/integrations/health"
	"switchboard/integrations/tools"
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
	switch format := q.Format; format {
	case "":
		return c.JSON(http.StatusOK, web.ListOf(fns))
	case tools.FormatOpenAI, tools.FormatOpenAIResponses, tools.FormatAnthropic:
		out := make([]map[string]any, 0, len(fns))
		for _, f := range fns {
			out = append(out, tools.Format(f, format, q.Strict))
		}
		return c.JSON(http.StatusOK, map[string]any{"tools": out})
	}
	return &apperr.Error{Code: apperr.CodeInvalidRequest, Message: "format must be openai, openai-responses or anthropic (or left out)",
		Fields: []apperr.FieldError{{Field: "format", Message: "must be one of openai, openai-responses, anthropic"}}}
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
