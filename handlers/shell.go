package handlers

import (
	"strings"

	"github.com/labstack/echo/v4"

	"switchboard/models"
	"switchboard/urls"
	"switchboard/views"
)

// navEntry is one entry of the main navigation: its label, the URL helper
// of its page, and the least role that sees it.
type navEntry struct {
	label   string
	href    func(urls.URLs) string
	minRole string
}

// navigation lists the app's sections in order.
var navigation = []navEntry{
	{"Dashboard", urls.URLs.Dashboard, "staff"},
	{"Appointments", urls.URLs.Appointments, "staff"},
	{"Availability", urls.URLs.Availability, "staff"},
	{"Patients", urls.URLs.Patients, "staff"},
	{"Sync error log", urls.URLs.SyncErrors, "staff"},
	{"Integrations", urls.URLs.Integrations, "admin"},
	{"Sync settings", urls.URLs.SyncSettings, "admin"},
	{"Agent API keys", urls.URLs.APIKeys, "admin"},
	{"Users", urls.URLs.Users, "owner"},
	{"Audit log", urls.URLs.Audit, "admin"},
	{"Settings", urls.URLs.Settings, "admin"},
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
	path, u := c.Request().URL.Path, routes(c)
	home := u.Dashboard()
	for _, n := range navigation {
		if roleRank(p.Role) < roleRank(n.minRole) {
			continue
		}
		href := n.href(u)
		active := path == href || (href != home && strings.HasPrefix(path, href+"/"))
		sh.Nav = append(sh.Nav, views.NavItem{Label: n.label, Href: href, Active: active})
	}
	for _, m := range p.Membership {
		sh.Orgs = append(sh.Orgs, views.OrgChoice{ID: m.OrganizationID, Name: m.Organization.Name, Current: m.OrganizationID == p.Org.ID})
	}
	return sh
}
