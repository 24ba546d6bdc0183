package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchboard/api"
	"switchboard/web/session"
)

// Me handles GET /api/me: who the caller is, so an agent developer can
// check a key.
func Me(c echo.Context) error {
	p := session.From(c)
	out := api.MeAnswer{Organization: api.MeOrganization{ID: p.Org.ID, Slug: p.Org.Slug, Name: p.Org.Name}, Role: p.Role}
	if p.APIKey != nil {
		out.APIKey = &api.MeKey{ID: p.APIKey.ID, Name: p.APIKey.Name, Prefix: p.APIKey.Prefix}
	} else {
		out.User = &api.MeUser{ID: p.User.ID, Email: p.User.Email}
	}
	return c.JSON(http.StatusOK, out)
}
