package session

import (
	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/models"
)

// RequireScope lets an API key through only when it holds scope; cookie
// sessions are governed by their roles alone. The router puts it on every
// /api stack that needs a scope.
func RequireScope(scope string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if p := From(c); p != nil && p.IsKey() && !p.APIKey.HasScope(scope) {
				return MissingScope(scope)
			}
			return next(c)
		}
	}
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
