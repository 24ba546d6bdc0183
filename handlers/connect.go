package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"switchboard/accounts"
	"switchboard/api"
	"switchboard/apperr"
	"switchboard/integrations/connect"
	"switchboard/web"
	"switchboard/web/session"
)

// ConnectHandler is OAuth Connect on the Credentials tab.
type ConnectHandler struct {
	svc *connect.Service
	log *accounts.Audit
}

// NewConnectHandler returns the handler.
func NewConnectHandler(svc *connect.Service, log *accounts.Audit) *ConnectHandler {
	return &ConnectHandler{svc: svc, log: log}
}

// callbackURL is the redirect URI: this server's /oauth/callback, as the
// browser reaches it.
func callbackURL(c echo.Context) string {
	return c.Scheme() + "://" + c.Request().Host + connect.CallbackPath
}

// Connect handles POST /integrations/:id/credentials/:env/connect: it sends
// the browser to the provider's consent page.
func (h *ConnectHandler) Connect(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	p := session.From(c)
	to, err := h.svc.Start(c.Request().Context(), p.Org.ID, id, c.Param("env"), p.Session.ID, callbackURL(c))
	if ps := web.Problems(err); ps != nil {
		session.Flash(c, "error", ps[0].Message)
		return web.Redirect(c, web.URLs(c).IntegrationCredentials(id))
	}
	if err != nil {
		return err
	}
	if c.Request().Header.Get("HX-Request") == "true" {
		c.Response().Header().Set("HX-Redirect", to)
		return c.NoContent(http.StatusOK)
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// Callback handles GET /oauth/callback: the provider sends the browser
// back with a code and the state; the state must be one this session
// started, unused and unexpired.
func (h *ConnectHandler) Callback(c echo.Context) error {
	p := session.From(c)
	var q api.OAuthCallbackQuery
	if err := web.BindQuery(c, &q); err != nil {
		return err
	}
	state, code := q.State, q.Code
	if state == "" {
		return apperr.New(apperr.CodeInvalidRequest, "the provider sent no state; press Connect again")
	}
	if e := q.Error; e != "" || code == "" {
		if e == "" {
			e = "no code"
		}
		return apperr.New(apperr.CodeInvalidRequest, "the provider did not grant access (%s); press Connect again", e)
	}
	done, err := h.svc.Finish(c.Request().Context(), p.Org.ID, p.Session.ID, state, code)
	if err != nil {
		return err
	}
	record(c, h.log, accounts.ActionCredentialSaved, accounts.TargetOf("integration", done.IntegrationID),
		map[string]any{"integration": done.Slug, "environment": done.Environment, "via": "oauth connect", "account": done.Account})
	account := done.Account
	if account == "" {
		account = "the authorized account"
	}
	session.Flash(c, "success", "Connected as "+account+".")
	return web.Redirect(c, web.URLs(c).IntegrationCredentials(done.IntegrationID))
}

// Disconnect handles POST /integrations/:id/credentials/:env/disconnect:
// the token is revoked at the provider and deleted.
func (h *ConnectHandler) Disconnect(c echo.Context) error {
	id, err := web.PathID(c, "id")
	if err != nil {
		return err
	}
	p := session.From(c)
	revoked, err := h.svc.Disconnect(c.Request().Context(), p.Org.ID, id, c.Param("env"))
	if err != nil {
		return err
	}
	record(c, h.log, accounts.ActionCredentialSaved, accounts.TargetOf("integration", id),
		map[string]any{"environment": c.Param("env"), "via": "oauth disconnect", "revoked": revoked})
	msg := "Disconnected: the token was revoked and deleted."
	if !revoked {
		msg = "Disconnected: the token was deleted (the provider did not confirm the revocation)."
	}
	session.Flash(c, "success", msg)
	return web.Redirect(c, web.URLs(c).IntegrationCredentials(id))
}
