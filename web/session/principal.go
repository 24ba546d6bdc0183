// Package session is who makes a request and how they prove it: the
// encrypted cookie session of the admin app (its row in sessions is the
// truth), its CSRF token and flashes, API-key authentication of the JSON
// API, role and scope checks, and the page shell (navigation) built from
// the signed-in user.
package session

import (
	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/clock"
	"switchboard/models"
)

const keyPrincipal = "sb.principal"

// Principal is who is making the request: a signed-in user acting in one
// organization, or an API key.
type Principal struct {
	User       *models.User
	Org        *models.Organization
	Role       string
	Session    *models.Session
	TokenHash  string
	APIKey     *models.APIKey
	Membership []models.Membership
}

// IsKey reports whether the request is authenticated by an API key.
func (p *Principal) IsKey() bool { return p.APIKey != nil }

// Actor names the principal in the audit log and the call log.
func (p *Principal) Actor() string {
	if p.APIKey != nil {
		return "api key " + p.APIKey.Name + " (" + p.APIKey.Prefix + "…)"
	}
	return p.User.Email
}

// ActorID is the user id for the audit log, if a user.
func (p *Principal) ActorID() *int64 {
	if p.User == nil {
		return nil
	}
	return &p.User.ID
}

// Signed is the principal's signed-in session, nil for an API key.
func (p *Principal) Signed() *accounts.Signed {
	if p == nil || p.Session == nil {
		return nil
	}
	return &accounts.Signed{Session: p.Session, TokenHash: p.TokenHash, User: p.User, Org: p.Org, Role: p.Role, Memberships: p.Membership}
}

// Actor is the request's actor for the accounts service and the audit
// log: the principal (if any) and where the request came from.
func Actor(c echo.Context) accounts.Actor {
	a := accounts.Actor{IP: c.RealIP(), UserAgent: c.Request().UserAgent()}
	if p := From(c); p != nil {
		a.OrgID, a.UserID, a.Name = p.Org.ID, p.ActorID(), p.Actor()
	}
	return a
}

// From returns who is signed in, or nil.
func From(c echo.Context) *Principal {
	p, _ := c.Get(keyPrincipal).(*Principal)
	return p
}

// OrgID is the organization the request acts in (the router only lets
// signed-in requests reach the handlers that ask).
func OrgID(c echo.Context) int64 { return From(c).Org.ID }

// Zone is the time zone of the request's organization (loaded with the
// principal), in which answers and pages show times.
func Zone(c echo.Context) clock.Zone {
	if p := From(c); p != nil && p.Org != nil {
		return p.Org.Zone()
	}
	return clock.UTC()
}

// RoleRank orders roles so that a check can say "at least admin".
func RoleRank(role string) int {
	switch role {
	case models.RoleOwner:
		return 3
	case models.RoleAdmin: // also models.KeyRoleAdmin
		return 2
	case models.RoleStaff, models.KeyRoleAgent:
		return 1
	}
	return 0
}
