package handlers

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"switchboard/models"
	"switchboard/records"
	"switchboard/views/pages"
	"switchboard/web"
	"switchboard/web/session"
)

// AuditHandler shows the organization's audit log.
type AuditHandler struct {
	store *models.Store
}

// NewAuditHandler returns an AuditHandler.
func NewAuditHandler(store *models.Store) *AuditHandler { return &AuditHandler{store: store} }

var auditActions = []string{
	models.AuditLogin, models.AuditLoginFailed, models.AuditLoginThrottled, models.AuditLogout, models.AuditLogoutAll,
	models.AuditSetup, models.AuditUserAdded, models.AuditUserRemoved, models.AuditRoleChanged,
	models.AuditPasswordChange, models.AuditAPIKeyCreated, models.AuditAPIKeyRevoked, models.AuditOrgSwitched, models.AuditOrgUpdated,
	models.AuditInvitationSent, models.AuditInvitationAccepted, models.AuditInvitationRevoked,
	"integration_created", "integration_updated", "integration_deleted", "endpoint_created", "endpoint_updated",
	"endpoint_deleted", "parameter_map_created", "parameter_map_updated", "parameter_map_deleted",
	"credential_saved", "credential_deleted", "integration_imported",
}

const auditPageSize = 50

// Index handles GET /audit with filters action, actor, from, to (days in
// practice time, to included) and before (an entry id, for paging).
func (h *AuditHandler) Index(c echo.Context) error {
	p := session.From(c)
	f := models.AuditFilter{Action: c.QueryParam("action"), Actor: c.QueryParam("actor"), Limit: auditPageSize}
	page := pages.AuditPage{Actions: auditActions, Action: f.Action, Actor: f.Actor, From: c.QueryParam("from"), To: c.QueryParam("to")}
	zone := session.Zone(c)
	if d, err := records.ParseListEdge(zone, page.From, false); err == nil {
		f.From = d
	}
	if d, err := records.ParseListEdge(zone, page.To, true); err == nil {
		f.To = d
	}
	f.BeforeID, _ = strconv.ParseInt(c.QueryParam("before"), 10, 64)
	entries, err := h.store.Tenant(p.Org.ID).AuditEntries(c.Request().Context(), f)
	if err != nil {
		return err
	}
	for _, e := range entries {
		target := e.TargetType
		if e.TargetID != "" {
			target += " #" + e.TargetID
		}
		page.Rows = append(page.Rows, pages.AuditRow{When: session.Zone(c).FormatPage(e.CreatedAt), Actor: e.Actor,
			Action: e.Action, Target: target, Details: e.Details, IP: e.IP})
	}
	if len(entries) == auditPageSize {
		q := url.Values{}
		for k, v := range map[string]string{"action": f.Action, "actor": f.Actor, "from": page.From, "to": page.To} {
			if v != "" {
				q.Set(k, v)
			}
		}
		q.Set("before", strconv.FormatInt(entries[len(entries)-1].ID, 10))
		page.NextURL = web.URLs(c).Audit() + "?" + q.Encode()
	}
	return web.Render(c, http.StatusOK, pages.Audit(page))
}
