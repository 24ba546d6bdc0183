package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/integrations/executor"
	"switchboard/integrations/registry"
	"switchboard/logging"
	"switchboard/models"
	"switchboard/web"
	"switchboard/web/session"
)

// ExecuteHandler is the agents' JSON API: execute any registered function,
// list integrations and their functions.
type ExecuteHandler struct {
	store    *models.Store
	registry *registry.Registry
	exec     *executor.Executor
	calls    *callRecorder
}

// NewExecuteHandler returns an ExecuteHandler; calls records every
// execution (call log and metrics).
func NewExecuteHandler(store *models.Store, reg *registry.Registry, exec *executor.Executor, calls *callRecorder) *ExecuteHandler {
	return &ExecuteHandler{store: store, registry: reg, exec: exec, calls: calls}
}

type executeRequest struct {
	Function    string         `json:"function"`
	Params      map[string]any `json:"params"`
	Environment string         `json:"environment"`
}

type executeMeta struct {
	UpstreamStatus int    `json:"upstream_status"`
	Attempts       int    `json:"attempts"`
	DurationMS     int64  `json:"duration_ms"`
	RequestID      string `json:"request_id"`
	Pages          int    `json:"pages,omitempty"`
	Cached         bool   `json:"cached"`
}

type executeResponse struct {
	OK       bool        `json:"ok"`
	Function string      `json:"function"`
	Data     any         `json:"data"`
	Meta     executeMeta `json:"meta"`
}

// Execute handles POST /api/integrations/:provider.
func (h *ExecuteHandler) Execute(c echo.Context) error {
	p := session.From(c)
	var req executeRequest
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
	start := time.Now()
	res, err := h.exec.Execute(ctx, executor.Request{OrgID: p.Org.ID, Provider: provider, Function: req.Function,
		Params: req.Params, Environment: env, IdempotencyKey: c.Request().Header.Get("Idempotency-Key"), Zone: p.Org.Zone().Location(),
		Allow: session.FunctionAllowed(p)})
	defer res.Release() // once the answer is written
	fn := req.Function  // a tool name is answered with its function's own
	if res != nil && res.Function != "" {
		fn = res.Function
	}
	h.record(c, p, provider, fn, env, res, err, time.Since(start))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, executeResponse{OK: true, Function: fn, Data: res.Data, Meta: executeMeta{
		UpstreamStatus: res.UpstreamStatus, Attempts: res.Attempts, DurationMS: res.Duration.Milliseconds(),
		RequestID: logging.RequestID(ctx), Pages: res.Pages, Cached: res.Cached}})
}

func environmentOf(env string) (string, error) {
	if env == "" {
		return definition.EnvProduction, nil
	}
	if definition.IsEnvironment(env) {
		return env, nil
	}
	return "", &apperr.Error{Code: apperr.CodeInvalidRequest, Message: "environment must be production or sandbox",
		Fields: []apperr.FieldError{{Field: "environment", Message: "must be one of production, sandbox"}}}
}

// record queues the call record; it never blocks the answer.
func (h *ExecuteHandler) record(c echo.Context, p *session.Principal, provider, function, env string, res *executor.Result, err error, took time.Duration) {
	h.calls.record(c.Request().Context(), p.Org.ID, p.Actor(), provider, function, env, res, err, took)
}
