package session

import (
	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/models"
)

// ScopeAny is the scope of routes any signed-in caller may call.
const ScopeAny = "any"

// RequireScope is the one scope check of the JSON API: the router puts it
// on every /api route with the scope the route table declares for it. An
// API key passes only when it holds scope (ScopeAny: any key) and, when it
// is limited to integrations, when the integration the route names (its
// :provider, or ?integration=) is one of them. Cookie sessions are
// governed by their roles alone.
func RequireScope(scope string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			p := From(c)
			if p == nil || !p.IsKey() {
				return next(c)
			}
			if scope != ScopeAny && !p.APIKey.HasScope(scope) {
				return MissingScope(scope)
			}
			for _, slug := range []string{c.Param("provider"), c.QueryParam("integration")} {
				if err := IntegrationAllowed(c, slug); slug != "" && err != nil {
					return err
				}
			}
			return next(c)
		}
	}
}

// IntegrationAllowed refuses (403) an API key limited to integrations
// other than slug; sessions and unlimited keys pass.
func IntegrationAllowed(c echo.Context, slug string) error {
	p := From(c)
	if p == nil || !p.IsKey() || p.APIKey.AllowsIntegration(slug) {
		return nil
	}
	return apperr.New(apperr.CodeForbidden, "this key may not use the integration %s (it is limited to %s)", slug, p.APIKey.Integrations)
}

// AllowedIntegration reports whether the caller may see the integration
// slug: the filter of every list of integrations and of what belongs to
// them.
func AllowedIntegration(c echo.Context) func(slug string) bool {
	return func(slug string) bool { return IntegrationAllowed(c, slug) == nil }
}

// FunctionAllowed is the executor's check of one function for the caller:
// a key limited to integrations runs only theirs, and a function that
// writes needs execute:write.
func FunctionAllowed(p *Principal) func(integration string, writes bool) error {
	if p == nil || !p.IsKey() {
		return nil
	}
	key := p.APIKey
	return func(integration string, writes bool) error {
		if !key.AllowsIntegration(integration) {
			return apperr.New(apperr.CodeForbidden, "this key may not execute functions of the integration %s", integration)
		}
		if writes && !key.HasScope(models.ScopeExecuteWrite) {
			return MissingScope(models.ScopeExecuteWrite)
		}
		return nil
	}
}

// AllowScope is the MCP server's scope check of the caller's key.
func AllowScope(key *models.APIKey) func(scope string) error {
	return func(scope string) error {
		if !key.HasScope(scope) {
			return MissingScope(scope)
		}
		return nil
	}
}

// MissingScope is the refusal of a key that lacks scope.
func MissingScope(scope string) error {
	return apperr.New(apperr.CodeForbidden, "this key lacks the scope %s", scope)
}
