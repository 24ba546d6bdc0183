package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchboard/web/session"
)

// MeAnswer is the answer of GET /api/me: the caller's organization and
// role, and the key or the user it came with.
type MeAnswer struct {
	Organization MeOrganization `json:"organization"`
	Role         string         `json:"role"`
	APIKey       *MeKey         `json:"api_key,omitempty"`
	User         *MeUser        `json:"user,omitempty"`
}

// MeOrganization is the caller's organization.
type MeOrganization struct {
	ID   int64  `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// MeKey is the API key a call came with (never its secret).
type MeKey struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Prefix string `json:"prefix"`
}

// MeUser is the signed-in user a call came with.
type MeUser struct {
	ID    int64  `json:"id"`
	Email string `json:"email"`
}

// Me handles GET /api/me: who the caller is, so an agent developer can
// check a key.
func Me(c echo.Context) error {
	p := session.From(c)
	out := MeAnswer{Organization: MeOrganization{ID: p.Org.ID, Slug: p.Org.Slug, Name: p.Org.Name}, Role: p.Role}
	if p.APIKey != nil {
		out.APIKey = &MeKey{ID: p.APIKey.ID, Name: p.APIKey.Name, Prefix: p.APIKey.Prefix}
	} else {
		out.User = &MeUser{ID: p.User.ID, Email: p.User.Email}
	}
	return c.JSON(http.StatusOK, out)
}
