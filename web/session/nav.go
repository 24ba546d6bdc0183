package session

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"switchboard/models"
	"switchboard/urls"
	"switchboard/views"
	"switchboard/web"
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
	{"Dashboard", urls.URLs.Dashboard, models.RoleStaff},
	{"Appointments", urls.URLs.Appointments, models.RoleStaff},
	{"Schedule", urls.URLs.Schedule, models.RoleStaff},
	{"Availability", urls.URLs.Availability, models.RoleStaff},
	{"Patients", urls.URLs.Patients, models.RoleStaff},
	{"Sync error log", urls.URLs.SyncErrors, models.RoleStaff},
	{"Calls", urls.URLs.Calls, models.RoleStaff},
	{"Integrations", urls.URLs.Integrations, models.RoleAdmin},
	{"Sync settings", urls.URLs.SyncSettings, models.RoleAdmin},
	{"Agent API keys", urls.URLs.APIKeys, models.RoleAdmin},
	{"Agent traces", urls.URLs.AgentTraces, models.RoleAdmin},
	{"Users", urls.URLs.Users, models.RoleOwner},
	{"Audit log", urls.URLs.Audit, models.RoleAdmin},
	{"Settings", urls.URLs.Settings, models.RoleAdmin},
}

// shell builds the view context every page needs.
func (m *Manager) shell(c echo.Context, flashes []views.Flash) views.Shell {
	sh := views.Shell{Flashes: flashes, Demo: m.demo}
	if s := cookieSession(c); s != nil {
		sh.CSRFToken, _ = s.Values[valCSRF].(string)
	}
	p := From(c)
	if p == nil || p.User == nil {
		return sh
	}
	sh.UserEmail, sh.UserName, sh.OrgName, sh.Role = p.User.Email, p.User.Name, p.Org.Name, p.Role
	sh.TimeZoneUnset = !p.Org.TimeZoneSet()
	sh.CanEditSettings = RoleRank(p.Role) >= RoleRank(models.RoleAdmin)
	sh.URI = c.Request().URL.RequestURI()
	sh.Nav = m.nav(c, p)
	for _, mb := range p.Membership {
		sh.Orgs = append(sh.Orgs, views.OrgChoice{ID: mb.OrganizationID, Name: mb.Organization.Name, Current: mb.OrganizationID == p.Org.ID})
	}
	return sh
}

// nav is the menu of the principal's role, the page being shown marked,
// the sync error log with the count of open sync errors.
func (m *Manager) nav(c echo.Context, p *Principal) []views.NavItem {
	path, u := c.Request().URL.Path, web.URLs(c)
	if path == u.Nav() { // the menu polled alone: mark the page it is on
		if ref, err := url.Parse(c.Request().Referer()); err == nil {
			path = ref.Path
		}
	}
	home, errorsHref := u.Dashboard(), u.SyncErrors()
	var out []views.NavItem
	for _, n := range navigation {
		if RoleRank(p.Role) < RoleRank(n.minRole) {
			continue
		}
		href := n.href(u)
		active := path == href || (href != home && strings.HasPrefix(path, href+"/"))
		item := views.NavItem{Label: n.label, Href: href, Active: active}
		if href == errorsHref && m.openErrors != nil {
			if open, err := m.openErrors(c.Request().Context(), p.Org.ID); err == nil && open > 0 {
				item.Badge = strconv.Itoa(open)
			}
		}
		out = append(out, item)
	}
	return out
}
