package handlers

import (
	"github.com/labstack/echo/v4"

	"switchboard/apperr"
	"switchboard/models"
)

// requireScope lets an API key through only when it holds scope; cookie
// sessions are governed by their roles alone. The router puts it on every
// /api stack that needs a scope.
func requireScope(scope string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if p := currentPrincipal(c); p != nil && p.IsKey() && !p.APIKey.HasScope(scope) {
				return missingScope(scope)
			}
			return next(c)
		}
	}
}

// functionAllowed is the executor's check of one function for the caller:
// a key limited to integrations runs only theirs, and a function that
// writes needs execute:write.
func functionAllowed(p *principal) func(integration string, writes bool) error {
	if p == nil || !p.IsKey() {
		return nil
	}
	key := p.APIKey
	return func(integration string, writes bool) error {
		if !key.AllowsIntegration(integration) {
			return apperr.New(apperr.CodeForbidden, "this key may not execute functions of the integration %s", integration)
		}
		if writes && !key.HasScope(models.ScopeExecuteWrite) {
			return missingScope(models.ScopeExecuteWrite)
		}
		return nil
	}
}

func missingScope(scope string) error {
	return apperr.New(apperr.CodeForbidden, "this key lacks the scope %s", scope)
}
