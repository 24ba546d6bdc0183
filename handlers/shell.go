package handlers

import (
	"strings"

	"github.com/labstack/echo/v4"

	"switchboard/models"
	"switchboard/views"
)

// navEntry is one entry of the main navigation and the least role that
// sees it.
type navEntry struct {
	label, href, minRole string
}

// navigation lists the app's sections in order.
var navigation = []navEntry{
	{"Dashboard", "/", "staff"},
	{"Appointments", "/appointments", "staff"},
	{"Patients", "/patients", "staff"},
	{"Sync error log", "/sync-errors", "staff"},
	{"Integrations", "/integrations", "admin"},
	{"Sync settings", "/sync-settings", "admin"},
	{"Agent API keys", "/api-keys", "admin"},
	{"Users", "/users", "owner"},
	{"Audit log", "/audit", "admin"},
	{"Settings", "/settings", "admin"},
}

// shell builds the view context every page needs.
func (h *AuthHandler) shell(c echo.Context, flashes []views.Flash) views.Shell {
	sh := views.Shell{Flashes: flashes, Demo: h.demo}
	if s := cookieSession(c); s != nil {
		sh.CSRFToken, _ = s.Values[valCSRF].(string)
	}
	p := currentPrincipal(c)
	if p == nil || p.User == nil {
		return sh
	}
	sh.UserEmail, sh.UserName, sh.OrgName, sh.Role = p.User.Email, p.User.Name, p.Org.Name, p.Role
	sh.TimeZoneUnset = !p.Org.TimeZoneSet()
	sh.CanEditSettings = roleRank(p.Role) >= roleRank(models.RoleAdmin)
	path := c.Request().URL.Path
	for _, n := range navigation {
		if roleRank(p.Role) < roleRank(n.minRole) {
			continue
		}
		active := path == n.href || (n.href != "/" && strings.HasPrefix(path, n.href+"/"))
		sh.Nav = append(sh.Nav, views.NavItem{Label: n.label, Href: n.href, Active: active})
	}
	for _, m := range p.Membership {
		sh.Orgs = append(sh.Orgs, views.OrgChoice{ID: m.OrganizationID, Name: m.Organization.Name, Current: m.OrganizationID == p.Org.ID})
	}
	return sh
}
