package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/models"
	"switchboard/records"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

// record writes an audit entry of the request's actor.
func record(c echo.Context, log *accounts.Audit, action accounts.Action, target accounts.Target, details map[string]any) {
	log.Record(c.Request().Context(), session.Actor(c), action, target, details)
}

// AuditHandler shows the organization's audit log.
type AuditHandler struct {
	log *accounts.Audit
}

// NewAuditHandler returns an AuditHandler.
func NewAuditHandler(log *accounts.Audit) *AuditHandler { return &AuditHandler{log: log} }

const auditPageSize = 50

// auditActions are the actions the filter offers.
func auditActions() []string {
	out := make([]string, len(accounts.Actions))
	for i, a := range accounts.Actions {
		out[i] = string(a)
	}
	return out
}

// AuditQuery is the query of GET /audit: the filters action, actor, from
// and to (days in practice time, to included; a bad one filters nothing),
// and before (an entry id, for paging).
type AuditQuery struct {
	Action string `query:"action"`
	Actor  string `query:"actor"`
	From   string `query:"from"`
	To     string `query:"to"`
	Before string `query:"before"`
}

// Index handles GET /audit.
func (h *AuditHandler) Index(c echo.Context) error {
	var q AuditQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	f := models.AuditFilter{Action: q.Action, Actor: q.Actor, Limit: auditPageSize}
	page := pages.AuditPage{Actions: auditActions(), Action: f.Action, Actor: f.Actor, From: q.From, To: q.To}
	zone := session.Zone(c)
	if d, err := records.ParseListEdge(zone, page.From, false); err == nil {
		f.From = d
	}
	if d, err := records.ParseListEdge(zone, page.To, true); err == nil {
		f.To = d
	}
	f.BeforeID, _ = strconv.ParseInt(q.Before, 10, 64)
	entries, err := h.log.Entries(c.Request().Context(), session.OrgID(c), f)
	if err != nil {
		return err
	}
	for _, e := range entries {
		target := e.TargetType
		if e.TargetID != "" {
			target += " #" + e.TargetID
		}
		page.Rows = append(page.Rows, pages.AuditRow{When: zone.FormatPage(e.CreatedAt), Actor: e.Actor,
			Action: e.Action, Target: target, Details: auditDetails(e.Details), IP: e.IP})
	}
	if len(entries) == auditPageSize {
		q.Before = strconv.FormatInt(entries[len(entries)-1].ID, 10)
		page.NextURL = web.URLs(c).Audit() + "?" + web.QueryValues(q).Encode()
	}
	return web.Render(c, http.StatusOK, pages.Audit(page))
}
