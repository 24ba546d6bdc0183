package handlers

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/apperr"
	"switchboard/integrations/definition"
	"switchboard/integrations/executor"
	"switchboard/integrations/registry"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

// TryHandler runs a function from its endpoint page ("try it").
type TryHandler struct {
	integrations *registry.Service
	exec         *executor.Executor
	log          *accounts.Audit
}

// NewTryHandler returns a TryHandler; every write it runs is audited in
// log.
func NewTryHandler(integrations *registry.Service, exec *executor.Executor, log *accounts.Audit) *TryHandler {
	return &TryHandler{integrations: integrations, exec: exec, log: log}
}

// console builds the "try it" form of an endpoint.
func console(id int64, doc *definition.Document, ep definition.Endpoint) *pages.TryConsole {
	t := &pages.TryConsole{EndpointID: id, Function: ep.Function, Environments: doc.Environments()}
	for _, p := range ep.Params {
		def := ""
		if p.Default != nil {
			def = fmt.Sprint(p.Default)
		}
		t.Params = append(t.Params, pages.TryParam{Name: p.Name, In: p.In, Type: p.Type, Required: p.Required, Description: p.Description, Default: def})
	}
	return t
}

// Try handles POST /endpoints/:id/try: executes with the form's values
// (empty ones left out) and answers the redacted exchange.
func (h *TryHandler) Try(c echo.Context) error {
	p := session.From(c)
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	d, i, err := h.integrations.Endpoint(c.Request().Context(), p.Org.ID, id)
	if err != nil {
		return err
	}
	ep := d.Doc.Endpoints[i]
	params := tryParams(c, ep)
	env, err := environmentOf(c.FormValue("environment"))
	if err != nil {
		return err
	}
	if env == "" {
		env = d.Integration.DefaultEnvironment
	}
	if ep.Writes && env == definition.EnvProduction && c.FormValue("confirm") != "yes" {
		return web.Render(c, http.StatusOK, pages.TryConfirm(pages.TryConfirmView{EndpointID: id, Function: ep.Function, Integration: d.Integration.Name}))
	}
	slug := d.Integration.Slug
	start := time.Now()
	res, xerr := h.exec.Execute(c.Request().Context(), executor.Request{OrgID: p.Org.ID, Provider: slug, Function: ep.Function, Params: params,
		Environment: env, Trace: true, Zone: p.Org.Zone().Location(), Caller: p.Actor()})
	defer res.Release()
	if ep.Writes {
		h.auditWrite(c, id, slug, ep.Function, env, xerr)
	}
	out, err := tryOutcome(res, xerr, time.Since(start))
	if err != nil {
		return err
	}
	return web.Render(c, http.StatusOK, pages.TryResult(out))
}

// auditWrite records a write run from the console: who ran which function
// in which environment, and how it went (never the parameters, which may
// hold a patient's details).
func (h *TryHandler) auditWrite(c echo.Context, endpointID int64, slug, function, env string, xerr error) {
	outcome := "ok"
	if xerr != nil {
		outcome = apperr.CodeInternal
		if e, ok := apperr.As(xerr); ok {
			outcome = e.Code
		}
	}
	record(c, h.log, accounts.ActionTryItWrite, accounts.TargetOf("endpoint", endpointID),
		map[string]any{"integration": slug, "function": function, "environment": env, "outcome": outcome})
}

// tryParams reads the console's form: one field per parameter, arrays and
// objects as JSON.
func tryParams(c echo.Context, ep definition.Endpoint) map[string]any {
	params := map[string]any{}
	for _, prm := range ep.Params {
		v := strings.TrimSpace(c.FormValue("p_" + prm.Name))
		if v == "" {
			continue
		}
		if prm.Type == definition.TypeArray || prm.Type == definition.TypeObject {
			var parsed any
			if json.Unmarshal([]byte(v), &parsed) == nil {
				params[prm.Name] = parsed
				continue
			}
		}
		params[prm.Name] = v
	}
	return params
}

// tryOutcome is what the console shows of an execution: the redacted
// exchange and data, or the refusal's code and message. An internal error
// is returned instead, for the error page.
func tryOutcome(res *executor.Result, xerr error, elapsed time.Duration) (pages.TryOutcome, error) {
	out := pages.TryOutcome{OK: xerr == nil, DurationMS: elapsed.Milliseconds()}
	if res != nil {
		out.Status, out.Attempts, out.DurationMS = res.UpstreamStatus, res.Attempts, res.Duration.Milliseconds()
		out.Request = pages.TraceView{Method: res.Request.Method, URL: res.Request.URL, Headers: res.Request.Headers, Body: res.Request.Body}
		out.Response = pages.TraceView{Headers: res.Response.Headers, Body: res.Response.Body}
		if xerr == nil {
			out.Data = res.DataTrace // redacted like the exchange
		}
	}
	if xerr != nil {
		e, ok := apperr.As(xerr)
		if !ok || e.Code == apperr.CodeInternal {
			return out, xerr
		}
		out.Code, out.Explanation, out.Message = e.Code, apperr.Explain(e.Code), e.Message
		for _, f := range e.Fields {
			out.Message += "; " + f.Field + ": " + f.Message
		}
	}
	return out, nil
}
