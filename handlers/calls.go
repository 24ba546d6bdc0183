package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchboard/api"
	"switchboard/apperr"
	"switchboard/clock"
	"switchboard/integrations/calllog"
	"switchboard/models"
	"switchboard/records"
	"switchboard/urls"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

// CallHandler is the call log: every execution, whatever door it came
// through, for staff (/calls) and scripts (GET /api/admin/calls).
type CallHandler struct {
	log *calllog.Log
}

// NewCallHandler returns a CallHandler.
func NewCallHandler(log *calllog.Log) *CallHandler { return &CallHandler{log: log} }

// filter binds and checks the query and turns it into the log's filter.
func (h *CallHandler) filter(c echo.Context) (api.CallsQuery, models.CallFilter, error) {
	var q api.CallsQuery
	if err := web.BindQuery(c, &q); err != nil {
		return q, models.CallFilter{}, err
	}
	f := models.CallFilter{Provider: q.Integration, Function: q.Function, Code: q.Code, Caller: q.Caller}
	var err error
	if f.BeforeID, f.Limit, err = q.Page(); err != nil {
		return q, f, err
	}
	switch q.Status {
	case "":
	case "ok", "failed":
		ok := q.Status == "ok"
		f.OK = &ok
	default:
		return q, f, web.FieldError(apperr.CodeInvalidRequest, "status", "must be ok or failed")
	}
	r, err := records.ParseTimeRange(session.Zone(c), q.From, q.To)
	f.From, f.To = r.From, r.To
	return q, f, err
}

// List handles GET /api/admin/calls.
func (h *CallHandler) List(c echo.Context) error {
	_, f, err := h.filter(c)
	if err != nil {
		return err
	}
	es, err := h.log.List(c.Request().Context(), session.OrgID(c), f)
	if err != nil {
		return err
	}
	z := session.Zone(c)
	out := make([]api.Call, len(es))
	for i := range es {
		out[i] = callOf(z, &es[i])
	}
	return c.JSON(http.StatusOK, web.CursorList(out, f.Limit, func(c *api.Call) int64 { return c.ID }))
}

// Get handles GET /api/admin/calls/:id: the call with the redacted
// exchange of a failed one.
func (h *CallHandler) Get(c echo.Context) error {
	e, err := h.entry(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, api.CallDetail{Call: callOf(session.Zone(c), e), Request: e.RequestExcerpt, Response: e.ResponseExcerpt})
}

func (h *CallHandler) entry(c echo.Context) (*calllog.Entry, error) {
	id, err := web.PathID(c, "id")
	if err != nil {
		return nil, err
	}
	return h.log.Get(c.Request().Context(), session.OrgID(c), id)
}

// Page handles GET /calls.
func (h *CallHandler) Page(c echo.Context) error {
	q, f, err := h.filter(c)
	if err != nil {
		return err
	}
	es, err := h.log.List(c.Request().Context(), session.OrgID(c), f)
	if err != nil {
		return err
	}
	z := session.Zone(c)
	page := pages.CallsPage{Integration: q.Integration, Function: q.Function, Status: q.Status, Code: q.Code, Caller: q.Caller, From: q.From, To: q.To}
	for i := range es {
		page.Rows = append(page.Rows, callRow(z, &es[i]))
	}
	if len(es) == f.Limit {
		q.Cursor = &es[len(es)-1].ID
		page.NextURL = urls.WithQuery(web.URLs(c).Calls(), web.QueryValues(q))
	}
	return web.Render(c, http.StatusOK, pages.Calls(page))
}

// PageShow handles GET /calls/:id.
func (h *CallHandler) PageShow(c echo.Context) error {
	e, err := h.entry(c)
	if err != nil {
		return err
	}
	return web.Render(c, http.StatusOK, pages.Call(pages.CallView{Row: callRow(session.Zone(c), e), Message: e.Detail,
		Request: e.RequestExcerpt, Response: e.ResponseExcerpt, RequestID: e.RequestID}))
}

// callOf is a call as the API answers it, its time in practice time.
func callOf(z clock.Zone, e *calllog.Entry) api.Call {
	return api.Call{ID: e.ID, Integration: e.Provider, Function: e.Function, Environment: e.Environment, Status: callStatus(e.OK),
		Code: e.ErrorCode, Caller: e.CallerName, CallerKind: e.CallerKind, UpstreamStatus: e.UpstreamStatus, Attempts: e.Attempts,
		DurationMS: e.DurationMS, RequestID: e.RequestID, Message: e.Detail, CreatedAt: z.In(e.CreatedAt)}
}

// callRow is a call as the page lists it.
func callRow(z clock.Zone, e *calllog.Entry) pages.CallRow {
	explanation := ""
	if !e.OK {
		explanation = apperr.Explain(orCode(e.ErrorCode))
	}
	return pages.CallRow{Explanation: explanation, ID: e.ID, When: z.FormatPage(e.CreatedAt), Integration: e.Provider, Function: e.Function, Environment: e.Environment,
		Status: callStatus(e.OK), Code: e.ErrorCode, Caller: e.CallerName, CallerKind: e.CallerKind, UpstreamStatus: e.UpstreamStatus,
		Attempts: e.Attempts, DurationMS: e.DurationMS}
}

func callStatus(ok bool) string {
	if ok {
		return "ok"
	}
	return "failed"
}

// orCode is a failed call's code, upstream_error when it recorded none.
func orCode(code string) string {
	if code == "" {
		return apperr.CodeUpstreamError
	}
	return code
}
