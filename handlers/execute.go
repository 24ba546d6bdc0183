package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/api"
	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/integrations/executor"
	"switchboard/integrations/health"
	"switchboard/integrations/registry"
	"switchboard/logging"
	"switchboard/web"
	"switchboard/web/session"
)

// ExecuteHandler is the agents' JSON API: execute any registered function,
// list integrations and their functions.
type ExecuteHandler struct {
	registry *registry.Registry
	exec     *executor.Executor
	health   *health.Service
}

// NewExecuteHandler returns an ExecuteHandler; health answers the
// integrations' status. The executor reports every execution to the call
// log.
func NewExecuteHandler(reg *registry.Registry, exec *executor.Executor, hs *health.Service) *ExecuteHandler {
	return &ExecuteHandler{registry: reg, exec: exec, health: hs}
}

// Execute handles POST /api/integrations/:provider.
func (h *ExecuteHandler) Execute(c echo.Context) error {
	p := session.From(c)
	var req api.ExecuteRequest
	if err := web.DecodeJSON(c, &req); err != nil {
		return err
	}
	if req.Function == "" {
		return &apperr.Error{Code: apperr.CodeInvalidRequest, Message: "function is required",
			Fields: []apperr.FieldError{{Field: "function", Message: "is required"}}}
	}
	env, err := environmentOf(req.Environment)
	if err != nil {
		return err
	}
	provider := c.Param("provider")
	ctx := c.Request().Context()
	res, err := h.exec.Execute(ctx, executor.Request{OrgID: p.Org.ID, Provider: provider, Function: req.Function,
		Params: req.Params, Environment: env, IdempotencyKey: c.Request().Header.Get("Idempotency-Key"), Zone: p.Org.Zone().Location(),
		Allow: session.FunctionAllowed(p), Caller: p.Actor(), PassThrough: true})
	defer res.Release() // once the answer is written
	if err != nil {
		return err
	}
	fn := req.Function // a tool name is answered with its function's own
	if res.Function != "" {
		fn = res.Function
	}
	answer := api.ExecuteAnswer{OK: true, Function: fn, Data: res.Data, Meta: api.ExecuteMeta{
		UpstreamStatus: res.UpstreamStatus, Attempts: res.Attempts, DurationMS: res.Duration.Milliseconds(),
		RequestID: logging.RequestID(ctx), Pages: res.Pages, Cached: res.Cached}}
	if req.Original {
		ok := true
		answer.Success, answer.Provider, answer.ExecutedAt = &ok, provider, time.Now().UTC().Format(time.RFC3339)
	}
	return web.JSON(c, http.StatusOK, answer)
}

func environmentOf(env string) (string, error) {
	if env == "" || definition.IsEnvironment(env) { // "" is the integration's default_environment
		return env, nil
	}
	return "", &apperr.Error{Code: apperr.CodeInvalidRequest, Message: "environment must be production or sandbox",
		Fields: []apperr.FieldError{{Field: "environment", Message: "must be one of production, sandbox"}}}
}
