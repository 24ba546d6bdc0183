package handlers

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/api"
	"switchboard/apperr"
	"switchboard/integrations/traces"
	"switchboard/web"
	"switchboard/web/session"
)

// TraceHandler serves the agent traces imported from Langfuse: the page,
// a trace's page, Import now and the import API.
type TraceHandler struct {
	svc *traces.Service
	log *accounts.Audit
}

// NewTraceHandler returns a TraceHandler.
func NewTraceHandler(svc *traces.Service, log *accounts.Audit) *TraceHandler {
	return &TraceHandler{svc: svc, log: log}
}

// AgentTracesQuery is the query of GET /agent-traces: its filters.
type AgentTracesQuery struct {
	Day     string `query:"day" doc:"A practice day (YYYY-MM-DD): only its traces, and the chart ends on it."`
	Session string `query:"session" doc:"Only the traces of this session."`
	User    string `query:"user" doc:"Only the traces of this user."`
	Tag     string `query:"tag" doc:"Only the traces carrying this tag."`
	MinCost string `query:"min_cost" doc:"Only the traces that cost at least this many US dollars."`
}

// Index handles GET /agent-traces.
func (h *TraceHandler) Index(c echo.Context) error {
	var q AgentTracesQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	zone := session.Zone(c)
	f := traces.Filter{Day: q.Day, Session: q.Session, User: q.User, Tag: q.Tag, MinCost: q.MinCost}
	ov, err := h.svc.Overview(c.Request().Context(), session.OrgID(c), f, zone.Location())
	bad := map[string]string{}
	if e, ok := apperr.As(err); ok && e.Code == apperr.CodeValidationFailed {
		bad, err = web.FieldMap(e.Fields), nil
		ov, err = h.svc.Overview(c.Request().Context(), session.OrgID(c), traces.Filter{}, zone.Location())
	}
	if err != nil {
		return err
	}
	return web.Render(c, http.StatusOK, tracesPage(ov, q, bad, zone))
}

// Show handles GET /agent-traces/:traceId.
func (h *TraceHandler) Show(c echo.Context) error {
	d, err := h.svc.Trace(c.Request().Context(), session.OrgID(c), c.Param("traceId"))
	if err != nil {
		return err
	}
	return web.Render(c, http.StatusOK, tracePage(d, session.Zone(c)))
}

// ImportPage handles POST /agent-traces/import: Import now, with the
// scheduled pull's interval in minutes.
func (h *TraceHandler) ImportPage(c echo.Context) error {
	req := traces.ImportRequest{}
	if m := strings.TrimSpace(c.FormValue("poll_minutes")); m != "" {
		n, err := strconv.Atoi(m)
		if err != nil || n < 1 || n > 1440 {
			session.Flash(c, "error", "Pull every: enter a number of minutes from 1 to 1440.")
			return web.Redirect(c, web.URLs(c).AgentTraces())
		}
		req.PollInterval = time.Duration(n) * time.Minute
	}
	res, err := h.svc.Import(c.Request().Context(), session.OrgID(c), req)
	if err != nil {
		msg := "The import failed."
		if e, ok := apperr.As(err); ok {
			msg = "The import failed: " + e.Message
			if len(e.Fields) > 0 {
				msg = "The import failed: " + e.Fields[0].Message
			}
		}
		session.Flash(c, "error", msg)
		return web.Redirect(c, web.URLs(c).AgentTraces())
	}
	h.audit(c, res)
	session.Flash(c, "success", importSummary(res))
	return web.Redirect(c, web.URLs(c).AgentTraces())
}

func importSummary(res traces.ImportResult) string {
	return strconv.Itoa(res.Fetched) + " traces read from Langfuse: " + strconv.Itoa(res.Created) + " new, " +
		strconv.Itoa(res.Updated) + " already here. The next pull is in " + res.PollInterval + "."
}

func (h *TraceHandler) audit(c echo.Context, res traces.ImportResult) {
	record(c, h.log, accounts.ActionAgentTracesImported, accounts.Target{Type: "integration", ID: res.Integration},
		map[string]any{"fetched": res.Fetched, "created": res.Created, "poll_interval": res.PollInterval})
}

// APIImport handles POST /api/admin/langfuse/import.
func (h *TraceHandler) APIImport(c echo.Context) error {
	var in api.LangfuseImportRequest
	c.Request().Body = http.MaxBytesReader(c.Response(), c.Request().Body, 64<<10)
	if c.Request().ContentLength != 0 {
		if err := web.DecodeValidJSON(c, &in); err != nil {
			return err
		}
	}
	req := traces.ImportRequest{Integration: in.Integration, Environment: in.Environment}
	if in.PollInterval != "" {
		d, err := time.ParseDuration(in.PollInterval)
		if err != nil {
			return apperr.Validation(apperr.FieldError{Field: "poll_interval", Message: "must be a Go duration such as 15m"})
		}
		req.PollInterval = d
	}
	res, err := h.svc.Import(c.Request().Context(), session.OrgID(c), req)
	if err != nil {
		return err
	}
	h.audit(c, res)
	return c.JSON(http.StatusOK, res)
}
